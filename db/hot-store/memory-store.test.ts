import { describe, expect, it, vi } from "vitest";
import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";
import { createMemoryHotStore } from "./memory-store";

describe("memory hot store", () => {
  it("expires keys by its clock", async () => {
    let now = 1_000_000;
    const store = createMemoryHotStore({ now: () => now });
    await store.set("k", "v", 10);
    now += 9_999;
    expect(await store.get("k")).toBe("v");
    now += 1;
    expect(await store.get("k")).toBeNull();
    await store.close();
  });

  it("incr refreshes the counter's TTL", async () => {
    let now = 0;
    const store = createMemoryHotStore({ now: () => now });
    await store.incr("c", 10);
    now += 8_000;
    await store.incr("c", 10);
    now += 8_000;
    expect(await store.incr("c", 10)).toBe(3);
    await store.close();
  });

  it("attempt's windows and waits follow its clock", async () => {
    let now = 5_000_000;
    const store = createMemoryHotStore({ now: () => now });
    const rule = { windowSeconds: 3600, limit: 10, backoff: { after: 1, baseMs: 1000, maxMs: 60_000 } };
    expect(await store.attempt("r", rule)).toEqual({ allowed: true, count: 1, waitMs: 3_600_000 });
    now += 999;
    expect(await store.attempt("r", rule)).toEqual({ allowed: false, count: 1, waitMs: 1 });
    now += 1;
    expect(await store.attempt("r", rule)).toEqual({ allowed: true, count: 2, waitMs: 3_599_000 });
    expect(await store.attempt("r", rule)).toEqual({ allowed: false, count: 2, waitMs: 2000 });
    now += 3_599_000; // the window's end, an hour after the first attempt
    expect(await store.attempt("r", rule)).toEqual({ allowed: true, count: 1, waitMs: 3_600_000 });
    await store.close();
  });

  it("drops the least recently used keys beyond maxBytes", async () => {
    // Room for three entries like these, not four.
    const store = createMemoryHotStore({ maxBytes: 3 * cacheEntryBytes("k:a", "1 again") + 10 });
    await store.mset(
      [
        ["k:a", "1"],
        ["k:b", "2"],
        ["k:c", "3"],
      ],
      60,
    );
    await store.set("k:a", "1 again", 60);
    await store.get("k:b"); // read after a's write: now c is the least recently used
    await store.set("k:d", "4", 60);
    expect(await store.mget(["k:a", "k:b", "k:c", "k:d"])).toEqual(["1 again", "2", null, "4"]);
    await store.close();
  });

  it("counts bytes, not keys: one large value makes room by dropping many small ones", async () => {
    const maxBytes = 64 * 1024;
    const store = createMemoryHotStore({ maxBytes });
    const small = Array.from({ length: 200 }, (_, i) => [`small:${i}`, "v"] as const);
    await store.mset(small, 60);
    expect(await store.get("small:0")).toBe("v");
    const large = "x".repeat(20 * 1024); // about 40 kB at two bytes per character
    await store.set("large", large, 60);
    expect(await store.get("large")).toBe(large);
    const values = await store.mget(small.map(([key]) => key));
    const kept = small.filter((_, i) => values[i] !== null);
    expect(kept.length).toBeLessThan(small.length);
    const keptBytes = kept.reduce((sum, [key, value]) => sum + cacheEntryBytes(key, value), 0);
    expect(keptBytes + cacheEntryBytes("large", large)).toBeLessThanOrEqual(maxBytes);
    await store.close();
  });

  it("does not keep a value larger than the whole store, and drops the key's old value", async () => {
    const store = createMemoryHotStore({ maxBytes: 4 * 1024 });
    await store.set("k", "old", 60);
    await store.set("k", "y".repeat(4 * 1024), 60);
    expect(await store.get("k")).toBeNull();
    await store.close();
  });

  it("never calls onReconnect listeners", async () => {
    const store = createMemoryHotStore();
    const listener = vi.fn();
    const unsubscribe = store.onReconnect(listener);
    await store.set("k", "v", 60);
    unsubscribe();
    expect(listener).not.toHaveBeenCalled();
    await store.close();
  });

  it("rejects a maxBytes that is not a positive integer", () => {
    expect(() => createMemoryHotStore({ maxBytes: 0 })).toThrow(RangeError);
    expect(() => createMemoryHotStore({ maxBytes: 1.5 })).toThrow(RangeError);
  });
});
