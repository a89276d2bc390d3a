import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type DbHandle, type DatabaseKind } from "#db/client";
import { migrateToLatest } from "#db/migrate";

/** The Postgres the tests use; CI and the developer machines run one here. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Set by the PgBouncer run (vitest.pgbouncer.config.ts): the port of a transaction-pooling
 * PgBouncer in front of TEST_DATABASE_URL. Then every test database is used through it, as
 * the app is configured behind one (DB_POOLER=pgbouncer, migrations direct), and only on Postgres.
 */
const PGBOUNCER_PORT = process.env.PARLEY_TEST_PGBOUNCER_PORT;

export const DATABASE_KINDS: DatabaseKind[] = PGBOUNCER_PORT ? ["postgres"] : ["postgres", "pglite"];

/** Limits far above any test's statement, sent the way the app sends them (not at all behind PgBouncer). */
const POOLED_LIMITS = {
  connectMs: 5000,
  queryMs: 20_000,
  statementMs: 15_000,
  lockMs: 10_000,
  idleInTransactionMs: 20_000,
};

export interface TestDatabase extends DbHandle {
  url?: string;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/**
 * A migrated, empty database that belongs to one test file: a fresh Postgres database (so
 * test files never see each other's rows), or an in-memory PGlite for the embedded path.
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const handle = createDb({ dataDir: "memory://" });
    await migrateToLatest(handle.db);
    return { ...handle, drop: handle.close };
  }
  const name = `parley_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const direct = withDatabase(TEST_DATABASE_URL, name);
  const url = PGBOUNCER_PORT ? throughPort(direct, PGBOUNCER_PORT) : direct;
  const handle = PGBOUNCER_PORT
    ? createDb({
        databaseUrl: url,
        migrationUrl: direct,
        pooler: "pgbouncer",
        timeouts: POOLED_LIMITS,
        maxConnections: 25,
      })
    : createDb({ databaseUrl: url, maxConnections: 25 });
  await migrateToLatest(handle.migrationDb());
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/** An empty database (not migrated), for tests of the migrations themselves. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

function throughPort(url: string, port: string): string {
  const parsed = new URL(url);
  parsed.port = port;
  return parsed.toString();
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
