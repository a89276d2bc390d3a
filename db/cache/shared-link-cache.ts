import type { HotStore } from "#db/hot-store/hot-store";
import { cacheKeys } from "./keys";
import type { CacheStats } from "./versioned-cache";

/**
 * Shared links' pages in the hot store, keyed by token hash. A page never changes, so nothing
 * is versioned: a link that is revoked (or whose chat or owner is deleted) has its entry
 * replaced by a tombstone once Postgres has committed, and every instance then answers 404.
 * A tombstone rather than a plain delete, because a reader that loaded the page from Postgres
 * just before the revocation would otherwise store it again just after; refills are SET NX,
 * so they never overwrite a tombstone, and a tombstone overwrites any refill.
 *
 * A tombstone that cannot reach the store (down, timed out) is remembered and replayed as soon
 * as the store answers again; until then this process reads around the store for every link,
 * since the store may still hold the page. Bounded: past `maxPending` keys it forgets them and
 * reads around the store for one whole TTL instead, by which time every such entry has expired.
 */
/** What a revoked link's key holds until it expires (never valid JSON of a page). */
const TOMBSTONE = "gone";

export class SharedLinkCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0, bypasses: 0 };
  private readonly pending = new Set<string>();
  private bypassUntil = 0;
  private readonly stopListening: () => void;

  constructor(
    private readonly store: HotStore,
    private readonly ttlSeconds: number,
    private readonly maxPending = 10_000,
  ) {
    this.stopListening = store.onReconnect(() => void this.replay());
  }

  dispose(): void {
    this.stopListening();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The page cached for `tokenHash`, else `load`'s (cached when it found one). */
  async readThrough<T>(tokenHash: string, load: () => Promise<T | null>): Promise<T | null> {
    const key = cacheKeys.sharedLink(tokenHash);
    if (!(await this.trusted())) {
      this.stats.bypasses += 1;
      return load();
    }
    let cached: string | null;
    try {
      cached = await this.store.get(key);
    } catch {
      this.stats.errors += 1;
      return load();
    }
    if (cached !== null) {
      this.stats.hits += 1;
      return cached === TOMBSTONE ? null : (JSON.parse(cached) as T);
    }
    this.stats.misses += 1;
    const value = await load();
    if (value !== null) {
      try {
        await this.store.setIfAbsent(key, JSON.stringify(value), this.ttlSeconds);
      } catch {
        this.stats.errors += 1;
      }
    }
    return value;
  }

  /** Drops the pages of links Postgres no longer has (call after the commit). */
  async forget(tokenHashes: readonly string[]): Promise<void> {
    if (tokenHashes.length === 0) return;
    const keys = tokenHashes.map(cacheKeys.sharedLink);
    try {
      await this.bury(keys);
    } catch {
      this.stats.errors += 1;
      for (const key of keys) this.pending.add(key);
      if (this.pending.size > this.maxPending) {
        this.pending.clear();
        this.bypassUntil = Date.now() + this.ttlSeconds * 1000;
      }
    }
  }

  /** Replays tombstones that could not be written; true when none is left. */
  async replay(): Promise<boolean> {
    if (this.pending.size === 0) return true;
    const keys = [...this.pending];
    try {
      await this.bury(keys);
    } catch {
      return false;
    }
    for (const key of keys) this.pending.delete(key);
    return true;
  }

  private bury(keys: readonly string[]): Promise<void> {
    return this.store.mset(
      keys.map((key) => [key, TOMBSTONE] as const),
      this.ttlSeconds,
    );
  }

  private async trusted(): Promise<boolean> {
    if (Date.now() < this.bypassUntil) return false;
    return this.replay();
  }
}
