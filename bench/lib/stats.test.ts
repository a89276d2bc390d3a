import { percentile, ratio, SampleBuffer, seededRandom, shuffle, summarize } from "./stats";

describe("percentile (nearest rank)", () => {
  it("matches the textbook examples", () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 5)).toBe(15);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it("sorts numerically, not as strings, and ignores input order", () => {
    expect(percentile([100, 9, 20, 3], 50)).toBe(9);
    expect(percentile([0.4, 0.05, 0.3], 99)).toBe(0.4);
  });

  it("p99 of 1..1000 is 990 and p50 is 500", () => {
    const values = Array.from({ length: 1000 }, (_, index) => 1000 - index);
    expect(percentile(values, 99)).toBe(990);
    expect(percentile(values, 50)).toBe(500);
  });

  it("is NaN for no samples and rejects out-of-range p", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("summarize and SampleBuffer", () => {
  it("summarises samples pushed into a growing buffer", () => {
    const buffer = new SampleBuffer();
    for (let index = 1; index <= 5000; index += 1) buffer.push(index / 10);
    const summary = summarize(buffer.values());
    expect(summary.count).toBe(5000);
    expect(summary.min).toBe(0.1);
    expect(summary.max).toBe(500);
    expect(summary.p50).toBe(250);
    expect(summary.p99).toBe(495);
    expect(summary.mean).toBeCloseTo(250.05, 6);
  });

  it("summary of nothing is all NaN with count 0", () => {
    expect(summarize([]).count).toBe(0);
    expect(summarize([]).p99).toBeNaN();
  });
});

describe("helpers", () => {
  it("ratio never returns Infinity or NaN", () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(Number.NaN, 3)).toBeNull();
  });

  it("the seeded random source and shuffle are deterministic", () => {
    const first = shuffle([1, 2, 3, 4, 5, 6], seededRandom(7));
    const second = shuffle([1, 2, 3, 4, 5, 6], seededRandom(7));
    expect(first).toEqual(second);
    expect([...first].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
