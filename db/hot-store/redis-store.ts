import { HotStoreError, KEY_PREFIX, type HotStore } from "./hot-store";
import { groupBySlot } from "./hash-slot";
import { assertRateRule, rateRuleArguments } from "./rate-rule";
import type { RedisTarget } from "./redis-backend";
import { openRedisConnection } from "./redis-connection";
import { CacheGeneration, type CacheGenerationOptions } from "./redis-generation";
import { ATTEMPT_SCRIPT, RAISE_VERSIONS_SCRIPT } from "./redis-scripts";
import { assertTtl } from "./ttl";
import { openRedisVersionFeed, versionChannel } from "./redis-version-feed";

export interface RedisHotStoreOptions {
  /** A single server; or give `target` for a cluster or Sentinel. */
  url?: string;
  target?: RedisTarget;
  /** PEM of the CA that signed the servers' certificates (rediss:// URLs). */
  tlsCa?: string;
  /** Upper bound on any single operation, connected or not. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** A connection with timeouts and no reply at all for this long is replaced. */
  stalledAfterMs?: number;
  logger?: (msg: string) => void;
  /**
   * Keys carry a generation that changes with the Redis server (see redis-generation.ts).
   * Without it keys live under the bare prefix: for tools and tests that own their Redis.
   */
  generation?: Omit<CacheGenerationOptions, "logger">;
  /**
   * Announce every raised version on a pub/sub channel and follow it (versionFeed), so each
   * instance can keep the versions in memory. On by default.
   */
  versionFeed?: boolean;
}

/**
 * The Redis hot store. Returns at once: it connects in the background, and until Redis is
 * ready every operation rejects with HotStoreError instead of waiting.
 */
