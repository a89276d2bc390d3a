import type { SearchCorpusPlan } from "./search-corpus";
import type { MachineInfo } from "./machine";
import type { SeedPlan } from "./seed";
import type { Summary } from "./stats";

/** Everything one run produces; written to bench/results/<timestamp>.json. */
export type RowStatus = "ok" | "unavailable" | "error";

export interface RequestRow {
  scenario: "open-chat" | "list" | "sync" | "send" | "mix";
  /** What was requested, e.g. "chat document", "chat data request". */
  name: string;
  /** Against what, e.g. "Parley + Redis", "bare node:http ceiling". */
  variant: string;
  status: RowStatus;
  /** For unavailable/error rows: why ("unavailable: 404"); for ok rows: caveats. */
  note?: string;
  connections?: number;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  bytesPerResponse?: number;
  cpuMsPerRequest?: number;
  /** Server CPU in cores during the run (1.0 = one core busy). */
  serverCores?: number;
  /** CPU ms per request of Redis / Postgres processes (where measured). */
  extraCpuMsPerRequest?: Record<string, number>;
  rssMB?: number;
  peakRssMB?: number;
  statusCodes?: Record<string, number>;
  errors?: number;
  /** Load generator CPU, as a fraction of one core (near 1.0 = the generator was the limit). */
  generatorCores?: number;
  /** Cores busy with processes that are not the bench's (other people's builds and tests). */
  foreignCores?: number;
  /** The busiest other processes during the run ("command (cores)"), the server and generator left out. */
  busiestOthers?: string[];
  /** For sends: CPU per send including the assistant replies generated after the run. */
  cpuMsPerRequestInclBackground?: number;
  backgroundQuiet?: boolean;
  perLabel?: Record<string, { count: number; p50: number; p99: number; statusCodes: Record<string, number> }>;
}

export interface PageWeight {
  variant: string;
  documentRawBytes: number;
  documentGzipBytes: number;
  assets: number;
  assetsRawBytes: number;
  assetsGzipBytes: number;
  /** Document + every script and stylesheet it links, gzipped: a first visit's transfer. */
  totalGzipBytes: number;
  totalRawBytes: number;
  /** The biggest assets (path, gzip bytes, raw bytes). */
  largestAssets: Array<[string, number, number]>;
}

export interface AccountingRow {
  /** e.g. "chat document (first view)", "send (no-JS, 302)". */
  name: string;
  status: RowStatus;
  note?: string;
  samples?: number;
  statusCodes?: Record<string, number>;
  pgStatements?: number;
  pgRoundTrips?: number;
  pgTransactions?: number;
  redisCommands?: number;
  redisRoundTrips?: number;
  /** For sends: the same figures counted only until the response arrived. */
  duringRequest?: {
    pgStatements: number;
    pgRoundTrips: number;
    redisCommands: number;
    redisRoundTrips: number;
  };
  pgByKind?: Record<string, number>;
  redisByCommand?: Record<string, number>;
  topStatements?: Array<[string, number]>;
}

export interface MixResult {
  status: RowStatus;
  note?: string;
  weights: Record<string, number>;
  row?: RequestRow;
  /** Redis keyspace hits / (hits + misses) during the mix on the Redis-backed server. */
  cacheHitRatio?: number;
  keyspace?: { hits: number; misses: number };
  /** The app's own cache counters (ChatRepository stats from /healthz), when exposed. */
  appCache?: { hits: number; misses: number; errors: number; bypasses: number };
  appCacheHitRatio?: number;
  pageViews?: number;
  /** Counted at the wire in a separate run of the same mix (accounting server). */
  pgStatementsPerPageView?: number;
  pgRoundTripsPerPageView?: number;
  redisCommandsPerPageView?: number;
  accountingPageViews?: number;
}

export interface TabsRow {
  tabs: number;
  design: string;
  intervalMs: number;
  status: RowStatus;
  note?: string;
  windowSec?: number;
  serverRssMB?: number;
  serverCpuSecPerMin?: number;
  redisCpuSecPerMin?: number;
  requestsPerSec?: number;
  /** Polls skipped in the measured window (steady state). */
  skippedPolls?: number;
  /** Polls skipped before the window, while the tabs opened their connections. */
  warmupSkippedPolls?: number;
  pollsCompleted?: number;
  errors?: number;
  errorSamples?: string[];
  openSockets?: number;
  delayP50Ms?: number;
  delayP99Ms?: number;
  seen?: number;
  pollLatency?: Summary | null;
  fireLagP99Ms?: number;
  generatorCpuSecPerMin?: number;
  /** Cores busy with processes that are not the bench's during the window. */
  foreignCores?: number;
  busiestOthers?: string[];
}

export interface BenchResults {
  version: 1;
  mode: "quick" | "full";
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  machine: MachineInfo;
  dataset: {
    postgres: { plan: SeedPlan; counts: Record<string, number>; seedSeconds: number };
    embedded?: { plan: SeedPlan; counts: Record<string, number>; seedSeconds: number };
  };
  settings: Record<string, unknown>;
  routes: Record<string, string>;
  rows: RequestRow[];
  pageWeights: PageWeight[];
  accounting: AccountingRow[];
  mix?: MixResult;
  tabs: TabsRow[];
  /** Startup times and memory of each server started. */
  servers: Array<{
    name: string;
    startMs: number;
    rssMBAtEnd?: number;
    peakRssMB?: number;
    stopMs?: number;
    killed?: boolean;
  }>;
  problems: string[];
  /** The search scenario (bench/scenarios/search.ts), when it ran. */
  search?: SearchBenchResult;
}

/** The search scenario (bench/scenarios/search.ts). */
export interface SearchDatabaseResult {
  database: "postgres" | "pglite";
  seedSeconds: number;
  counts: { chats: number; messages: number; messageBytes: number };
  /** Every timed query (first pages and second pages). */
  overall: Summary;
  byKind: Array<{ kind: string; summary: Summary; hitsPerQuery: number }>;
  slowest: { text: string; ms: number };
  /** CPU seconds of the timing (Postgres backend + client, or PGlite) per query, in ms. */
  cpuMsPerQuery: number;
  /** The 1-minute load average during the timing. */
  loadAverage: number;
  sizes: {
    messagesIndexBytes: number;
    chatsIndexBytes: number;
    messageVectorsBytes: number;
    messagesTableBytes: number;
  };
}

export interface SearchBenchResult {
  plan: SearchCorpusPlan;
  repetitions: number;
  databases: SearchDatabaseResult[];
  /** The goal: p99 under 50 ms on Postgres (stop-word queries aside, see the report). */
  goalMs: number;
}

export const MB = 1024 * 1024;
