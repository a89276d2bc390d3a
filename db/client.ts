import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { mkdirSync } from "node:fs";
import { withTimeout } from "#db/lib/with-timeout";
import type { Database } from "./schema";

export type DatabaseKind = "postgres" | "pglite";

export interface DbHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Counts the statements sent, so tests and benchmarks can say what a request cost. */
  stats: { queries: number };
  close(): Promise<void>;
}

export interface DbOptions {
  /** A Postgres URL; when absent, Postgres is embedded (PGlite) in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's data directory; `"memory://"` keeps it in memory (tests). */
  dataDir?: string;
  maxConnections?: number;
}

// int8 (counts, version columns) arrives as a string from pg and as a bigint from PGlite.
// Every int8 Parley stores fits in a double, so both are normalised to number here, once.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const toNumber = (value: string | number | bigint) => Number(value);

export function createDb(options: DbOptions): DbHandle {
  const stats = { queries: 0 };
  const log = () => {
    stats.queries += 1;
  };
  if (options.databaseUrl) {
    const types = {
      getTypeParser(oid: number, format?: "text" | "binary") {
        if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber;
        return pg.types.getTypeParser(oid, format);
      },
    };
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      types: types as pg.CustomTypesConfig,
    });
    // An idle client that loses its connection emits here; without a listener it would crash the process.
    pool.on("error", (error) => console.error(`postgres pool error: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    return { db, kind: "postgres", stats, close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? ".data/pglite";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, {
    parsers: { [INT8_OID]: toNumber, [NUMERIC_OID]: toNumber },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log });
  return { db, kind: "pglite", stats, close: () => db.destroy() };
}

/** True when the database answers a trivial query within `timeoutMs`. Never rejects. */
export function pingDb(db: Kysely<Database>, timeoutMs = 2_000): Promise<boolean> {
  return withTimeout(sql`select 1`.execute(db), timeoutMs).then(
    () => true,
    () => false,
  );
}
