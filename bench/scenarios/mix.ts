import { BENCH_OPERATOR_TOKEN, type RunningServer } from "#bench/lib/app-process";
import { tryProbe } from "#bench/lib/http";
import type { LoadEntry } from "#bench/lib/load-types";
import type { MixResult, RequestRow } from "#bench/lib/results";
import type { Fixture } from "#bench/lib/seed";
import type { BenchContext } from "./context";
import {
  chatDataEntries,
  chatDocumentEntries,
  listDataEntries,
  listDocumentEntries,
  measureRoute,
  mixEntries,
  sendEntries,
  syncEntries,
} from "./common";

/**
 * A read-heavy mix, per 100 requests: 50 sync checks, 20 chat data requests (navigation and
 * revalidation), 10 chat documents, 8 list data requests, 4 list documents, 3 sends (no-JS
 * form). Routes that are unavailable are left out of the mix (and named in the result).
 */
export const MIX_WEIGHTS: Record<string, number> = {
  "sync check": 50,
  "chat data request": 20,
  "chat document": 10,
  "chat list data request": 8,
  "chat list document": 4,
  "send (no-JS form)": 3,
};

export const PAGE_VIEW_LABELS = new Set([
  "chat data request",
  "chat document",
  "chat list data request",
  "chat list document",
]);

export function mixParts(
  fixture: Fixture,
  quick: boolean,
  available: (label: string) => boolean,
  sends: LoadEntry[],
): {
  parts: Array<{ label: string; weight: number; entries: LoadEntry[] }>;
  missing: string[];
} {
  const chats = quick ? 10 : 100;
  const users = quick ? 100 : 500;
  const candidates: Array<{ label: string; entries: LoadEntry[] }> = [
    { label: "sync check", entries: syncEntries(fixture, fixture.users.length) },
    { label: "chat data request", entries: chatDataEntries(fixture, chats) },
    { label: "chat document", entries: chatDocumentEntries(fixture, chats) },
    { label: "chat list data request", entries: listDataEntries(fixture, users) },
    { label: "chat list document", entries: listDocumentEntries(fixture, users) },
    { label: "send (no-JS form)", entries: sends },
  ];
  const parts = candidates
    .filter((candidate) => available(candidate.label))
    .map((candidate) => ({ ...candidate, weight: MIX_WEIGHTS[candidate.label] }));
  const missing = candidates
    .filter((candidate) => !available(candidate.label))
    .map((candidate) => candidate.label);
  return { parts, missing };
}

interface AppCacheStats {
  hits: number;
  misses: number;
  errors: number;
  bypasses: number;
}

/** The app's own cache counters (`cacheStats`), from the operators' health details. */
async function appCacheStats(server: RunningServer): Promise<AppCacheStats | null> {
  const result = await tryProbe(`${server.baseUrl}/healthz/details`, {
    headers: { Authorization: `Bearer ${BENCH_OPERATOR_TOKEN}` },
  });
  try {
    const stats = (JSON.parse(result.body) as { cacheStats?: AppCacheStats }).cacheStats;
    return stats && typeof stats.hits === "number" ? stats : null;
  } catch {
    return null;
  }
}

export async function runMix(
  context: BenchContext,
  server: RunningServer,
  available: (label: string) => boolean,
): Promise<MixResult> {
  const sends = sendEntries(context.fixture, context.sendSlots.take(context.quick ? 300 : 2000), "form");
  const { parts, missing } = mixParts(context.fixture, context.quick, available, sends);
  const weights = Object.fromEntries(parts.map((part) => [part.label, part.weight]));
  if (!parts.some((part) => PAGE_VIEW_LABELS.has(part.label))) {
    return {
      status: "unavailable",
      note: `unavailable: no page route answers yet (missing: ${missing.join(", ")})`,
      weights,
    };
  }
  let before = await context.redis.keyspaceStats();
  let appBefore = null as AppCacheStats | null;
  const row: RequestRow = await measureRoute(context, server, {
    scenario: "mix",
    name: "read-heavy mix",
    variant: "Parley + Redis",
    entries: mixEntries(parts),
    check: { statuses: [200, 302, 303] },
    cpu: { redis: true, postgres: true },
    // The hit ratio is the measured run's, after the warm-up.
    onMeasuring: async () => {
      [before, appBefore] = await Promise.all([context.redis.keyspaceStats(), appCacheStats(server)]);
    },
  });
  const [after, appAfter] = await Promise.all([context.redis.keyspaceStats(), appCacheStats(server)]);
  const appCache =
    appBefore && appAfter
      ? {
          hits: appAfter.hits - appBefore.hits,
          misses: appAfter.misses - appBefore.misses,
          errors: appAfter.errors - appBefore.errors,
          bypasses: appAfter.bypasses - appBefore.bypasses,
        }
      : undefined;
  const keyspace = { hits: after.hits - before.hits, misses: after.misses - before.misses };
  const pageViews = Object.entries(row.perLabel ?? {})
    .filter(([label]) => PAGE_VIEW_LABELS.has(label))
    .reduce((sum, [, stats]) => sum + stats.count, 0);
  return {
    status: row.status,
    note: missing.length > 0 ? `left out (unavailable): ${missing.join(", ")}` : undefined,
    weights,
    row,
    cacheHitRatio:
      keyspace.hits + keyspace.misses > 0 ? keyspace.hits / (keyspace.hits + keyspace.misses) : undefined,
    keyspace,
    appCache,
    appCacheHitRatio:
      appCache && appCache.hits + appCache.misses > 0
        ? appCache.hits / (appCache.hits + appCache.misses)
        : undefined,
    pageViews,
  };
}
