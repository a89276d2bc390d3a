import type { Kysely } from "kysely";
import { deleteAbandonedGuests, deleteExpiredSessions } from "./repositories/cleanup";
import type { Database } from "./schema";

/**
 * The periodic clean-up: expired sessions, and guests who never wrote anything (their
 * definition is in repositories/cleanup.ts). Safe with any number of instances running it at
 * once: every batch takes its rows with SKIP LOCKED, so two runs share the work and neither
 * fails or waits.
 */
export interface CleanupOptions {
  graceSeconds: number;
  /** Rows per transaction: bounds how long one transaction holds its row locks. */
  batchSize?: number;
  /**
   * Batches per kind in one run, so a run always ends; the next run takes the rest. Every
   * deleted session also becomes a revocation each instance remembers for a while
   * (db/sessions/revocation-feed.ts), so a run is kept well below the feed's 100,000.
   */
  maxBatches?: number;
}

export interface CleanupReport {
  expiredSessions: number;
  abandonedGuests: number;
  /** Rows deleted by each transaction, in order (sessions first, then guests). */
  batches: number[];
}

export async function runCleanup(
  db: Kysely<Database>,
  { graceSeconds, batchSize = 500, maxBatches = 20 }: CleanupOptions,
): Promise<CleanupReport> {
  const report: CleanupReport = { expiredSessions: 0, abandonedGuests: 0, batches: [] };
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const sessionIds = await deleteExpiredSessions(db, { limit: batchSize });
    report.expiredSessions += sessionIds.length;
    report.batches.push(sessionIds.length);
    if (sessionIds.length < batchSize) break;
  }
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const users = await deleteAbandonedGuests(db, { graceSeconds, limit: batchSize });
    report.abandonedGuests += users;
    report.batches.push(users);
    if (users < batchSize) break;
  }
  return report;
}

export interface CleanupSchedule {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `run` after `firstDelayMs`, then `intervalMs` after each run ends (runs in one process
 * never overlap), without keeping the process alive. `run` must not reject.
 */
export function scheduleCleanup(
  run: () => Promise<void>,
  { intervalMs, firstDelayMs = Math.min(intervalMs, 60_000) }: { intervalMs: number; firstDelayMs?: number },
): CleanupSchedule {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer = setTimeout(tick, firstDelayMs).unref();
  function tick() {
    running = run().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(tick, intervalMs).unref();
    });
  }
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
