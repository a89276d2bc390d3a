import type { Kysely } from "kysely";
import type { Config } from "#app/config.server";
import { runCleanup, scheduleCleanup, type CleanupSchedule } from "#db/cleanup-job";
import type { Database } from "#db/schema";
import { log } from "./logger.server";
import { singleton } from "./singleton.server";

/** What the clean-up needs from the runtime (app/services/runtime.server.ts has it all). */
interface CleanupRuntime {
  config: Pick<Config, "CLEANUP_INTERVAL_SECONDS" | "CLEANUP_GUEST_GRACE_SECONDS">;
  database: { db: Kysely<Database> };
  ready: Promise<void>;
}

/**
 * Deletes expired sessions and guests who never wrote anything every CLEANUP_INTERVAL_SECONDS,
 * once per process however often it is called (server/start.ts starts it; under remix-serve,
 * app/entry.server.tsx does). Every instance may run it: batches never collide (db/cleanup-job.ts).
 */
export function startDatabaseCleanup(runtime: CleanupRuntime): CleanupSchedule {
  return singleton("database-cleanup", () =>
    scheduleCleanup(
      async () => {
        try {
          await runtime.ready;
          const report = await runCleanup(runtime.database.db, {
            graceSeconds: runtime.config.CLEANUP_GUEST_GRACE_SECONDS,
          });
          if (report.expiredSessions > 0 || report.abandonedGuests > 0) {
            log.info("cleaned up", {
              expiredSessions: report.expiredSessions,
              abandonedGuests: report.abandonedGuests,
            });
          }
        } catch (error) {
          log.warn("clean-up failed; the next run tries again", {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },
      { intervalMs: runtime.config.CLEANUP_INTERVAL_SECONDS * 1000 },
    ),
  );
}
