import type { Summary } from "./stats";

/** One kind of request in a load job. `__UID__` in path or body becomes a unique id per request. */
export interface LoadEntry {
  label: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadJob {
  baseUrl: string;
  connections: number;
  /** About how long the measured run lasts: it sends (rate seen in the warm-up × this) requests. */
  durationSec: number;
  /** About how long the warm-up lasts (after a first round of one request per connection). */
  warmupSec: number;
  /** Requests are sent round-robin through this list (pre-shuffled for mixes). */
  entries: LoadEntry[];
  timeoutSec?: number;
  /**
   * Start with a cold pass: every entry once (up to COLD_PASS_MAX), measured apart, before the
   * timed warm-up. Only for reads: a send's entry must not be used twice.
   */
  coldPass?: boolean;
}

/** The cold pass sends at most this many requests (each entry once). */
export const COLD_PASS_MAX = 500;

/** The cold pass: what the first request to each entry cost (JIT, cache misses). */
export interface ColdPass {
  requests: number;
  seconds: number;
}

export interface LabelStats {
  count: number;
  p50: number;
  p99: number;
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
}

export interface LoadResult {
  /** Seconds the measured run lasted. */
  seconds: number;
  /** Responses received in the measured run. */
  requests: number;
  rps: number;
  /** Response times in ms (sub-millisecond resolution). */
  latency: Summary;
  /** Mean bytes read per response, headers included, as sent on the wire. */
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  perLabel: Record<string, LabelStats>;
  /** CPU seconds the load generator itself used during the measured run. */
  generatorCpuSeconds: number;
}

export type WorkerMessage =
  | { type: "cold" }
  | { type: "cold-done"; pass: ColdPass }
  | { type: "measuring" }
  | { type: "result"; result: LoadResult }
  | { type: "error"; message: string };
