import { HotStoreError, type RateRule } from "./hot-store";

/**
 * The parts of `attempt` both stores share: which rules are valid, and how long the growing
 * wait is. The Redis script (redis-store.ts) repeats the arithmetic in Lua; the contract
 * tests hold the two to the same answers.
 */

/** Exponents beyond this already exceed any sane maxMs; capping them keeps 2^n finite. */
const MAX_DOUBLINGS = 40;

const isWhole = (value: number, least: number) => Number.isSafeInteger(value) && value >= least;

/** Rejects a rule that Redis would misread (fractions, zero windows), before anything is counted. */
export function assertRateRule(rule: RateRule): void {
  const problems: string[] = [];
  if (!isWhole(rule.windowSeconds, 1)) problems.push(`windowSeconds ${rule.windowSeconds}`);
  if (!isWhole(rule.limit, 1)) problems.push(`limit ${rule.limit}`);
  if (rule.backoff) {
    const { after, baseMs, maxMs } = rule.backoff;
    if (!isWhole(after, 0)) problems.push(`backoff.after ${after}`);
    if (!isWhole(baseMs, 1)) problems.push(`backoff.baseMs ${baseMs}`);
    if (!isWhole(maxMs, baseMs)) problems.push(`backoff.maxMs ${maxMs}`);
  }
  if (problems.length > 0) throw new HotStoreError(`invalid rate rule: ${problems.join(", ")}`);
}

/** The wait imposed after the `count`-th counted attempt (0 before `backoff.after`). */
export function backoffWaitMs(rule: RateRule, count: number): number {
  if (!rule.backoff || count < rule.backoff.after) return 0;
  const doublings = Math.min(count - rule.backoff.after, MAX_DOUBLINGS);
  return Math.min(rule.backoff.maxMs, rule.backoff.baseMs * 2 ** doublings);
}

/** The Lua twin of assertRateRule's output: the script's arguments, in order. */
export function rateRuleArguments(rule: RateRule, peek: boolean): string[] {
  const backoff = rule.backoff ?? { after: -1, baseMs: 0, maxMs: 0 };
  return [
    String(rule.windowSeconds * 1000),
    String(rule.limit),
    peek ? "1" : "0",
    String(backoff.after),
    String(backoff.baseMs),
    String(backoff.maxMs),
    String(MAX_DOUBLINGS),
  ];
}
