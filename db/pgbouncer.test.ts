import { sql } from "kysely";
import pg from "pg";
import { createDb, type DbHandle, type DbTimeouts } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { serverLimitMismatches } from "#db/server-limits";
import { startPgBouncer, type TestPgBouncer } from "#db/testing/pgbouncer";
import { createEmptyPostgresDatabase, TEST_DATABASE_URL } from "#db/testing/test-database";

/**
 * Parley behind PgBouncer in transaction-pooling mode, as configured with DB_POOLER=pgbouncer
 * and a direct MIGRATION_DATABASE_URL: nothing is sent that PgBouncer refuses, migrations hold
 * their session lock on the direct connection, and the Postgres-side limits come from the
 * database. The repository suites run through PgBouncer too (`npm run test:pgbouncer`).
 */
const LIMITS: DbTimeouts = {
  connectMs: 3000,
  queryMs: 4000,
  statementMs: 3000,
  lockMs: 2000,
  idleInTransactionMs: 10_000,
};

describe("behind PgBouncer in transaction mode", () => {
  let bouncer: TestPgBouncer;
  let database: { url: string; drop(): Promise<void> };
  let pooledUrl: string;
  const handles: DbHandle[] = [];
  const open = (options: Parameters<typeof createDb>[0]) => {
    const handle = createDb({ ...options, warn: () => {} });
    handles.push(handle);
    return handle;
  };

  beforeAll(async () => {
    bouncer = await startPgBouncer(bouncerTarget());
    database = await createEmptyPostgresDatabase();
    pooledUrl = bouncer.through(database.url);
  });

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await database?.drop();
    await bouncer?.stop();
  });

  it("refuses the start-up limits Parley sends to a direct Postgres, and takes none with DB_POOLER=pgbouncer", async () => {
    const direct = open({ databaseUrl: pooledUrl, timeouts: LIMITS });
    await expect(sql`select 1`.execute(direct.db)).rejects.toThrow(/unsupported startup parameter/);
    const pooled = open({ databaseUrl: pooledUrl, pooler: "pgbouncer", timeouts: LIMITS });
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(pooled.db);
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("migrates on the direct URL (its session lock) while queries go through PgBouncer", async () => {
    const handle = open({
      databaseUrl: pooledUrl,
      migrationUrl: database.url,
      pooler: "pgbouncer",
      timeouts: LIMITS,
    });
    // Two instances starting at once: the lock serialises them on Postgres itself.
    const other = open({
      databaseUrl: pooledUrl,
      migrationUrl: database.url,
      pooler: "pgbouncer",
      timeouts: LIMITS,
    });
    const [first, second] = await Promise.all([
      migrateToLatest(handle.migrationDb()),
      migrateToLatest(other.migrationDb()),
    ]);
    expect(first.length + second.length).toBeGreaterThan(0);
    expect(Math.min(first.length, second.length)).toBe(0);
    const name = new URL(database.url).pathname.slice(1);
    const before = await bouncer.transactions(name);
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from users`.execute(
      handle.db,
    );
    expect(rows[0].count).toBe(0);
    await vi.waitFor(async () => expect(await bouncer.transactions(name)).toBeGreaterThan(before), {
      timeout: 5000,
    });
    // No advisory lock is left behind on any connection.
    const locks = await directQuery(
      database.url,
      "select count(*)::int as count from pg_locks where locktype = 'advisory'",
    );
    expect(locks).toBe(0);
  });

  it("migrates without the limits an operator set on the database for the pooled connections", async () => {
    await directQuery(
      database.url,
      `alter database ${new URL(database.url).pathname.slice(1)} set statement_timeout = '50ms'`,
    );
    // Server connections PgBouncer already holds keep their old settings: a fresh PgBouncer.
    const fresh = await startPgBouncer(bouncerTarget());
    try {
      const handle = open({
        databaseUrl: fresh.through(database.url),
        migrationUrl: database.url,
        pooler: "pgbouncer",
        timeouts: LIMITS,
      });
      // A statement longer than the database's limit: a slow migration would be one.
      const { rows } = await sql<{ limit: string }>`
        select current_setting('statement_timeout') as limit from (select pg_sleep(0.2)) as slow
      `.execute(handle.migrationDb());
      expect(rows[0].limit).toBe("0");
      await expect(sql`select pg_sleep(0.2)`.execute(handle.db)).rejects.toThrow(
        /too-slow|statement timeout/,
      );
    } finally {
      await fresh.stop();
    }
  });

  it("reports the limits pooled connections get when they are not the configured ones", async () => {
    const name = new URL(database.url).pathname.slice(1);
    await directQuery(database.url, `alter database ${name} reset all`);
    const fresh = await startPgBouncer(bouncerTarget());
    try {
      const handle = open({
        databaseUrl: fresh.through(database.url),
        pooler: "pgbouncer",
        timeouts: LIMITS,
      });
      expect(await serverLimitMismatches(handle.db, LIMITS)).toEqual([
        "statement_timeout is off on pooled connections, not 3000 ms",
        "lock_timeout is off on pooled connections, not 2000 ms",
        "idle_in_transaction_session_timeout is off on pooled connections, not 10000 ms",
      ]);
      await directQuery(
        database.url,
        `alter database ${name} set statement_timeout = '3s';
         alter database ${name} set lock_timeout = 2000;
         alter database ${name} set idle_in_transaction_session_timeout = '10s'`,
      );
      const later = await startPgBouncer(bouncerTarget());
      try {
        const set = open({ databaseUrl: later.through(database.url), pooler: "pgbouncer", timeouts: LIMITS });
        expect(await serverLimitMismatches(set.db, LIMITS)).toEqual([]);
      } finally {
        await later.stop();
      }
    } finally {
      await fresh.stop();
    }
  });

  it("keeps a SET LOCAL inside its transaction: no other client sees it", async () => {
    const handle = open({ databaseUrl: pooledUrl, pooler: "pgbouncer", timeouts: LIMITS, maxConnections: 4 });
    await handle.db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = '1234ms'`.execute(trx);
      const { rows } = await sql<{
        limit: string;
      }>`select current_setting('statement_timeout') as limit`.execute(trx);
      expect(rows[0].limit).toBe("1234ms");
    });
    const seen = await Promise.all(
      Array.from({ length: 8 }, () =>
        sql<{ limit: string }>`select current_setting('statement_timeout') as limit`.execute(handle.db),
      ),
    );
    expect(seen.map(({ rows }) => rows[0].limit)).not.toContain("1234ms");
  });
});

function bouncerTarget(): { host: string; port: number } {
  const target = new URL(TEST_DATABASE_URL);
  return { host: target.hostname, port: Number(target.port || 5432) };
}

async function directQuery(url: string, text: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(text);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return (last.rows[0] as { count?: number } | undefined)?.count;
  } finally {
    await client.end();
  }
}
