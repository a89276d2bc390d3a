import { sql, type Kysely } from "kysely";
import type { DbTimeouts } from "./client";
import type { Database } from "./schema";

/**
 * Behind PgBouncer the Postgres-side limits cannot travel with the connection (PgBouncer
 * refuses unknown start-up parameters, and a `SET` would leak to whichever client gets the
 * server connection next), so they come from the role or the database (ALTER ROLE … SET).
 * This reads what a pooled connection actually gets, so a missing or different one is said
 * at start rather than discovered in an outage.
 */
type ServerLimit = "statement_timeout" | "lock_timeout" | "idle_in_transaction_session_timeout";

const WANTED: Array<[ServerLimit, keyof DbTimeouts]> = [
  ["statement_timeout", "statementMs"],
  ["lock_timeout", "lockMs"],
  ["idle_in_transaction_session_timeout", "idleInTransactionMs"],
];

/** One line per limit that differs from `wanted`, ready to log; empty when all match. */
export async function serverLimitMismatches(db: Kysely<Database>, wanted: DbTimeouts): Promise<string[]> {
  // pg_settings gives each in milliseconds (its unit), whatever way it was written.
  const { rows } = await sql<{ name: ServerLimit; setting: string }>`
    select name, setting from pg_settings
    where name in ('statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout')
  `.execute(db);
  const actual = new Map(rows.map((row) => [row.name, Number(row.setting)]));
  return WANTED.flatMap(([name, key]) => {
    const got = actual.get(name) ?? 0;
    return got === wanted[key]
      ? []
      : [`${name} is ${got === 0 ? "off" : `${got} ms`} on pooled connections, not ${wanted[key]} ms`];
  });
}
