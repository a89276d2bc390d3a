import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { singleton } from "#app/lib/singleton.server";

/**
 * Parley's Prometheus metrics, one registry per process (a singleton: server/ and the Remix
 * bundle each load this module, and both must record into the same registry). Labels are
 * bounded sets only: route patterns (never raw URLs), methods, status codes, outcomes.
 * The runtime's figures (cache counters, pg pool, hot store) are read at scrape time by
 * app/services/runtime-metrics.server.ts; everything here is recorded as it happens.
 */
function createMetrics() {
  const registry = new Registry();
  // Process figures: RSS, heap, GC, event-loop lag (nodejs_eventloop_lag_* from perf_hooks).
  // The lag histogram samples with a timer: every 100 ms rather than every 20, which woke an
  // idle process 50 times a second (idle CPU 1.15 against 0.99 CPU-s/min, measured side by
  // side). A stall still shows in the timer that fires late after it.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  return {
    registry,
    requestDuration: new Histogram({
      name: "parley_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route pattern (never the raw URL), method and status.",
      labelNames: ["route", "method", "status"] as const,
      // From a sync check answered from memory (~0.1 ms) to a page on a slow database.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    syncChecks: new Counter({
      name: "parley_sync_checks_total",
      help: "Sync checks answered (the poll every visible tab sends), by whether it named a chat.",
      labelNames: ["scope"] as const,
      registers,
    }),
    repliesPending: new Gauge({
      name: "parley_replies_pending",
      help: "Replies this instance is generating now.",
      registers,
    }),
    repliesFinished: new Counter({
      name: "parley_replies_finished_total",
      help: "Replies this instance finished, by outcome (complete, stopped, error).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    repliesInterrupted: new Counter({
      name: "parley_replies_interrupted_total",
      help: "Pending replies this instance marked interrupted (their generator's process died).",
      registers,
    }),
    firstToken: new Histogram({
      name: "parley_provider_first_token_seconds",
      help: "Time from asking the model to its first token.",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers,
    }),
    // Counted by the versioned cache itself (db/ knows nothing of Prometheus) and copied in at
    // scrape time, hence a counter that is reset and set rather than incremented here.
    cacheReads: new Counter({
      name: "parley_cache_reads_total",
      help:
        "Versioned-cache reads by result: hit, miss, error (the hot store failed; Postgres " +
        "answered) and bypass (versions still unpublished, so Postgres answered).",
      labelNames: ["result"] as const,
      registers,
    }),
    pendingVersions: new Gauge({
      name: "parley_cache_pending_versions",
      help: "Version keys waiting to be published to the hot store (it was unreachable).",
      registers,
    }),
    hotStoreUp: new Gauge({
      name: "parley_hot_store_up",
      help: "1 when the hot store answers a ping (always 1 for the in-process store).",
      labelNames: ["kind"] as const,
      registers,
    }),
    pgPool: new Gauge({
      name: "parley_pg_pool_clients",
      help: "Postgres pool clients by state: total, idle, waiting (requests queued for a client).",
      labelNames: ["state"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function getMetrics(): Metrics {
  return singleton("metrics", createMetrics);
}
