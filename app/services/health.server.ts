import type { Kysely } from "kysely";
import { pingDb } from "#db/client";
import type { HotStore } from "#db/hot-store/hot-store";
import type { CacheStats } from "#db/cache/versioned-cache";
import { withTimeout } from "#db/lib/with-timeout";
import type { Database } from "#db/schema";
import { getRuntime } from "./runtime.server";

export interface Health {
  db: "ok" | "down";
  cache: "ok" | "down" | "embedded";
  /** This process's cache counters since it started. */
  cacheStats: CacheStats & { pendingVersions: number };
}

export interface HealthDeps {
  db: Kysely<Database>;
  store: HotStore;
  /** Settles once migrations ran; a database that never got there is down. */
  ready: Promise<void>;
  stats: CacheStats;
  pendingVersions: number;
}

/** How long a health check waits for start-up migrations before calling the database down. */
const READY_WAIT_MS = 10_000;

/** Postgres down means Parley cannot work (503); the hot store down only makes it slower (200). */
export async function checkHealth(
  deps: HealthDeps = runtimeDeps(),
): Promise<{ status: 200 | 503; body: Health }> {
  const dbReady = await withTimeout(deps.ready, READY_WAIT_MS).then(
    () => true,
    () => false,
  );
  const embedded = deps.store.kind === "memory";
  const [dbUp, cacheUp] = await Promise.all([
    dbReady ? pingDb(deps.db) : Promise.resolve(false),
    embedded ? Promise.resolve(true) : deps.store.ping(),
  ]);
  return {
    status: dbUp ? 200 : 503,
    body: {
      db: dbUp ? "ok" : "down",
      cache: embedded ? "embedded" : cacheUp ? "ok" : "down",
      cacheStats: { ...deps.stats, pendingVersions: deps.pendingVersions },
    },
  };
}

function runtimeDeps(): HealthDeps {
  const runtime = getRuntime();
  return {
    db: runtime.database.db,
    store: runtime.store,
    ready: runtime.ready,
    stats: runtime.chats.stats,
    pendingVersions: runtime.chats.pendingVersionCount,
  };
}
