import type { SessionRow } from "#db/schema";
import type { Db } from "#db/repositories/db-type";
import { getLiveSessions } from "#db/repositories/sessions";

export type LiveSession = Pick<SessionRow, "id" | "user_id" | "expires_at">;

interface Waiter {
  resolve: (session: LiveSession | undefined) => void;
  reject: (error: unknown) => void;
}

/** Ids per statement: a few kilobytes of parameters, one index scan each. */
const MAX_IDS_PER_STATEMENT = 500;
/** Statements running at once: look-ups arriving meanwhile wait and go together in the next. */
const MAX_STATEMENTS_IN_FLIGHT = 1;
/**
 * How long a look-up waits for others to share its statement. A look-up reaches Postgres once
 * per session and cache TTL, so the wait is paid rarely; without it, a crowd arriving over a
 * few seconds still went as 2,000 statements of two or three ids each.
 */
const GATHER_MS = 5;

/**
 * Session look-ups that missed the hot store, asked of Postgres together: a look-up waits 5 ms
 * for others, and longer while a statement is running, so a crowd goes as a few
 * `select … where id in (…)` of up to 500 ids.
 * Thousands of sessions miss together when an instance starts, after a flush, or when copies
 * made together expire together; one statement each meant thousands of round trips, each a
 * socket write and a parse, that kept the main thread busy while every poll waited (5,000 tabs
 * opening at once: polls up to 10 s late for the first 14 s).
 */
export class LiveSessionLoader {
  private pending = new Map<string, Waiter[]>();
  private scheduled = false;
  private running = 0;

  constructor(private readonly db: Db) {}

  /** The session when it exists and has not expired. */
  load(id: string): Promise<LiveSession | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= MAX_STATEMENTS_IN_FLIGHT || this.pending.size === 0) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.runOne();
    }, GATHER_MS);
  }

  private async runOne(): Promise<void> {
    const batch = new Map<string, Waiter[]>();
    for (const [id, waiters] of this.pending) {
      if (batch.size === MAX_IDS_PER_STATEMENT) break;
      batch.set(id, waiters);
      this.pending.delete(id);
    }
    this.running += 1;
    this.schedule();
    try {
      const found = new Map((await getLiveSessions(this.db, [...batch.keys()])).map((row) => [row.id, row]));
      for (const [id, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(id));
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.running -= 1;
      this.schedule();
    }
  }
}
