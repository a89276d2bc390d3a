import { describe, expect, it, vi } from "vitest";
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

  it("drops the least recently set keys beyond maxEntries", async () => {
    const store = createMemoryHotStore({ maxEntries: 3 });
    await store.mset(
      [
        ["a", "1"],
        ["b", "2"],
        ["c", "3"],
      ],
      60,
    );
    await store.set("a", "1 again", 60); // now b is the least recently set
    await store.set("d", "4", 60);
    expect(await store.mget(["a", "b", "c", "d"])).toEqual(["1 again", null, "3", "4"]);
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

  it("rejects a maxEntries that is not a positive integer", () => {
    expect(() => createMemoryHotStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});
