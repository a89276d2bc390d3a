/**
 * Version publications that could not reach the hot store (it was down or timed out).
 *
 * While any are pending, this process's reads bypass the cache (the store may still hold an
 * older version, and so serve older data), and the publications are replayed as soon as the
 * store answers again. Replaying is safe in any order because publishing is "raise to at least".
 * Bounded: past `maxKeys` distinct keys it forgets them and instead bypasses the cache until
 * every entry that could be stale has expired by TTL.
 */
export class PendingVersions {
  private readonly pending = new Map<string, number>();
  private bypassUntil = 0;

  constructor(
    private readonly maxKeys: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(entries: ReadonlyArray<readonly [string, number]>): void {
    for (const [key, version] of entries) {
      this.pending.set(key, Math.max(version, this.pending.get(key) ?? 0));
    }
    if (this.pending.size > this.maxKeys) {
      this.pending.clear();
      this.bypassUntil = this.now() + this.ttlMs;
    }
  }

  /** True while reads must not trust the hot store. */
  get active(): boolean {
    return this.pending.size > 0 || this.now() < this.bypassUntil;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Hands the pending entries to `publish`; keeps them if it fails. */
  async replay(publish: (entries: Array<[string, number]>) => Promise<void>): Promise<boolean> {
    if (this.pending.size === 0) return true;
    const entries = [...this.pending.entries()];
    try {
      await publish(entries);
    } catch {
      return false;
    }
    for (const [key, version] of entries) {
      if (this.pending.get(key) === version) this.pending.delete(key);
    }
    return true;
  }
}
