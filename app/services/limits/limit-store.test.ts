import { describe, expect, it } from "vitest";
import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { limitStore } from "./limit-store.server";

const quiet = { warn: () => {}, info: () => {} };

/**
 * Under Parley's server the hot store is built by the server's copy of db/hot-store (loaded
 * by tsx) while the limits run inside the Remix bundle, which has a copy of its own: the
 * store's HotStoreError is then another class than the one the bundle imports.
 */
class HotStoreErrorFromAnotherCopy extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HotStoreError";
  }
}

function failingRedis(error: Error): HotStore {
  const store = createMemoryHotStore();
  return {
    ...store,
    kind: "redis",
    attempt: () => Promise.reject(error),
    del: () => Promise.reject(error),
  };
}

describe("limit store", () => {
  it("counts in process when Redis fails, whichever copy of the module made the store's error", async () => {
    const limits = limitStore(
      failingRedis(new HotStoreErrorFromAnotherCopy("redis ATTEMPT: cache generation not established yet")),
      quiet,
    );
    const rule = { windowSeconds: 60, limit: 1 };
    expect((await limits.attempt("limit:test:a", rule)).allowed).toBe(true);
    expect((await limits.attempt("limit:test:a", rule)).allowed).toBe(false);
  });

  it("lets any other failure through: a bug is not an outage", async () => {
    const limits = limitStore(failingRedis(new TypeError("not an outage")), quiet);
    await expect(limits.attempt("limit:test:b", { windowSeconds: 60, limit: 1 })).rejects.toThrow(
      "not an outage",
    );
  });
});
