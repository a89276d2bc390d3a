/** How long a touch may wait to be written: last-seen is kept to the minute anyway. */
const FLUSH_AFTER_MS = 1_000;
/** Ids per statement. */
const MAX_IDS_PER_WRITE = 1_000;

/**
 * Last-seen writes gathered and written together, at most a second late: one `UPDATE … where
 * id in (…)` a second instead of one per session. With a session per tab, 5,000 tabs made 83
 * single-row updates (83 commits) a second, and all 5,000 at once when their look-ups expired
 * together. A write that fails is reported per id (`failed`), so the caller can try it again
 * on the session's next use; what is waiting when the process stops is lost, which costs at
 * most a minute of a session's idle expiry.
 */
export class TouchBuffer {
  private waiting = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** The write under way: one at a time, so a slow Postgres holds one pool connection for them, not one a second. */
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (ids: string[]) => Promise<void>,
    private readonly failed: (ids: string[]) => void,
    private readonly flushAfterMs = FLUSH_AFTER_MS,
  ) {}

  add(id: string): void {
    this.waiting.add(id);
    this.arm();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushAfterMs);
    this.timer.unref();
  }

  /** Writes what is waiting now, after any write under way (the timer does this on its own). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    const ids = [...this.waiting];
    this.waiting = new Set();
    if (ids.length === 0) return;
    this.writing = this.writeAll(ids).finally(() => {
      this.writing = null;
      if (this.waiting.size > 0) this.arm();
    });
    await this.writing;
  }

  private async writeAll(ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_WRITE) {
      const chunk = ids.slice(start, start + MAX_IDS_PER_WRITE);
      await this.write(chunk).catch(() => this.failed(chunk));
    }
  }
}
