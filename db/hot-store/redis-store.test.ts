import { createClient } from "redis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HotStoreError, KEY_PREFIX, type HotStore } from "./hot-store";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";
import { freePort, startPrivateRedis, type PrivateRedis } from "./testing/private-redis";

// Sanity bound only: "fast" here means "did not wait for a reconnect or hang".
const QUICK_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every HotStore operation, for asserting that all of them fail the same way. */
function everyOperation(store: HotStore): Array<[string, () => Promise<unknown>]> {
  return [
    ["get", () => store.get("k")],
    ["mget", () => store.mget(["k", "l"])],
    ["set", () => store.set("k", "v", 60)],
    ["setIfAbsent", () => store.setIfAbsent("k", "v", 60)],
    ["mset", () => store.mset([["k", "v"]], 60)],
    ["del", () => store.del(["k"])],
    ["incr", () => store.incr("n", 60)],
    ["attempt", () => store.attempt("r", { windowSeconds: 60, limit: 1 })],
  ];
}

async function expectAllRejectQuickly(store: HotStore): Promise<void> {
  for (const [name, operation] of everyOperation(store)) {
    const started = Date.now();
    await expect(operation(), name).rejects.toBeInstanceOf(HotStoreError);
    expect(Date.now() - started, name).toBeLessThan(QUICK_MS);
  }
}

describe("redis hot store during outages", () => {
  const cleanups: Array<() => Promise<void>> = [];
  // In registration order: each private Redis dies before its store closes, so even a test
  // that failed while Redis was paused cannot leave close() waiting on it.
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function track<T extends HotStore | PrivateRedis>(thing: T): T {
    cleanups.push(async () => ("close" in thing ? thing.close() : thing.kill()));
    return thing;
  }

  function logRecorder() {
    const lines: string[] = [];
    return {
      lines,
      logger: (msg: string) => lines.push(msg),
      count: (text: string) => lines.filter((line) => line.includes(text)).length,
    };
  }

  it("fails fast, pings false and closes when nothing listens", async () => {
    const log = logRecorder();
    const store = createRedisHotStore({ url: `redis://127.0.0.1:${await freePort()}`, logger: log.logger });
    await sleep(500); // several reconnect attempts fail meanwhile

    await expectAllRejectQuickly(store);
    const started = Date.now();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    // Logged once for the outage, not once per reconnect attempt.
    expect(log.count("redis unavailable")).toBe(1);

    const closeStarted = Date.now();
    await store.close();
    expect(Date.now() - closeStarted).toBeLessThan(QUICK_MS);
  });

  it("keeps keys under the parley prefix, each with a TTL", async () => {
    const redis = track(await startPrivateRedis());
    const store = track(createRedisHotStore({ url: redis.url, logger: () => {} }));
    await eventually(() => store.ping());
    await store.set("p:set", "v", 60);
    await store.mset([["p:mset", "v"]], 60);
    await store.setIfAbsent("p:nx", "v", 60);
    await store.incr("p:incr", 60);
    await store.attempt("p:rate", { windowSeconds: 60, limit: 1 });

    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const keys = (await raw.keys("*")).sort();
      expect(keys).toEqual(["p:incr", "p:mset", "p:nx", "p:rate", "p:set"].map((key) => KEY_PREFIX + key));
      for (const key of keys) expect(await raw.ttl(key), key).toBeGreaterThan(0);
    } finally {
      raw.destroy();
    }
  });

  it("rejects while Redis is down and recovers by itself when it returns", async () => {
    const redis = track(await startPrivateRedis());
    const log = logRecorder();
    const store = track(createRedisHotStore({ url: redis.url, logger: log.logger }));
    const reconnected = vi.fn();
    store.onReconnect(reconnected);
    await eventually(() => store.ping());
    await store.set("k", "before", 60);
    expect(reconnected).not.toHaveBeenCalled(); // not on the first connect

    await redis.kill();
    await expectAllRejectQuickly(store);
    expect(await store.ping()).toBe(false);

    await redis.restart();
    await eventually(() => store.ping(), { timeoutMs: 5000, what: "store answering after restart" });
    expect(reconnected).toHaveBeenCalledTimes(1);
    expect(await store.get("k")).toBeNull(); // a fresh, empty server
    await store.set("k", "after", 60);
    expect(await store.get("k")).toBe("after");
    expect(log.count("redis unavailable")).toBe(1);
    expect(log.count("reachable again")).toBe(1);
  });

  it("fires onReconnect on a first connect that follows failed operations", async () => {
    const redis = track(await startPrivateRedis());
    await redis.kill(); // down before the store even starts
    const store = track(createRedisHotStore({ url: redis.url, logger: () => {} }));
    const reconnected = vi.fn();
    store.onReconnect(reconnected);
    await expect(store.del(["k"])).rejects.toBeInstanceOf(HotStoreError); // an invalidation lost

    await redis.restart();
    await eventually(() => store.ping(), { what: "store answering once Redis is up" });
    expect(reconnected).toHaveBeenCalledTimes(1);
  });

  it("times out commands to a paused Redis, then works again when it resumes", async () => {
    const redis = track(await startPrivateRedis());
    const store = track(createRedisHotStore({ url: redis.url, commandTimeoutMs: 200, logger: () => {} }));
    const reconnected = vi.fn();
    store.onReconnect(reconnected);
    await eventually(() => store.ping());
    await store.set("k", "v", 60);

    redis.pause();
    try {
      const started = Date.now();
      await expect(store.get("k")).rejects.toBeInstanceOf(HotStoreError);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(150); // it did wait for the timeout…
      expect(elapsed).toBeLessThan(QUICK_MS); // …and no longer
      expect(await store.ping()).toBe(false);
    } finally {
      redis.resume();
    }

    await eventually(async () => (await store.get("k").catch(() => null)) === "v", {
      what: "read after resume",
    });
    // The timed-out command was a failure; Redis answering again is the reconnect.
    expect(reconnected).toHaveBeenCalledTimes(1);
  });

  it("replaces a connection that stays silent, and closes without hanging", async () => {
    const redis = track(await startPrivateRedis());
    const log = logRecorder();
    const store = track(
      createRedisHotStore({ url: redis.url, commandTimeoutMs: 100, stalledAfterMs: 400, logger: log.logger }),
    );
    const reconnected = vi.fn();
    store.onReconnect(reconnected);
    await eventually(() => store.ping());

    redis.pause();
    try {
      const until = Date.now() + 700;
      while (Date.now() < until) await expect(store.get("k")).rejects.toBeInstanceOf(HotStoreError);
      expect(log.count("replacing the connection")).toBe(1);
      // The new socket cannot finish its handshake with a paused server: fail fast meanwhile.
      await expectAllRejectQuickly(store);
    } finally {
      redis.resume();
    }
    await eventually(() => store.ping(), { what: "store answering after resume" });
    expect(reconnected).toHaveBeenCalledTimes(1);

    // A paused server with a command in flight must not hold close() hostage.
    redis.pause();
    const inFlight = store.get("k").catch(() => "rejected");
    const started = Date.now();
    await store.close();
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(await inFlight).toBe("rejected");
    redis.resume();
  });
});
