import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { parseConfig, type Config } from "#app/config.server";
import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { startPrivateRedis, type PrivateRedis } from "#db/hot-store/testing/private-redis";

/**
 * A hot store for limit tests. Redis is a private redis-server, so a test can kill it, list
 * every key, and leave nothing behind in the shared one.
 */
export interface LimitTestStore {
  store: HotStore;
  /** Only for "redis". */
  redis?: PrivateRedis;
  /** Every key in the private Redis, with the prefix (empty for "memory"). */
  rawKeys(): Promise<string[]>;
  /** The TTL in seconds of every key in the private Redis; a key without one fails the test. */
  ttls(): Promise<number[]>;
  close(): Promise<void>;
}

export type LimitStoreKind = "redis" | "memory";

export async function openLimitTestStore(kind: LimitStoreKind): Promise<LimitTestStore> {
  if (kind === "memory") {
    const store = createMemoryHotStore();
    return { store, rawKeys: async () => [], ttls: async () => [], close: () => store.close() };
  }
  const redis = await startPrivateRedis();
  const store = createRedisHotStore({ url: redis.url, logger: () => {} });
  await eventually(() => store.ping(), { what: "private Redis answering" });
  const connect = () => createClient({ url: redis.url });
  async function withClient<T>(use: (client: ReturnType<typeof connect>) => Promise<T>): Promise<T> {
    const raw = connect();
    await raw.connect();
    try {
      return await use(raw);
    } finally {
      raw.destroy();
    }
  }
  return {
    store,
    redis,
    rawKeys: () => withClient((raw) => raw.keys("*")),
    ttls: () =>
      withClient(async (raw) => {
        const ttls = await Promise.all((await raw.keys("*")).map((key) => raw.ttl(key)));
        if (ttls.some((ttl) => ttl <= 0)) throw new Error(`a limit key without a TTL: ${ttls.join(",")}`);
        return ttls;
      }),
    async close() {
      await redis.kill();
      await store.close();
    },
  };
}

/** A configuration with these settings, and a secret of its own (so hashed keys never repeat). */
export function limitsConfig(settings: Record<string, string> = {}): Config {
  return parseConfig({ SESSION_SECRET: randomBytes(32).toString("base64url"), ...settings }, () => {});
}

/** An address no other test uses: a random /64 of the IPv6 documentation prefix. */
export function testAddress(): string {
  const groups = Array.from({ length: 2 }, () =>
    randomBytes(2)
      .toString("hex")
      .replace(/^0+(?=.)/, ""),
  );
  return `2001:db8:${groups.join(":")}::/64`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
