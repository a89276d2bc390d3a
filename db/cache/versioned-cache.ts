import type { HotStore } from "#db/hot-store/hot-store";
import { PendingVersions } from "./pending-versions";
import { DEFAULT_VERSION_MIRROR_MAX_BYTES, VersionMirror } from "./version-mirror";
import { deserialize, serialize } from "./serialize";

export interface CacheStats {
  hits: number;
  misses: number;
  /** Hot-store calls that failed (down, timed out): each one fell back to Postgres. */
  errors: number;
  /** Reads that skipped the cache because version publications were still pending. */
  bypasses: number;
}

export interface VersionedCacheOptions {
  store: HotStore;
  /** TTL of every entry and version key this cache writes. */
  ttlSeconds: number;
  /** Distinct version keys remembered while the store is down (see PendingVersions). */
  maxPendingVersions?: number;
  /** Bound on the in-process copy of the versions (VersionMirror), where the store has a feed. */
  versionMirrorMaxBytes?: number;
}

/** A version key and the version it should hold at least. */
export type VersionEntry = readonly [key: string, version: number];

/** One key of a read-through, and how to load its value from the truth on a miss. */
export interface CacheLoad<T> {
  key: string;
  load: () => Promise<T>;
  /** Turns a value read from the store back into its shape (its Dates: db/cache/revive-dates.ts). */
  revive?: (value: T) => T;
}

/**
 * A cache of versioned entries over the hot store, knowing nothing of what it caches.
 *
 * Callers keep integer versions in the store (the truth bumps them in Postgres) and name
 * their data keys after the version they were read at. A write publishes its new versions
 * ("raise to at least", so concurrent writers cannot move one backwards); the old entries are
 * never asked for again and expire by TTL. A publication that fails is remembered and
 * replayed when the store answers again; until then reads go around the cache, since the
 * store may still hold the older version. A miss or any store error reads the truth, and a
 * read that reached the store refills it.
 */
