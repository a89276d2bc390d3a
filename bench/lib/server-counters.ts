import { BENCH_OPERATOR_TOKEN } from "./app-process";
import { tryProbe } from "./http";

/**
 * Counters a Parley exposes to operators in `/healthz/details` (read with the bench's
 * OPERATOR_TOKEN). The response cache's are read where present (`responseCache: { hits,
 * misses }`); a server without them (an older build, the cache not built or turned off)
 * gives null, and the report says "not exposed" rather than guessing.
 */
export interface HitCounters {
  hits: number;
  misses: number;
}

export async function healthDetails(baseUrl: string): Promise<Record<string, unknown> | null> {
  const result = await tryProbe(`${baseUrl}/healthz/details`, {
    headers: { Authorization: `Bearer ${BENCH_OPERATOR_TOKEN}` },
  });
  if (result.status !== 200) return null;
  try {
    const parsed: unknown = JSON.parse(result.body);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `{ hits, misses }` at `key` of the details, when both are numbers. */
export function hitCounters(details: Record<string, unknown> | null, key: string): HitCounters | null {
  const value = details?.[key];
  if (!value || typeof value !== "object") return null;
  const { hits, misses } = value as Record<string, unknown>;
  return typeof hits === "number" && typeof misses === "number" ? { hits, misses } : null;
}

export async function responseCacheCounters(baseUrl: string): Promise<HitCounters | null> {
  return hitCounters(await healthDetails(baseUrl), "responseCache");
}

/** Hits and misses between two readings, with the hit ratio (null when either is missing or nothing was counted). */
export function hitDelta(
  before: HitCounters | null,
  after: HitCounters | null,
): { hits: number; misses: number; hitRatio: number } | null {
  if (!before || !after) return null;
  const hits = after.hits - before.hits;
  const misses = after.misses - before.misses;
  if (hits + misses <= 0) return null;
  return { hits, misses, hitRatio: hits / (hits + misses) };
}
