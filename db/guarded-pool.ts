import type net from "node:net";
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";
import { classifyPgFailure, DatabaseUnavailableError, type UnavailableReason } from "./database-unavailable";

/**
 * Kysely's view of a pg Pool, doing what pg leaves to its caller when Postgres stops answering:
 * - Every sign of unavailability becomes one DatabaseUnavailableError, which says whether a
 *   write may have committed (its COMMIT, or a lone write, was sent and got no answer).
 * - A connection whose query got no answer is never used again. pg's query_timeout abandons
 *   the query but keeps the connection, and a later query would queue behind the lost one
 *   (and run, with the rollback queued behind it, whenever the network returns). The socket
 *   is reset instead (RST, which drops the bytes still in flight rather than delivering them
 *   later) and the pool opens a fresh connection next time: it heals without a restart.
 * - A checked-out connection that fails between queries (Postgres ended an idle transaction,
 *   a reset) emits `error` with no listener of pg-pool's: unhandled, that kills the process.
 */
export function guardPool(pool: pg.Pool, warn: (message: string) => void): PostgresPool {
  const report = throttled(warn);
  return {
    async connect() {
      try {
        return new GuardedClient(await pool.connect(), report);
      } catch (error) {
        const failure = classifyPgFailure(error);
        if (!failure) throw error;
        const unavailable = new DatabaseUnavailableError(failure.reason, false, { cause: error });
        report(unavailable);
        throw unavailable;
      }
    },
    end: () => pool.end(),
  };
}

const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const COMMIT = /^\s*(commit|end)\b/i;
const ROLLBACK = /^\s*(rollback|abort)\b/i;
/** Statements that change nothing on their own: outside a transaction, a lost one saved nothing. */
const CHANGES_NOTHING = /^\s*(select|show|set|begin|start\s+transaction|rollback|abort)\b/i;

class GuardedClient implements PostgresPoolClient {
  private inTransaction = false;
  private lost: { reason: UnavailableReason; cause: unknown } | undefined;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly report: (error: DatabaseUnavailableError) => void,
  ) {
    client.on("error", this.onError);
  }

  private readonly onError = (error: Error) => {
    const failure = classifyPgFailure(error);
    if (this.lost) return;
    this.lost = { reason: failure?.reason ?? "unreachable", cause: error };
    this.report(new DatabaseUnavailableError(this.lost.reason, false, { cause: error }));
  };

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    input: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Kysely passes a cursor only when the dialect is given one; Parley's is not.
    if (typeof input !== "string") throw new Error("cursors are not supported");
    return this.run<R>(input, parameters);
  }

  private async run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    if (this.lost) {
      // Postgres rolls back the transaction of a connection that is gone, and this one is
      // about to be: a rollback has nothing left to do, and waiting for it would double the
      // time the caller waits for its error.
      if (ROLLBACK.test(sql)) return { command: "ROLLBACK", rowCount: 0, rows: [] };
      throw new DatabaseUnavailableError(this.lost.reason, false, { cause: this.lost.cause });
    }
    try {
      const result = await this.client.query(sql, [...parameters]);
      if (BEGIN.test(sql)) this.inTransaction = true;
      else if (COMMIT.test(sql) || ROLLBACK.test(sql)) this.inTransaction = false;
      return result as unknown as PostgresQueryResult<R>;
    } catch (error) {
      const failure = classifyPgFailure(error);
      if (!failure) throw error;
      if (failure.connectionLost) this.lost = { reason: failure.reason, cause: error };
      // When Postgres answered (a cancelled statement), nothing of this statement committed.
      const mayHaveCommitted =
        failure.connectionLost && (COMMIT.test(sql) || (!this.inTransaction && !CHANGES_NOTHING.test(sql)));
      const unavailable = new DatabaseUnavailableError(failure.reason, mayHaveCommitted, { cause: error });
      this.report(unavailable);
      throw unavailable;
    }
  }

  release(destroy?: boolean): void {
    this.client.off("error", this.onError);
    if (this.lost) {
      resetSocket(this.client);
      this.client.release(true);
    } else {
      this.client.release(destroy === true ? true : undefined);
    }
  }
}

function resetSocket(client: pg.PoolClient): void {
  const stream = client.connection?.stream as net.Socket | undefined;
  if (!stream || stream.destroyed) return;
  try {
    stream.resetAndDestroy();
  } catch {
    stream.destroy();
  }
}

/**
 * One log line per outage moment, not one per failed query: at hundreds of requests a
 * second, every request failing would otherwise write its own line.
 */
function throttled(warn: (message: string) => void, everyMs = 5_000) {
  let last = Number.NEGATIVE_INFINITY;
  let skipped = 0;
  return (error: DatabaseUnavailableError) => {
    const now = performance.now();
    if (now - last < everyMs) {
      skipped += 1;
      return;
    }
    last = now;
    warn(
      skipped > 0 ? `${error.message} (and ${skipped} more failures since the last report)` : error.message,
    );
    skipped = 0;
  };
}
