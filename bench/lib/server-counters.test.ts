import { hitCounters, hitDelta } from "./server-counters";

describe("response-cache counters", () => {
  it("reads { hits, misses } where the server exposes them, and nothing it does not", () => {
    expect(hitCounters({ responseCache: { hits: 5, misses: 2, bytes: 10 } }, "responseCache")).toEqual({
      hits: 5,
      misses: 2,
    });
    expect(hitCounters({ cacheStats: { hits: 5, misses: 2 } }, "responseCache")).toBeNull();
    expect(hitCounters({ responseCache: { hits: "5", misses: 2 } }, "responseCache")).toBeNull();
    expect(hitCounters(null, "responseCache")).toBeNull();
  });

  it("gives the hit ratio over a window, or null when a reading is missing or nothing was counted", () => {
    expect(hitDelta({ hits: 10, misses: 5 }, { hits: 109, misses: 6 })).toEqual({
      hits: 99,
      misses: 1,
      hitRatio: 0.99,
    });
    expect(hitDelta(null, { hits: 1, misses: 0 })).toBeNull();
    expect(hitDelta({ hits: 3, misses: 3 }, { hits: 3, misses: 3 })).toBeNull();
  });
});
