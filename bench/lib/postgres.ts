import pg from "pg";
import { generationPrefix } from "#db/hot-store/redis-generation";
import { cpuOfEach } from "./process-stats";

/**
 * The bench's Postgres database: `parley_bench` (or --db-name), dropped and created fresh on
 * every run on the server of `adminUrl`. Never touches any other database.
 */
export interface BenchDatabase {
  url: string;
  name: string;
  version: string;
  /** CPU seconds of the Postgres backends serving this database right now, per PID. */
  backendCpu(): Promise<Map<number, number>>;
  /**
   * The key prefix of the cache generation Parley is using with the bench's Redis (after Parley
   * has connected to it once), for the bare baseline server that reads Parley's keys.
   */
  cacheKeyPrefix(): Promise<string>;
  /** pg_stat_database counters for the bench database (flushed lazily by Postgres: see README). */
  statDatabase(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function prepareBenchDatabase(adminUrl: string, name: string): Promise<BenchDatabase> {
  if (
    !/^[a-z_][a-z0-9_]*$/.test(name) ||
    name === "test" ||
    name === "postgres" ||
    name.startsWith("template")
  ) {
    throw new Error(`refusing to use "${name}" as the bench database`);
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const monitor = new pg.Client({
    connectionString: url.toString(),
    application_name: "parley-bench-monitor",
  });
  await monitor.connect();
  const version = (await monitor.query<{ server_version: string }>("show server_version")).rows[0]
    .server_version;
  return {
    url: url.toString(),
    name,
    version,
    async backendCpu() {
      const { rows } = await monitor.query<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [name],
      );
      return cpuOfEach(rows.map((row) => row.pid));
    },
    async cacheKeyPrefix() {
      const { rows } = await monitor.query<{ generation: string }>("select generation from cache_generation");
      if (!rows[0]) throw new Error("Parley has not keyed anything in this Redis yet (no cache generation)");
      return generationPrefix(Number(rows[0].generation));
    },
    async statDatabase() {
      const { rows } = await monitor.query(
        "select xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_hit, blks_read from pg_stat_database where datname = $1",
        [name],
      );
      const row = rows[0] ?? {};
      return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
    },
    close: () => monitor.end(),
  };
}