export function createRedisHotStore(options: RedisHotStoreOptions): HotStore {
  const commandTimeoutMs = options.commandTimeoutMs ?? 250;
  const target: RedisTarget = options.target ?? { kind: "standalone", url: options.url ?? "" };
  const connection = openRedisConnection({
    target,
    tlsCa: options.tlsCa,
    commandTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 1000,
    stalledAfterMs: options.stalledAfterMs ?? Math.max(5000, commandTimeoutMs * 4),
    logger: options.logger ?? ((msg) => console.warn(msg)),
  });
  const { run } = connection;
  const logger = options.logger ?? ((msg: string) => console.warn(msg));
  const reconnectListeners = new Set<() => void>();
  const notifyReconnected = () => {
    for (const listener of [...reconnectListeners]) listener();
  };
  // Commands were refused while the generation was unknown: the cache's listeners (the replay
  // of versions it could not publish) are owed a call once it is known.
  let owed = false;
  const generation = options.generation
    ? new CacheGeneration(connection, {
        ...options.generation,
        logger,
        onEstablished() {
          if (!owed) return;
          owed = false;
          notifyReconnected();
        },
      })
    : null;
  /** The prefix every key of this call gets; refuses while the generation is unknown. */
  const prefix = (op: string): string => {
    if (!generation) return KEY_PREFIX;
    const current = generation.prefix();
    if (current !== null) return current;
    owed = true;
    throw new HotStoreError(`redis ${op}: cache generation not established yet`);
  };
  // A cluster refuses a multi-key command whose keys live in different slots (CROSSSLOT):
  // there, each slot's share of the keys is its own command, all sent at once. Keys read or
  // written together carry one hash tag (db/cache/keys.ts), so this is usually one group.
  const clustered = target.kind === "cluster";
  const perSlot = <T>(keys: readonly string[], each: (indexes: number[]) => Promise<T>): Promise<T[]> =>
    clustered
      ? Promise.all(groupBySlot(keys).map(each))
      : each(keys.map((_, index) => index)).then((one) => [one]);

  // After a reconnect the server may be another one: its generation is settled again before
  // the cache's listeners run against it.
  connection.onReconnect(() => {
    if (!generation) return notifyReconnected();
    owed = true;
    void generation.distrust();
  });
  // On a cluster or behind Sentinel the server behind some keys may be replaced without this
  // process reconnecting anywhere first (a replica promoted in a failed master's place answers
  // on a connection of its own): stop trusting the generation as soon as any connection fails,
  // not only once something answers again.
  if (target.kind !== "standalone") {
    connection.onConnectionError(() => {
      if (!generation) return;
      owed = true;
      void generation.distrust();
    });
  }

  const channel = versionChannel(target);
  const feed =
    options.versionFeed === false
      ? null
      : openRedisVersionFeed({
          target,
          tlsCa: options.tlsCa,
          connectTimeoutMs: options.connectTimeoutMs ?? 1000,
          channel,
          publish: (message) => run("PUBLISH", (c) => c.publish(channel, message), { probe: true }),
          prefix: () => (generation ? generation.prefix() : KEY_PREFIX),
          logger,
        });

  return {
    kind: "redis",
    ...(feed ? { versionFeed: feed } : {}),

    async get(key) {
      const p = prefix("GET");
      return run("GET", (c) => c.get(p + key));
    },

    async mget(keys) {
      if (keys.length === 0) return [];
      const p = prefix("MGET");
      if (!clustered) return run("MGET", (c) => c.mGet(keys.map((key) => p + key)));
      const values: (string | null)[] = new Array<string | null>(keys.length).fill(null);
      await perSlot(keys, async (indexes) => {
        const found = await run("MGET", (c) => c.mGet(indexes.map((index) => p + keys[index])));
        indexes.forEach((index, at) => (values[index] = found[at]));
      });
      return values;
    },

    async set(key, value, ttlSeconds) {
      assertTtl(ttlSeconds);
      const p = prefix("SET");
      await run("SET", (c) => c.set(p + key, value, { expiration: { type: "EX", value: ttlSeconds } }));
    },

    async setIfAbsent(key, value, ttlSeconds) {
      assertTtl(ttlSeconds);
      const p = prefix("SET NX");
      const reply = await run("SET NX", (c) =>
        c.set(p + key, value, { condition: "NX", expiration: { type: "EX", value: ttlSeconds } }),
      );
      return reply !== null;
    },

    async mset(entries, ttlSeconds) {
      assertTtl(ttlSeconds);
      if (entries.length === 0) return;
      const p = prefix("MSET");
      // MSET cannot carry a TTL; a MULTI of SET EX keeps it one round trip and all-or-nothing
      // (per slot on a cluster, where a transaction cannot span slots).
      await perSlot(
        entries.map(([key]) => key),
        (indexes) =>
          run("MSET", (c) => {
            const multi = c.multi();
            for (const index of indexes) {
              const [key, value] = entries[index];
              multi.set(p + key, value, { expiration: { type: "EX", value: ttlSeconds } });
            }
            return multi.exec();
          }),
      );
    },

    async del(keys) {
      if (keys.length === 0) return;
      const p = prefix("DEL");
      await perSlot(keys, (indexes) => run("DEL", (c) => c.del(indexes.map((index) => p + keys[index]))));
    },

    async raiseVersions(entries, ttlSeconds) {
      assertTtl(ttlSeconds);
      if (entries.length === 0) return;
      const p = prefix("RAISE");
      // A script, so "compare and raise" is atomic: two writers can never lower a version.
      // Each key's rule stands alone, so one script per slot on a cluster loses nothing.
      await perSlot(
        entries.map(([key]) => key),
        (indexes) =>
          run("RAISE", (c) =>
            c.eval(RAISE_VERSIONS_SCRIPT, {
              keys: indexes.map((index) => p + entries[index][0]),
              arguments: [
                String(ttlSeconds),
                ...indexes.map((index) => String(entries[index][1])),
                feed ? channel : "",
              ],
            }),
          ),
      );
    },

    async incr(key, ttlSeconds) {
      assertTtl(ttlSeconds);
      const p = prefix("INCR");
      // In one MULTI so a counter can never be left without its TTL.
      const [value] = await run("INCR", (c) =>
        c
          .multi()
          .incr(p + key)
          .expire(p + key, ttlSeconds)
          .exec(),
      );
      if (typeof value !== "number") throw new HotStoreError(`redis INCR: unexpected reply ${String(value)}`);
      return value;
    },

    async attempt(key, rule, options = {}) {
      assertRateRule(rule);
      const p = prefix("ATTEMPT");
      const reply = await run("ATTEMPT", (c) =>
        c.eval(ATTEMPT_SCRIPT, {
          keys: [p + key],
          arguments: rateRuleArguments(rule, options.peek === true),
        }),
      );
      if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((n) => typeof n === "number")) {
        throw new HotStoreError(`redis ATTEMPT: unexpected reply ${JSON.stringify(reply)}`);
      }
      const [allowed, count, waitMs] = reply as number[];
      return { allowed: allowed === 1, count, waitMs };
    },

    async ping() {
      try {
        return (await run("PING", (c) => c.ping(), { probe: true })) === "PONG";
      } catch {
        return false;
      }
    },

    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    close() {
      generation?.stop();
      reconnectListeners.clear();
      return Promise.all([feed?.close(), connection.close()]).then(() => undefined);
    },
  };
}
