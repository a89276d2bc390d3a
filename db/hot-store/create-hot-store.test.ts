import { describe, expect, it } from "vitest";
import { createHotStore } from "./create-hot-store";
import { freePort } from "./testing/private-redis";

describe("createHotStore", () => {
  it("uses memory without a Redis URL, or with a blank one", async () => {
    for (const redisUrl of [undefined, "", "  "]) {
      const store = createHotStore({ redisUrl });
      expect(store.kind).toBe("memory");
      await store.close();
    }
  });

  it("uses Redis when given a URL, without waiting for it", async () => {
    const store = createHotStore({ redisUrl: `redis://127.0.0.1:${await freePort()}`, logger: () => {} });
    expect(store.kind).toBe("redis");
    await store.close();
  });
});
