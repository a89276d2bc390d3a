import type { Kysely } from "kysely";
import { latestRevocationSeq, listRevocations, pruneRevocations } from "#db/repositories/session-revocations";
import type { Database } from "#db/schema";

export interface RevocationFeedOptions {
  /** How often the feed reads new revocations: the longest an ended session can still be served. */
  pollMs: number;
  /**
   * How long a revocation is remembered: at least the TTL of a cached session look-up, since
   * only such an entry can still vouch for the session afterwards.
   */
  retainSeconds: number;
  /** Past this many remembered revocations, cached look-ups are not trusted at all. */
  maxRemembered?: number;
  onError?: (error: unknown) => void;
}

const BATCH = 1_000;
const PRUNE_EVERY_POLLS = 120;

/**
 * Every session that ends leaves a row in `session_revocations` (a trigger on `sessions`
 * writes it, whatever deleted the session). Each instance reads the new rows every `pollMs`
 * (one indexed select, whatever the number of visitors) and keeps the ids in memory, so a
 * session ended anywhere is refused here within one poll even where its look-up is cached.
 * Until the first read has succeeded, and while too many revocations are remembered, cached
 * look-ups are not trusted (`trusted` is false) and every look-up asks Postgres.
 */
export class RevocationFeed {
  private readonly revoked = new Map<string, number>();
  private lastSeq: number | null = null;
  private polls = 0;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxRemembered: number;
  private readonly listeners: Array<(sessionIds: string[]) => void> = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RevocationFeedOptions,
  ) {
    this.maxRemembered = options.maxRemembered ?? 100_000;
  }

  /** Whether a cached session look-up may be believed (a revoked session is still refused). */
  get trusted(): boolean {
    return this.lastSeq !== null && this.revoked.size < this.maxRemembered;
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /** Tells `listener` about newly seen revocations (to drop their cached look-ups). */
  subscribe(listener: (sessionIds: string[]) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads new revocations once (polls in flight are joined, not repeated). */
  poll(): Promise<void> {
    this.running ??= this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async read(): Promise<void> {
    try {
      const first = this.lastSeq === null;
      const [latest, rows] = first
        ? await Promise.all([
            latestRevocationSeq(this.db),
            listRevocations(this.db, { sinceSeconds: this.options.retainSeconds }, this.maxRemembered),
          ])
        : [0, await listRevocations(this.db, { afterSeq: this.lastSeq ?? 0 }, BATCH)];
      this.remember(rows.map((row) => row.sessionId));
      const seen = rows.length > 0 ? rows[rows.length - 1].seq : 0;
      this.lastSeq = Math.max(this.lastSeq ?? 0, latest, seen);
      this.forgetExpired();
      this.polls += 1;
      if (this.polls % PRUNE_EVERY_POLLS === 0)
        await pruneRevocations(this.db, this.options.retainSeconds * 2);
      // A full batch means more are waiting: read on without waiting for the timer.
      if (!first && rows.length === BATCH) setImmediate(() => void this.poll());
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private remember(sessionIds: string[]): void {
    if (sessionIds.length === 0) return;
    const forgetAt = Date.now() + this.options.retainSeconds * 1000;
    for (const id of sessionIds) this.revoked.set(id, forgetAt);
    for (const listener of this.listeners) listener(sessionIds);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [id, forgetAt] of this.revoked) {
      // Insertion order is revocation order: the first one still remembered ends the sweep.
      if (forgetAt > now) break;
      this.revoked.delete(id);
    }
  }
}