export class VersionedCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0, bypasses: 0 };
  private readonly store: HotStore;
  private readonly ttlSeconds: number;
  private readonly pending: PendingVersions;
  private readonly stopListening: () => void;
  private readonly mirror: VersionMirror | null;

  constructor(options: VersionedCacheOptions) {
    this.store = options.store;
    this.ttlSeconds = options.ttlSeconds;
    const feed = options.store.versionFeed;
    this.mirror = feed
      ? new VersionMirror(feed, {
          maxBytes: options.versionMirrorMaxBytes ?? DEFAULT_VERSION_MIRROR_MAX_BYTES,
          ttlMs: options.ttlSeconds * 1000,
        })
      : null;
    this.pending = new PendingVersions(options.maxPendingVersions ?? 10_000, options.ttlSeconds * 1000);
    this.stopListening = this.store.onReconnect(() => void this.replayPendingVersions());
  }

  dispose(): void {
    this.stopListening();
    this.mirror?.dispose();
  }

  /**
   * The versions under `keys` as this instance knows them, with no I/O at all, or null when
   * it cannot vouch for them (see VersionMirror): the caller then reads them from the store.
   * Never while publications are pending, when the store itself may be behind the truth.
   */
  knownVersions(keys: readonly string[]): number[] | null {
    if (!this.mirror || this.pending.active) return null;
    return this.mirror.read(keys);
  }

  /** Version publications that failed and wait for the store to answer again. */
  get pendingVersionCount(): number {
    return this.pending.size;
  }

  /**
   * The versions under `keys`: one round trip when the store has them all. Otherwise
   * `loadTruth` answers (one version or null per key, in order) and its versions refill the
   * store, raised like a publication so a concurrent writer's newer version stands.
   */
  async readVersions(
    keys: readonly string[],
    loadTruth: () => Promise<(number | null)[]>,
  ): Promise<(number | null)[]> {
    const sentIn = this.mirror?.current() ?? null;
    const cached = await this.cachedValues(keys);
    if (cached && allPresent(cached)) {
      this.stats.hits += 1;
      return this.learned(sentIn, keys, cached.map(Number));
    }
    if (cached) this.stats.misses += 1;
    const truth = this.learned(sentIn, keys, await loadTruth());
    const entries: VersionEntry[] = [];
    keys.forEach((key, index) => {
      const version = truth[index];
      if (version !== null) entries.push([key, version]);
    });
    if (cached && entries.length > 0)
      await this.tryStore(() => this.store.raiseVersions(entries, this.ttlSeconds));
    return truth;
  }

  /**
   * `readVersions` plus unversioned keys (a reply's progress, say) in the same round trip.
   * The extras are read even while publications are pending: they are not versioned data.
   */
  async readVersionsWithExtras(
    keys: readonly string[],
    extraKeys: readonly string[],
    loadTruth: () => Promise<(number | null)[]>,
  ): Promise<{ versions: (number | null)[]; extras: (string | null)[] }> {
    const sentIn = this.mirror?.current() ?? null;
    const values = await this.cachedValues([...keys, ...extraKeys]);
    const extras = values
      ? values.slice(keys.length)
      : await this.store.mget(extraKeys).catch(() => extraKeys.map(() => null));
    const cachedVersions = values?.slice(0, keys.length);
    if (cachedVersions && allPresent(cachedVersions)) {
      this.stats.hits += 1;
      return { versions: this.learned(sentIn, keys, cachedVersions.map(Number)), extras };
    }
    return { versions: await this.readVersions(keys, loadTruth), extras };
  }

  /**
   * `readVersionsWithExtras` from the store alone: null when any version is missing, when
   * publications are pending, or when the store fails. Never reads the truth, for callers that
   * would rather do without the cache than wait on Postgres (the response cache's look-up).
   */
  async readCachedVersionsWithExtras(
    keys: readonly string[],
    extraKeys: readonly string[],
  ): Promise<{ versions: number[]; extras: (string | null)[] } | null> {
    const values = await this.cachedValues([...keys, ...extraKeys]);
    const versions = values?.slice(0, keys.length);
    if (!values || !versions || !allPresent(versions)) return null;
    this.stats.hits += 1;
    return { versions: versions.map(Number), extras: values.slice(keys.length) };
  }

  /** Cache-aside for one key; a `load` that finds nothing (null) is not cached. */
  async readThrough<T>(key: string, load: () => Promise<T>, revive?: (value: T) => T): Promise<T> {
    const [value] = await this.readAllThrough<[T]>([{ key, load, revive }]);
    return value;
  }

  /**
   * Cache-aside for several keys in one round trip: the entries found are used, the others
   * loaded (in parallel), and all of them stored again unless one loaded as nothing (null or
   * undefined). One hit when all were found, one miss otherwise.
   */
  async readAllThrough<T extends unknown[]>(loads: { [K in keyof T]: CacheLoad<T[K]> }): Promise<T> {
    const entries = loads as ReadonlyArray<CacheLoad<unknown>>;
    const keys = entries.map((entry) => entry.key);
    const cached = await this.cachedValues(keys);
    const found = keys.map((_, index) => {
      const text = cached?.[index];
      if (!text) return undefined;
      const value = deserialize<unknown>(text);
      return entries[index].revive ? entries[index].revive(value) : value;
    });
    if (found.every((value) => value !== undefined)) {
      this.stats.hits += 1;
      return found as T;
    }
    if (cached) this.stats.misses += 1;
    const values = await Promise.all(
      entries.map((entry, index) => (found[index] !== undefined ? found[index] : entry.load())),
    );
    if (cached && values.every((value) => value !== null && value !== undefined)) {
      await this.refill(keys.map((key, index): [string, string] => [key, serialize(values[index])]));
    }
    return values as T;
  }

  /** Publishes versions a committed write moved; on failure they wait for the store to return. */
  async publish(entries: readonly VersionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const sentIn = this.mirror?.current() ?? null;
    try {
      await this.store.raiseVersions(entries, this.ttlSeconds);
      // Known here at once, not only when the announcement comes back: a sync check this
      // instance answers right after the write must see it.
      this.mirror?.learn(
        sentIn,
        entries.map(([key]) => key),
        entries.map(([, version]) => version),
      );
    } catch {
      this.stats.errors += 1;
      this.pending.add(entries);
    }
  }

  /** Replays version publications that failed while the store was down. */
  async replayPendingVersions(): Promise<boolean> {
    return this.pending.replay((entries) => this.store.raiseVersions(entries, this.ttlSeconds));
  }

  /**
   * The values of `keys`, or null when the cache must not be used now (versions still
   * pending, or the store failed): the caller then reads the truth.
   */
  private async cachedValues(keys: readonly string[]): Promise<(string | null)[] | null> {
    // Publications still pending: try to replay them; until then the store may be stale.
    if (this.pending.active) await this.replayPendingVersions();
    if (this.pending.active) {
      this.stats.bypasses += 1;
      return null;
    }
    try {
      return await this.store.mget(keys);
    } catch {
      this.stats.errors += 1;
      return null;
    }
  }

  /** Hands versions a read found, sent in epoch `sentIn`, to the mirror; returns them. */
  private learned<T extends (number | null)[]>(
    sentIn: string | null,
    keys: readonly string[],
    versions: T,
  ): T {
    this.mirror?.learn(sentIn, keys, versions);
    return versions;
  }

  /** One SET for one entry (no MULTI around it), one pipelined transaction for several. */
  private refill(entries: Array<[string, string]>): Promise<void> {
    return this.tryStore(() =>
      entries.length === 1
        ? this.store.set(entries[0][0], entries[0][1], this.ttlSeconds)
        : this.store.mset(entries, this.ttlSeconds),
    );
  }

  private async tryStore(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch {
      this.stats.errors += 1;
    }
  }
}

function allPresent(values: (string | null)[]): values is string[] {
  return values.every((value) => value !== null);
}
