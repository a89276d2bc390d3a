import { HotStoreError, KEY_PREFIX, type HotStore } from "./hot-store";
import { openRedisConnection } from "./redis-connection";
import { assertTtl } from "./ttl";

/** KEYS: the version keys; ARGV[1]: TTL; ARGV[2..]: the versions, in KEYS order. */
const RAISE_VERSIONS_SCRIPT = `
for index, key in ipairs(KEYS) do
  local wanted = tonumber(ARGV[index + 1])
  local current = tonumber(redis.call("GET", key))
  if current == nil or current < wanted then
    redis.call("SET", key, ARGV[index + 1], "EX", ARGV[1])
  else
    redis.call("EXPIRE", key, ARGV[1])
  end
end
return #KEYS`;

export interface RedisHotStoreOptions {
  url: string;
  /** Upper bound on any single operation, connected or not. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** A connection with timeouts and no reply at all for this long is replaced. */
  stalledAfterMs?: number;
  logger?: (msg: string) => void;
}

/**
 * The Redis hot store. Returns at once: it connects in the background, and until Redis is
 * ready every operation rejects with HotStoreError instead of waiting.
 */
export function createRedisHotStore(options: RedisHotStoreOptions): HotStore {
  const commandTimeoutMs = options.commandTimeoutMs ?? 250;
  const connection = openRedisConnection({
    url: options.url,
    commandTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 1000,
    stalledAfterMs: options.stalledAfterMs ?? Math.max(5000, commandTimeoutMs * 4),
    logger: options.logger ?? ((msg) => console.warn(msg)),
  });
  const { run } = connection;
  const k = (key: string) => KEY_PREFIX + key;

  return {
    kind: "redis",

    get: (key) => run("GET", (c) => c.get(k(key))),

    async mget(keys) {
      if (keys.length === 0) return [];
      return run("MGET", (c) => c.mGet(keys.map(k)));
    },

    async set(key, value, ttlSeconds) {
      assertTtl(ttlSeconds);
      await run("SET", (c) => c.set(k(key), value, { expiration: { type: "EX", value: ttlSeconds } }));
    },

    async setIfAbsent(key, value, ttlSeconds) {
      assertTtl(ttlSeconds);
      const reply = await run("SET NX", (c) =>
        c.set(k(key), value, { condition: "NX", expiration: { type: "EX", value: ttlSeconds } }),
      );
      return reply !== null;
    },

    async mset(entries, ttlSeconds) {
      assertTtl(ttlSeconds);
      if (entries.length === 0) return;
      // MSET cannot carry a TTL; a MULTI of SET EX keeps it one round trip and all-or-nothing.
      await run("MSET", (c) => {
        const multi = c.multi();
        for (const [key, value] of entries)
          multi.set(k(key), value, { expiration: { type: "EX", value: ttlSeconds } });
        return multi.exec();
      });
    },

    async del(keys) {
      if (keys.length === 0) return;
      await run("DEL", (c) => c.del(keys.map(k)));
    },

    async raiseVersions(entries, ttlSeconds) {
      assertTtl(ttlSeconds);
      if (entries.length === 0) return;
      // A script, so "compare and raise" is atomic: two writers can never lower a version.
      await run("RAISE", (c) =>
        c.eval(RAISE_VERSIONS_SCRIPT, {
          keys: entries.map(([key]) => k(key)),
          arguments: [String(ttlSeconds), ...entries.map(([, version]) => String(version))],
        }),
      );
    },

    async incr(key, ttlSeconds) {
      assertTtl(ttlSeconds);
      // In one MULTI so a counter can never be left without its TTL.
      const [value] = await run("INCR", (c) => c.multi().incr(k(key)).expire(k(key), ttlSeconds).exec());
      if (typeof value !== "number") throw new HotStoreError(`redis INCR: unexpected reply ${String(value)}`);
      return value;
    },

    async ping() {
      try {
        return (await run("PING", (c) => c.ping(), { probe: true })) === "PONG";
      } catch {
        return false;
      }
    },

    onReconnect: connection.onReconnect,
    close: connection.close,
  };
}
