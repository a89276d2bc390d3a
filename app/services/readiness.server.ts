import type { Kysely } from "kysely";
import { pingDb } from "#db/client";
import type { Database } from "#db/schema";
import { withTimeout } from "#db/lib/with-timeout";
import { readyRuntime } from "./runtime.server";

/**
 * Readiness (`GET /readyz`, answered in server/fast-paths.ts): may this instance be sent
 * traffic right now? Only while Postgres answers, so a proxy drains an instance whose database
 * is unreachable and sends it requests again when it answers. Liveness stays `/healthz`.
 *
 * A probe costs at most one bounded `select 1`, and answers within about `timeoutMs`. The answer
 * is remembered for `cacheMs` and probes arriving meanwhile share it: a flood of probes (many
 * proxies, a misconfigured interval) reaches Postgres at most once per `cacheMs`.
 */
export const READY_PATH = "/readyz";

export interface ReadinessOptions {
  /** Resolves true when the database answers; must never reject. */
  check: () => Promise<boolean>;
  cacheMs?: number;
  now?: () => number;
}

export function createReadiness({ check, cacheMs = 1000, now = () => performance.now() }: ReadinessOptions) {
  let last: { ready: boolean; at: number } | undefined;
  let pending: Promise<boolean> | undefined;
  return function isReady(): Promise<boolean> {
    if (last && now() - last.at < cacheMs) return Promise.resolve(last.ready);
    pending ??= check().then((ready) => {
      last = { ready, at: now() };
      pending = undefined;
      return ready;
    });
    return pending;
  };
}

/** The database checks with: migrated, then a `select 1`, each within `timeoutMs`. */
export function databaseReady(
  timeoutMs: number,
  db: () => Promise<Kysely<Database>>,
): () => Promise<boolean> {
  return () =>
    withTimeout(db(), timeoutMs).then(
      (database) => pingDb(database, timeoutMs),
      () => false,
    );
}

/** This process's readiness: the runtime's database, 1 s to answer, remembered for 1 s. */
export const processReadiness = createReadiness({
  check: databaseReady(1000, async () => (await readyRuntime()).database.db),
});
