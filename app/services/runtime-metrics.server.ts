import { getMetrics } from "#app/lib/metrics/metrics.server";
import type { Runtime } from "./runtime.server";

const CACHE_RESULTS = [
  ["hit", "hits"],
  ["miss", "misses"],
  ["error", "errors"],
  ["bypass", "bypasses"],
] as const;

/**
 * The metrics page in Prometheus's text format. The runtime's own figures (the versioned
 * cache's counters, the pg pool, whether the hot store answers) are read now, at scrape time,
 * so nothing on a request's path pays for them.
 */
export async function renderMetrics(runtime: Runtime): Promise<{ contentType: string; body: string }> {
  const metrics = getMetrics();
  metrics.cacheReads.reset();
  for (const [result, field] of CACHE_RESULTS) metrics.cacheReads.inc({ result }, runtime.chats.stats[field]);
  metrics.pendingVersions.set(runtime.chats.pendingVersionCount);

  const storeUp = runtime.store.kind === "memory" || (await runtime.store.ping().catch(() => false));
  metrics.hotStoreUp.reset();
  metrics.hotStoreUp.set({ kind: runtime.store.kind }, storeUp ? 1 : 0);

  const pool = runtime.database.poolClients?.();
  metrics.pgPool.reset();
  if (pool) for (const [state, count] of Object.entries(pool)) metrics.pgPool.set({ state }, count);

  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}
