import path from "node:path";
import { getConfig } from "#app/config.server";
import { createDb } from "./client";
import { migrateToLatest } from "./migrate";

/**
 * `npm run db:migrate`: migrates the configured database (Postgres or embedded) to the latest
 * version, through MIGRATION_DATABASE_URL when it is set (direct, not through PgBouncer).
 */
const config = getConfig();
const database = createDb({
  databaseUrl: config.DATABASE_URL,
  migrationUrl: config.MIGRATION_DATABASE_URL,
  pooler: config.DB_POOLER,
  dataDir: path.join(config.DATA_DIR, "pglite"),
});
try {
  const applied = await migrateToLatest(database.migrationDb());
  console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "already up to date");
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await database.close();
}
