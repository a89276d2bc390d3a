import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { mkdirSync } from "node:fs";
import { withTimeout } from "#db/lib/with-timeout";
import { guardPool } from "./guarded-pool";
import type { Database } from "./schema";

export type DatabaseKind = "postgres" | "pglite";
export type DbPooler = "none" | "pgbouncer";

export interface DbHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Counts the statements sent, so tests and benchmarks can say what a request cost. */
  stats: { queries: number };
  /**
   * The database for migrations: none of the request time limits (a migration may rightly take
   * minutes, and waits for another instance's migration lock), one connection, opened on first
   * use, at `DbOptions.migrationUrl` when given. The same database as `db` on PGlite.
   */
  migrationDb(): Kysely<Database>;
  /** The request pool's clients (Postgres only; PGlite has no pool), for /metrics. */
  poolClients?(): PoolClients;
  close(): Promise<void>;
}

export interface PoolClients {
  total: number;
  idle: number;
  /** Requests queued for a client: above zero for long, the pool is too small or Postgres too slow. */
  waiting: number;
}

/**
 * How long Postgres may take before a request gives up on it. Every limit is in milliseconds.
 * Without them, a Postgres that stops answering (a black-holed network) holds each request,
 * and its pooled connection, for as long as the outage lasts.
 */
export interface DbTimeouts {
  /** Waiting for a pooled connection, including opening a new one. */
  connectMs: number;
  /**
   * Client side: no answer to one statement within this time abandons its connection. The
   * only limit that works when the network, not Postgres, is what stopped.
   */
  queryMs: number;
  /** Postgres cancels a statement that runs longer (statement_timeout); below `queryMs`. */
  statementMs: number;
  /** Postgres stops a statement waiting longer for a lock (lock_timeout). */
  lockMs: number;
  /** Postgres ends a session idle inside a transaction longer, releasing its locks. */
  idleInTransactionMs: number;
}

export interface DbOptions {
  /** A Postgres URL; when absent, Postgres is embedded (PGlite) in `dataDir`. */
  databaseUrl?: string;
  /**
   * A direct Postgres URL for migrations (`migrationDb`); default `databaseUrl`. Kysely's
   * migrator holds a session advisory lock, which a transaction-pooling PgBouncer cannot keep.
   */
  migrationUrl?: string;
  /**
   * "pgbouncer": `databaseUrl` is a PgBouncer, which refuses unknown start-up parameters, so the
   * Postgres-side limits are not sent (they come from the role or database: docs/decisions/0021).
   */
  pooler?: DbPooler;
  /** PGlite's data directory; `"memory://"` keeps it in memory (tests). */
  dataDir?: string;
  maxConnections?: number;
  /** Postgres only (PGlite runs in-process: there is no network to lose). Unset: no limits but connecting. */
  timeouts?: DbTimeouts;
  /** Where "Postgres is unavailable" is reported (throttled); default stderr. */
  warn?: (message: string) => void;
}

// int8 (counts, version columns) arrives as a string from pg and as a bigint from PGlite.
// Every int8 Parley stores fits in a double, so both are normalised to number here, once.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const toNumber = (value: string | number | bigint) => Number(value);
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export function createDb(options: DbOptions): DbHandle {
  const stats = { queries: 0 };
  const log = () => {
    stats.queries += 1;
  };
  if (options.databaseUrl) {
    const { databaseUrl, timeouts } = options;
    const warn = options.warn ?? ((message: string) => console.error(message));
    const open = (pool: pg.Pool) =>
      new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardPool(pool, warn) }), log });
    const serverLimits = options.pooler === "pgbouncer" ? "none" : "sent";
    const requestPool = createPool(databaseUrl, options.maxConnections ?? 10, timeouts, serverLimits, warn);
    const db = open(requestPool);
    let migrations: Kysely<Database> | undefined;
    return {
      db,
      kind: "postgres",
      stats,
      migrationDb: () =>
        (migrations ??= open(
          createPool(
            options.migrationUrl ?? databaseUrl,
            1,
            timeouts && withOnlyConnectLimit(timeouts.connectMs),
            "off",
            warn,
          ),
        )),
      poolClients: () => ({
        total: requestPool.totalCount,
        idle: requestPool.idleCount,
        waiting: requestPool.waitingCount,
      }),
      close: async () => {
        await Promise.all([db.destroy(), migrations?.destroy()]);
      },
    };
  }

  const dataDir = options.dataDir ?? ".data/pglite";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, {
    parsers: { [INT8_OID]: toNumber, [NUMERIC_OID]: toNumber },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log });
  return { db, kind: "pglite", stats, migrationDb: () => db, close: () => db.destroy() };
}

/** Limits of 0 are not sent: Postgres and pg both read 0 (or absent) as "no limit". */
function withOnlyConnectLimit(connectMs: number): DbTimeouts {
  return { connectMs, queryMs: 0, statementMs: 0, lockMs: 0, idleInTransactionMs: 0 };
}

/**
 * What a connection tells Postgres about its limits at start-up. "sent": the three Postgres-side
 * limits. "none": nothing (a PgBouncer refuses them; the role's or database's defaults apply).
 * "off": all three explicitly off, so a migration is not held to the limits an operator set on
 * the role for the pooled connections (start-up options outrank role and database defaults).
 */
type ServerLimits = "sent" | "none" | "off";

const LIMITS_OFF = "-c statement_timeout=0 -c lock_timeout=0 -c idle_in_transaction_session_timeout=0";

function createPool(
  connectionString: string,
  max: number,
  limits: DbTimeouts | undefined,
  serverLimits: ServerLimits,
  warn: (message: string) => void,
): pg.Pool {
  const sent = serverLimits === "sent" ? limits : undefined;
  const types = {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: limits?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // Sent with the connection's start-up message, so they hold for every statement on it.
    // (PgBouncer refuses unknown start-up parameters: DbOptions.pooler.)
    statement_timeout: sent?.statementMs || undefined,
    lock_timeout: sent?.lockMs || undefined,
    idle_in_transaction_session_timeout: sent?.idleInTransactionMs || undefined,
    options: serverLimits === "off" ? LIMITS_OFF : undefined,
    // Client side: works through any pooler.
    query_timeout: limits?.queryMs || undefined,
    types: types as pg.CustomTypesConfig,
  });
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on("error", (error) => warn(`postgres pool error: ${error.message}`));
  // A new connection can be ended in the very chunk that says it is ready (Postgres shutting down
  // for a restart: ReadyForQuery, then 57P01). pg-pool has then taken its idle listener off and
  // the guard has not yet put its own on, and an `error` with no listener ends the process: seen
  // once in a few restarts under load. This one stays for the connection's life; pg marks the
  // client unusable, so its first query fails as unavailable and the guard discards it.
  pool.on("connect", (client) => client.on("error", ignoreError));
  return pool;
}

/** The guard (checked out) and pg-pool (idle) report connection errors; this only keeps them from being fatal. */
function ignoreError(): void {}

/** True when the database answers a trivial query within `timeoutMs`. Never rejects. */
export function pingDb(db: Kysely<Database>, timeoutMs = 2_000): Promise<boolean> {
  return withTimeout(sql`select 1`.execute(db), timeoutMs).then(
    () => true,
    () => false,
  );
}
