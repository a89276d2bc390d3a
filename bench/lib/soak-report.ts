/**
 * The soak's verdict and its Markdown: memory must level off after the warm-up and p99 must
 * not drift. Warm-up is the first fifth of the run (at least one minute): JIT, caches filling
 * and pools opening all grow RSS at first, and that growth is not a leak. RSS and p99 are
 * compared as medians of the first and last fifth after it: a single minute's RSS swings by a
 * third with the garbage collector's sawtooth, and a single minute's p99 with whatever else
 * the machine did then.
 */
export interface SoakMinute {
  minute: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and 5xx answers. */
  failures: number;
  rssMB: number;
  heapMB: number;
}

export interface SoakVerdict {
  warmupMinutes: number;
  /** Median RSS of the first fifth after the warm-up. */
  rssAfterWarmupMB: number;
  /** Median RSS of the last fifth. */
  rssAtEndMB: number;
  /** RSS growth from the end of the warm-up to the end, as a fraction (goal ≤ 0.10). */
  rssGrowth: number;
  /** p99 of the last fifth over p99 of the first fifth after warm-up (goal ≤ 1.5). */
  p99Drift: number;
  failures: number;
  rssFlat: boolean;
  p99Stable: boolean;
}

export const RSS_GROWTH_GOAL = 0.1;
export const P99_DRIFT_GOAL = 1.5;

export function judgeSoak(rows: SoakMinute[]): SoakVerdict {
  const warmupMinutes = Math.max(1, Math.floor(rows.length / 5));
  const measured = rows.slice(warmupMinutes);
  const span = Math.max(1, Math.floor(measured.length / 5));
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const rssAfterWarmupMB = median(measured.slice(0, span).map((row) => row.rssMB));
  const rssAtEndMB = median(measured.slice(-span).map((row) => row.rssMB));
  const rssGrowth = (rssAtEndMB - rssAfterWarmupMB) / rssAfterWarmupMB;
  const p99Drift =
    median(measured.slice(-span).map((row) => row.p99Ms)) /
    median(measured.slice(0, span).map((row) => row.p99Ms));
  return {
    warmupMinutes,
    rssAfterWarmupMB,
    rssAtEndMB,
    rssGrowth,
    p99Drift,
    failures: rows.reduce((sum, row) => sum + row.failures, 0),
    rssFlat: rssGrowth <= RSS_GROWTH_GOAL,
    p99Stable: p99Drift <= P99_DRIFT_GOAL,
  };
}

export function renderSoakReport(input: {
  rate: number;
  connections: number;
  rows: SoakMinute[];
  logErrors: number;
  startedAt: Date;
}): string {
  const verdict = judgeSoak(input.rows);
  const mark = (met: boolean) => (met ? "met" : "missed");
  const lines = [
    `# Soak, ${input.rows.length} minutes (${input.startedAt.toISOString()})`,
    "",
    `${input.rate} requests/s over ${input.connections} connections, the read-heavy mix (sync checks, chat and list pages and data requests, no-JS sends), Parley on Postgres + Redis.`,
    "",
    `- RSS (median of a fifth of the run) after the ${verdict.warmupMinutes}-minute warm-up ${verdict.rssAfterWarmupMB.toFixed(0)} MB, at the end ${verdict.rssAtEndMB.toFixed(0)} MB: ${(verdict.rssGrowth * 100).toFixed(1)}% growth (goal ≤ ${RSS_GROWTH_GOAL * 100}%: ${mark(verdict.rssFlat)})`,
    `- p99 of the last fifth / the first fifth after warm-up: ${verdict.p99Drift.toFixed(2)}× (goal ≤ ${P99_DRIFT_GOAL}×: ${mark(verdict.p99Stable)})`,
    `- failed requests (errors, timeouts, 5xx): ${verdict.failures}; error lines in the server's log: ${input.logErrors}`,
    "",
    "| minute | requests | p50 ms | p99 ms | failures | RSS MB | heap MB |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...input.rows.map(
      (row) =>
        `| ${row.minute} | ${row.requests} | ${row.p50Ms} | ${row.p99Ms} | ${row.failures} | ${row.rssMB.toFixed(0)} | ${row.heapMB.toFixed(0)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
