import { describe, expect, it } from "vitest";
import { judgeSoak, type SoakMinute } from "./soak-report";

const minute = (index: number, rssMB: number, p99Ms: number): SoakMinute => ({
  minute: index + 1,
  requests: 6000,
  p50Ms: 2,
  p99Ms,
  failures: 0,
  rssMB,
  heapMB: 40,
});

describe("the soak's verdict", () => {
  it("forgives the warm-up's growth and calls a level curve flat", () => {
    const rows = [150, 200, 205, 204, 208, 206, 207, 209, 208, 210].map((rss, index) =>
      minute(index, rss, 12),
    );
    const verdict = judgeSoak(rows);
    expect(verdict.warmupMinutes).toBe(2);
    // Medians of minutes 3–4 (204, 205) and 9–10 (208, 210).
    expect(verdict.rssGrowth).toBeCloseTo((210 - 205) / 205, 5);
    expect(verdict.rssFlat).toBe(true);
    expect(verdict.p99Stable).toBe(true);
  });

  it("calls steady growth after the warm-up a leak, and a p99 that doubles a drift", () => {
    const rows = Array.from({ length: 10 }, (_, index) => minute(index, 200 + index * 10, 10 + index * 3));
    const verdict = judgeSoak(rows);
    expect(verdict.rssFlat).toBe(false);
    expect(verdict.p99Stable).toBe(false);
  });
});
