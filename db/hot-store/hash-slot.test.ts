import { describe, expect, it } from "vitest";
import { groupBySlot, hashSlot } from "./hash-slot";

// Compared with a real server's CLUSTER KEYSLOT in redis-cluster.test.ts.
describe("hashSlot", () => {
  it("is CRC16/XMODEM mod 16384, of the hash tag when there is one", () => {
    expect(hashSlot("123456789")).toBe(0x31c3); // the CRC16/XMODEM check value
    expect(hashSlot("foo")).toBe(12182);
    expect(hashSlot("{user1000}.following")).toBe(hashSlot("{user1000}.followers"));
    expect(hashSlot("{user1000}.following")).toBe(hashSlot("user1000"));
    expect(hashSlot("foo{}{bar}")).not.toBe(hashSlot("bar")); // an empty tag: the whole key
    expect(hashSlot("foo{bar}{zap}")).toBe(hashSlot("bar"));
  });

  it("groups keys by slot, keeping a tag's keys together", () => {
    expect(groupBySlot(["a{u:1}x", "b{u:1}y", "c{u:1}z"])).toEqual([[0, 1, 2]]);
    expect(groupBySlot(["{u:1}a", "{u:2}b", "{u:1}c"])).toEqual([[0, 2], [1]]);
    expect(groupBySlot([])).toEqual([]);
  });
});
