/**
 * Small, pure statistics used by every scenario. Latencies are kept as plain arrays of
 * milliseconds (floats): autocannon's own histogram has 1 ms resolution, too coarse for a
 * sync check that answers in a fraction of a millisecond.
 */

/**
 * The p-th percentile (0..100) by the nearest-rank method on a sorted copy: the smallest
 * value such that at least p% of the samples are less than or equal to it. NaN when empty.
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return percentileOfSorted(sorted, p);
}

/** As percentile(), for values already sorted ascending (no copy). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, min: NaN, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  let total = 0;
  for (let index = 0; index < count; index += 1) total += sorted[index];
  return {
    count,
    min: sorted[0],
    mean: total / count,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[count - 1],
  };
}

/** A growable Float64Array: 100k samples cost 800 kB instead of a boxed-number array. */
export class SampleBuffer {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

/** a / b, or null when either is missing or b is 0: ratios in the report never show Infinity. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (
    a === null ||
    a === undefined ||
    b === null ||
    b === undefined ||
    !Number.isFinite(a) ||
    !Number.isFinite(b) ||
    b === 0
  ) {
    return null;
  }
  return a / b;
}

/** Deterministic PRNG (mulberry32) so seeds and request mixes are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with a given random source. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}
