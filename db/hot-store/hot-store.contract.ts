import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HotStoreError, type HotStore, type RateRule } from "./hot-store";
import { testKeys } from "./testing/test-keys";

/**
 * The behaviour every HotStore must share, so the memory twin cannot drift from Redis.
 * `factory` must resolve a store that is ready to answer. Keys live under a namespace
 * unique to this run and are deleted afterwards: the Redis may be shared.
 */
export function describeHotStoreContract(name: string, factory: () => HotStore | Promise<HotStore>): void {
  describe(`HotStore contract: ${name}`, () => {
    let store: HotStore;
    const { key, used } = testKeys("test");

    beforeAll(async () => {
      store = await factory();
    });

    afterAll(async () => {
      if (!store) return;
      await store.del(used()).catch(() => {});
      await store.close();
    });

    it("gets null for a missing key and what was set otherwise", async () => {
      expect(await store.get(key("missing"))).toBeNull();
      await store.set(key("a"), "one", 60);
      expect(await store.get(key("a"))).toBe("one");
      await store.set(key("a"), "two", 60);
      expect(await store.get(key("a"))).toBe("two");
    });

    it("round-trips empty and non-ASCII values", async () => {
      await store.set(key("empty"), "", 60);
      await store.set(key("unicode"), "héllo ✓ 🚀", 60);
      expect(await store.get(key("empty"))).toBe("");
      expect(await store.get(key("unicode"))).toBe("héllo ✓ 🚀");
    });

    it("mget answers in request order with null for missing keys", async () => {
      await store.set(key("m1"), "1", 60);
      await store.set(key("m3"), "3", 60);
      expect(await store.mget([key("m3"), key("m2"), key("m1"), key("m3")])).toEqual(["3", null, "1", "3"]);
      expect(await store.mget([])).toEqual([]);
    });

    it("mset sets every entry", async () => {
      await store.mset(
        [
          [key("s1"), "x"],
          [key("s2"), "y"],
        ],
        60,
      );
      expect(await store.mget([key("s1"), key("s2")])).toEqual(["x", "y"]);
      await store.mset([], 60);
    });

    it("setIfAbsent sets only an absent key", async () => {
      expect(await store.setIfAbsent(key("once"), "first", 60)).toBe(true);
      expect(await store.setIfAbsent(key("once"), "second", 60)).toBe(false);
      expect(await store.get(key("once"))).toBe("first");
      await store.del([key("once")]);
      expect(await store.setIfAbsent(key("once"), "third", 60)).toBe(true);
      expect(await store.get(key("once"))).toBe("third");
    });

    it("del removes the given keys and ignores missing ones", async () => {
      await store.mset(
        [
          [key("d1"), "1"],
          [key("d2"), "2"],
          [key("d3"), "3"],
        ],
        60,
      );
      await store.del([key("d1"), key("d2"), key("never-set")]);
      expect(await store.mget([key("d1"), key("d2"), key("d3")])).toEqual([null, null, "3"]);
      await store.del([]);
    });

    it("raiseVersions only ever raises, and sets missing keys", async () => {
      await store.raiseVersions(
        [
          [key("v1"), 5],
          [key("v2"), 3],
        ],
        60,
      );
      await store.raiseVersions(
        [
          [key("v1"), 4],
          [key("v2"), 9],
        ],
        60,
      );
      expect(await store.mget([key("v1"), key("v2")])).toEqual(["5", "9"]);
      await store.raiseVersions([[key("v3"), 1]], 1);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await store.get(key("v3"))).toBeNull();
    });

    it("incr counts up from 1", async () => {
      expect(await store.incr(key("counter"), 60)).toBe(1);
      expect(await store.incr(key("counter"), 60)).toBe(2);
      expect(await store.incr(key("counter"), 60)).toBe(3);
      expect(await store.get(key("counter"))).toBe("3");
    });

    it("incr rejects a value that is not an integer", async () => {
      await store.set(key("text"), "abc", 60);
      await expect(store.incr(key("text"), 60)).rejects.toBeInstanceOf(HotStoreError);
      expect(await store.get(key("text"))).toBe("abc");
    });

    it("rejects a TTL that is not a positive whole number", async () => {
      for (const ttl of [0, -1, 1.5, Number.NaN]) {
        await expect(store.set(key("bad-ttl"), "v", ttl)).rejects.toBeInstanceOf(HotStoreError);
        await expect(store.incr(key("bad-ttl"), ttl)).rejects.toBeInstanceOf(HotStoreError);
      }
      expect(await store.get(key("bad-ttl"))).toBeNull();
    });

    // One shared sleep for every way of writing, to keep the suite fast.
    it("expires every kind of write after its TTL", async () => {
      await store.set(key("t-set"), "v", 1);
      await store.mset([[key("t-mset"), "v"]], 1);
      expect(await store.setIfAbsent(key("t-nx"), "v", 1)).toBe(true);
      expect(await store.incr(key("t-incr"), 1)).toBe(1);
      await store.set(key("t-long"), "v", 60);
      expect(await store.mget([key("t-set"), key("t-mset"), key("t-nx"), key("t-incr")])).toEqual([
        "v",
        "v",
        "v",
        "1",
      ]);

      await new Promise((resolve) => setTimeout(resolve, 1200));

      expect(await store.mget([key("t-set"), key("t-mset"), key("t-nx"), key("t-incr")])).toEqual([
        null,
        null,
        null,
        null,
      ]);
      expect(await store.get(key("t-long"))).toBe("v");
      // An expired counter starts again, and an expired key can be claimed again.
      expect(await store.incr(key("t-incr"), 60)).toBe(1);
      expect(await store.setIfAbsent(key("t-nx"), "again", 60)).toBe(true);
    });

    it("attempt counts up to the limit, then refuses without counting until the window ends", async () => {
      const rule: RateRule = { windowSeconds: 60, limit: 3 };
      const counts = [];
      for (let i = 0; i < 3; i += 1) {
        const verdict = await store.attempt(key("quota"), rule);
        expect(verdict.allowed).toBe(true);
        expect(verdict.waitMs).toBeGreaterThan(58_000);
        expect(verdict.waitMs).toBeLessThanOrEqual(60_000);
        counts.push(verdict.count);
      }
      expect(counts).toEqual([1, 2, 3]);
      for (let i = 0; i < 2; i += 1) {
        const refused = await store.attempt(key("quota"), rule);
        expect(refused).toMatchObject({ allowed: false, count: 3 });
        expect(refused.waitMs).toBeGreaterThan(58_000);
        expect(refused.waitMs).toBeLessThanOrEqual(60_000);
      }
      // A higher limit on the same key counts on from there.
      expect(await store.attempt(key("quota"), { windowSeconds: 60, limit: 4 })).toMatchObject({
        allowed: true,
        count: 4,
      });
    });

    it("attempt with peek answers without counting", async () => {
      const rule: RateRule = { windowSeconds: 60, limit: 1 };
      expect(await store.attempt(key("peek"), rule, { peek: true })).toEqual({
        allowed: true,
        count: 0,
        waitMs: 60_000,
      });
      expect(await store.attempt(key("peek"), rule, { peek: true })).toMatchObject({
        allowed: true,
        count: 0,
      });
      expect(await store.get(key("peek"))).toBeNull();
      expect(await store.attempt(key("peek"), rule)).toMatchObject({ allowed: true, count: 1 });
      expect(await store.attempt(key("peek"), rule, { peek: true })).toMatchObject({
        allowed: false,
        count: 1,
      });
    });

    it("attempt's window is fixed from the first attempt, and then it starts again", async () => {
      const rule: RateRule = { windowSeconds: 1, limit: 2 };
      expect(await store.attempt(key("window"), rule)).toMatchObject({ allowed: true, count: 1 });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await store.attempt(key("window"), rule)).toMatchObject({ allowed: true, count: 2 });
      const refused = await store.attempt(key("window"), rule);
      expect(refused.allowed).toBe(false);
      expect(refused.waitMs).toBeLessThanOrEqual(400); // the second attempt did not extend it
      await new Promise((resolve) => setTimeout(resolve, refused.waitMs + 100));
      expect(await store.attempt(key("window"), rule)).toMatchObject({ allowed: true, count: 1 });
    });

    it("attempt's backoff makes each attempt after the first few wait twice as long, up to the cap", async () => {
      const rule: RateRule = {
        windowSeconds: 60,
        limit: 100,
        backoff: { after: 2, baseMs: 200, maxMs: 500 },
      };
      const attempt = () => store.attempt(key("backoff"), rule);
      expect(await attempt()).toMatchObject({ allowed: true, count: 1 });
      expect(await attempt()).toMatchObject({ allowed: true, count: 2 });
      const waits: number[] = [];
      for (const expected of [200, 400, 500]) {
        const refused = await attempt();
        expect(refused.allowed).toBe(false);
        expect(refused.waitMs).toBeGreaterThan(expected - 100);
        expect(refused.waitMs).toBeLessThanOrEqual(expected);
        waits.push(refused.count);
        await new Promise((resolve) => setTimeout(resolve, refused.waitMs + 20));
        expect(await attempt()).toMatchObject({ allowed: true });
      }
      // Refused attempts were not counted: 2, then one per wait.
      expect(waits).toEqual([2, 3, 4]);
    });

    it("attempt admits exactly the limit when many race", async () => {
      const rule: RateRule = { windowSeconds: 60, limit: 7 };
      const verdicts = await Promise.all(Array.from({ length: 40 }, () => store.attempt(key("race"), rule)));
      const admitted = verdicts.filter((verdict) => verdict.allowed).map((verdict) => verdict.count);
      expect(admitted.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it("attempt rejects an invalid rule, and a key that holds something else", async () => {
      const invalid: RateRule[] = [
        { windowSeconds: 0, limit: 1 },
        { windowSeconds: 1.5, limit: 1 },
        { windowSeconds: 60, limit: 0 },
        { windowSeconds: 60, limit: 1, backoff: { after: 1, baseMs: 100, maxMs: 50 } },
      ];
      for (const rule of invalid) {
        await expect(store.attempt(key("invalid"), rule)).rejects.toBeInstanceOf(HotStoreError);
      }
      expect(await store.get(key("invalid"))).toBeNull();
      await store.set(key("occupied"), "abc", 60);
      await expect(store.attempt(key("occupied"), { windowSeconds: 60, limit: 1 })).rejects.toBeInstanceOf(
        HotStoreError,
      );
    });

    it("answers ping", async () => {
      expect(await store.ping()).toBe(true);
    });
  });

  describe(`HotStore contract: ${name}, once closed`, () => {
    it("rejects every operation with HotStoreError and pings false", async () => {
      const closed = await factory();
      await closed.close();
      const k = `test:closed:${process.pid}`;
      const operations: Array<() => Promise<unknown>> = [
        () => closed.get(k),
        () => closed.mget([k]),
        () => closed.set(k, "v", 60),
        () => closed.setIfAbsent(k, "v", 60),
        () => closed.mset([[k, "v"]], 60),
        () => closed.del([k]),
        () => closed.incr(k, 60),
        () => closed.attempt(k, { windowSeconds: 60, limit: 1 }),
      ];
      for (const operation of operations) await expect(operation()).rejects.toBeInstanceOf(HotStoreError);
      expect(await closed.ping()).toBe(false);
      await closed.close(); // closing twice is harmless
    });
  });
}
