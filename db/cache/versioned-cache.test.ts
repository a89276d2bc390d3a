import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { freePort, startPrivateRedis, type PrivateRedis } from "#db/hot-store/testing/private-redis";
import { testKeys } from "#db/hot-store/testing/test-keys";
import { VersionedCache } from "./versioned-cache";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A load that counts its calls, to tell a cache hit from a read of the truth. */
function counted<T>(value: T) {
  const load = vi.fn(async () => value);
  return load;
}

const never = async (): Promise<never> => {
  throw new Error("the truth was read although the cache should have answered");
};

const stores: Array<[string, () => Promise<HotStore>]> = [
  ["memory", async () => createMemoryHotStore()],
  [
    "redis",
    async () => {
      const store = createRedisHotStore({ url: REDIS_URL, logger: () => {} });
      await eventually(() => store.ping(), { what: `Redis at ${REDIS_URL} answering` });
      return store;
    },
  ],
];

describe.each(stores)("VersionedCache over the %s store", (_name, openStore) => {
  let store: HotStore;
  let cache: VersionedCache;
  const { key, used } = testKeys("test:vc");

  beforeAll(async () => {
    store = await openStore();
    cache = new VersionedCache({ store, ttlSeconds: 60 });
  });
  afterAll(async () => {
    cache?.dispose();
    await store?.del(used()).catch(() => {});
    await store?.close();
  });

  it("never moves a version backwards, whatever order writers publish in", async () => {
    await cache.publish([[key("v"), 5]]);
    await cache.publish([[key("v"), 3]]);
    expect(await cache.readVersions([key("v")], never)).toEqual([5]);

    const shuffled = Array.from({ length: 20 }, (_, index) => index + 1).sort(() => Math.random() - 0.5);
    await Promise.all(shuffled.map((version) => cache.publish([[key("raced"), version]])));
    expect(await cache.readVersions([key("raced")], never)).toEqual([20]);
  });

  it("reads missing versions from the truth once, then from the store", async () => {
    const truth = vi.fn(async () => [7, null]);
    const misses = cache.stats.misses;
    expect(await cache.readVersions([key("known"), key("absent")], truth)).toEqual([7, null]);
    expect(cache.stats.misses).toBe(misses + 1);

    const hits = cache.stats.hits;
    expect(await cache.readVersions([key("known")], never)).toEqual([7]);
    expect(cache.stats.hits).toBe(hits + 1);
    // "No such thing" is not stored: it is asked of the truth again.
    await cache.readVersions([key("absent")], truth);
    expect(truth).toHaveBeenCalledTimes(2);
  });

  it("refills a version without lowering one a writer published meanwhile", async () => {
    await cache.publish([[key("newer"), 9]]);
    await cache.readVersions([key("newer"), key("other")], async () => [4, 1]);
    expect(await cache.readVersions([key("newer")], never)).toEqual([9]);
  });

  it("reads through: loads on a miss, refills, then serves the same value from the store", async () => {
    const value = { title: "cached", created_at: new Date("2026-01-02T03:04:05.678Z") };
    const load = counted(value);
    const before = { ...cache.stats };
    // The caller revives its own shape's dates (db/cache/revive-dates.ts); JSON has none.
    const revive = (read: typeof value) => ({ ...read, created_at: new Date(read.created_at) });
    expect(await cache.readThrough(key("entry"), load, revive)).toEqual(value);
    const again = await cache.readThrough(key("entry"), load, revive);
    expect(again).toEqual(value);
    expect(again.created_at).toBeInstanceOf(Date);
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.stats.misses).toBe(before.misses + 1);
    expect(cache.stats.hits).toBe(before.hits + 1);
  });

  it("does not cache a load that found nothing", async () => {
    const load = counted(null);
    await cache.readThrough(key("nothing"), load);
    await cache.readThrough(key("nothing"), load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("reads several keys in one go, loading only those the store lacks", async () => {
    await cache.readThrough(key("first"), async () => "one");
    const first = counted("not this");
    const second = counted("two");
    expect(
      await cache.readAllThrough<[string, string]>([
        { key: key("first"), load: first },
        { key: key("second"), load: second },
      ]),
    ).toEqual(["one", "two"]);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);

    const hits = cache.stats.hits;
    expect(
      await cache.readAllThrough<[string, string]>([
        { key: key("first"), load: never },
        { key: key("second"), load: never },
      ]),
    ).toEqual(["one", "two"]);
    expect(cache.stats.hits).toBe(hits + 1);
  });

  it("answers unversioned keys in the same read as the versions", async () => {
    await store.set(key("progress"), "half", 60);
    await cache.publish([[key("with-extras"), 2]]);
    expect(await cache.readVersionsWithExtras([key("with-extras")], [key("progress")], never)).toEqual({
      versions: [2],
      extras: ["half"],
    });
  });
});

describe("VersionedCache when the store fails", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function open(store: HotStore) {
    const cache = new VersionedCache({ store, ttlSeconds: 300 });
    cleanups.push(
      () => cache.dispose(),
      () => store.close(),
    );
    return cache;
  }

  it("answers from the truth and counts every failed store call when the store is unreachable", async () => {
    const cache = open(
      createRedisHotStore({ url: `redis://127.0.0.1:${await freePort()}`, logger: () => {} }),
    );
    const load = counted("from the truth");
    expect(await cache.readThrough("entry", load)).toBe("from the truth");
    expect(await cache.readThrough("entry", load)).toBe("from the truth");
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.stats).toEqual({ hits: 0, misses: 0, errors: 2, bypasses: 0 });

    await cache.publish([["ver", 1]]);
    expect(cache.stats.errors).toBe(3);
    expect(cache.pendingVersionCount).toBe(1);
    expect(await cache.readVersions(["ver"], async () => [1])).toEqual([1]);
    expect(cache.stats.bypasses).toBe(1);
  });

  it("replays a failed publication when the store answers again, and reads around the store until then", async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.kill());
    const store = createRedisHotStore({ url: redis.url, commandTimeoutMs: 200, logger: () => {} });
    const cache = open(store);
    await eventually(() => store.ping(), { what: "private redis ready" });
    await cache.publish([["ver", 1]]);
    await cache.readThrough("data:1", async () => "old data");

    // Frozen, Redis keeps its memory: when it resumes it still holds version 1.
    redis.pause();
    try {
      await cache.publish([["ver", 2]]);
      expect(cache.pendingVersionCount).toBe(1);
      const bypasses = cache.stats.bypasses;
      expect(await cache.readVersions(["ver"], async () => [2])).toEqual([2]);
      const load = counted("read around the store");
      expect(await cache.readThrough("data:1", load)).toBe("read around the store");
      expect(load).toHaveBeenCalledTimes(1);
      expect(cache.stats.bypasses).toBe(bypasses + 2);
    } finally {
      redis.resume();
    }

    // Only the store is asked here: the replay comes from its reconnect signal, not a read.
    await eventually(async () => (await store.ping()) && cache.pendingVersionCount === 0, {
      what: "pending version replayed",
      timeoutMs: 10_000,
    });
    const hits = cache.stats.hits;
    expect(await cache.readVersions(["ver"], never)).toEqual([2]);
    expect(cache.stats.hits).toBe(hits + 1);
  });
});
