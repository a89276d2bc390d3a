import { LRUCache } from "lru-cache";
import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";
import type { RaisedVersion, VersionFeed } from "#db/hot-store/version-feed";

interface VersionMirrorOptions {
  /** Bound on the mirror's heap, keys included (see cacheEntryBytes). */
  maxBytes: number;
  /** A version not read or announced for this long is forgotten, like its key in the store. */
  ttlMs: number;
}

export const DEFAULT_VERSION_MIRROR_MAX_BYTES = 8 * 1024 * 1024;

/**
 * This instance's copy of the versions it has read from the hot store, kept current by the
 * store's announcements (VersionFeed). A version only ever grows within a cache generation, so
 * the mirror keeps the highest it has seen, whichever of a read's reply and an announcement
 * arrives first.
 *
 * It answers only while the feed is live, and only with what it learned in the feed's current
 * epoch: when the subscription drops, or the cache generation changes, the mirror is emptied
 * and readers go to the store until the feed is live again and they have read afresh. A read
 * counts only when it was sent during the epoch its reply arrives in: a raise that happened
 * after it was sent is then announced to this epoch, and one before it is in its reply.
 */
export class VersionMirror {
  private readonly versions: LRUCache<string, number>;
  private epoch: string | null = null;
  private readonly stopListening: () => void;

  constructor(
    private readonly feed: VersionFeed,
    options: VersionMirrorOptions,
  ) {
    this.versions = new LRUCache<string, number>({
      maxSize: options.maxBytes,
      sizeCalculation: (_, key) => cacheEntryBytes(key),
      ttl: options.ttlMs,
    });
    this.stopListening = feed.onRaised((epoch, raised) => {
      if (this.current() === epoch) this.raise(raised);
    });
  }

  dispose(): void {
    this.stopListening();
    this.versions.clear();
  }

  /** The feed's epoch now (null: not live); empties the mirror when it moved on. */
  current(): string | null {
    const epoch = this.feed.epoch();
    if (epoch !== this.epoch) {
      this.versions.clear();
      this.epoch = epoch;
    }
    return epoch;
  }

  /** The versions of all `keys`, or null when the feed is not live or one of them is unknown. */
  read(keys: readonly string[]): number[] | null {
    if (this.current() === null) return null;
    const found: number[] = [];
    for (const key of keys) {
      const version = this.versions.get(key);
      if (version === undefined) return null;
      found.push(version);
    }
    return found;
  }

  /** Versions a read sent in epoch `sentIn` found (null: none under that key). */
  learn(sentIn: string | null, keys: readonly string[], values: readonly (number | null)[]): void {
    if (sentIn === null || this.current() !== sentIn) return;
    const raised: RaisedVersion[] = [];
    keys.forEach((key, index) => {
      const version = values[index];
      if (version !== null && version !== undefined && Number.isSafeInteger(version))
        raised.push([key, version]);
    });
    this.raise(raised);
  }

  get size(): number {
    return this.versions.size;
  }

  private raise(raised: readonly RaisedVersion[]): void {
    for (const [key, version] of raised) {
      const known = this.versions.get(key, { updateAgeOnGet: false });
      this.versions.set(key, known === undefined ? version : Math.max(known, version));
    }
  }
}
