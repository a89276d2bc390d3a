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
  /**
   * The cold pass before the warm-up: every entry requested once (first requests of a route in
   * this server, each chat's first request), server CPU per request. Reported apart so that
   * the measured (warm) figure never carries the JIT or cache fills.
   */
  coldRequests?: number;
  coldCpuMsPerRequest?: number;
  /** The server's own response-cache counters over the measured run, when it exposes them. */
  responseCache?: { hits: number; misses: number; hitRatio: number };
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
  /**
   * Statements of the app's own timers (revocation feed, reply sweeper, cleanup) that ran in
   * the same windows: counted apart, not in pgStatements (see BackgroundStatements).
   */
  pgBackgroundStatements?: number;
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
  /** The server's RSS before any tab opened (for a server shared by two configurations, before the first). */
  serverRssNoTabsMB?: number;
  /** RSS at the end of the window after a forced collection (garbage left out). */
  serverRssCollectedMB?: number;
  /** RSS before any tab opened, after a forced collection. */
  serverRssNoTabsCollectedMB?: number;
  /** (RSS at the end − RSS with no tabs) / tabs, both after a forced collection. */
  memoryPerTabKB?: number;
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
  /** The background statements the accounting phase learned while no request was in flight. */
  accountingBackground?: string[];
  mix?: MixResult;
  tabs: TabsRow[];
  /** Startup times and memory of each server started. */
  servers: Array<{
    name: string;
    startMs: number;
    rssMBAtEnd?: number;
    /** RSS at the end once V8 collected all it could (servers started with an inspector). */
    rssMBAfterCollection?: number;
    peakRssMB?: number;
    stopMs?: number;
    killed?: boolean;
  }>;
  problems: string[];
  /** Per-route CPU breakdowns from V8 profiles (bench/scenarios/profile.ts), when they ran. */
  profiles?: RouteProfile[];
  /** The search scenario (bench/scenarios/search.ts), when it ran. */
  search?: SearchBenchResult;
}

/** Where one route's server CPU went, from a V8 profile taken during a short load. */
export interface RouteProfile {
  route: string;
  /** The server configuration profiled ("Parley + Redis" or the response cache off). */
  variant: string;
  status: RowStatus;
  note?: string;
  requests?: number;
  /** Whole process CPU per request over the profiled window, and its main thread's part. */
  cpuMsPerRequest?: number;
  mainThreadMsPerRequest?: number;
  /**
   * Shares of the process's CPU (they add up to 1): each category's share of the main
   * thread's sampled time, scaled by the main thread's part, plus "off the main thread".
   */
  shares?: Record<string, number>;
  /** The heaviest frames by self time, ms per request. */
  top?: Array<[string, number]>;
  /** Where the .cpuprofile was written (kept with --keep-tmp; Chrome DevTools opens it). */
  file?: string;
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

/** The variant measured with RESPONSE_CACHE_MAX_BYTES=0: every page a miss. */
export const NO_RESPONSE_CACHE = "Parley + Redis, response cache off";
