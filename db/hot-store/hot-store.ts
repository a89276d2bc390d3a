import type { VersionFeed } from "./version-feed";

/**
 * The hot store: the small key/value surface Parley needs from Redis, with an in-process
 * twin for the embedded default. Everything kept here may be lost at any moment; Postgres
 * holds the truth. Every key carries a TTL.
 *
 * Implementations prefix keys themselves (`parley:v1:`), so callers use short names such
 * as `chat:123:header`. Any failure (refused, timed out, disconnected) rejects with
 * HotStoreError, quickly, so callers can fall back to Postgres.
 */
export interface HotStore {
  readonly kind: "redis" | "memory";
  /** Announcements of raised versions, where the store makes them (see VersionFeed). */
  readonly versionFeed?: VersionFeed;
  get(key: string): Promise<string | null>;
  /** One round trip for many keys; missing keys come back as null, in order. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets only when the key is absent. Resolves true when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Sets several keys in one round trip, each with the same TTL. */
  mset(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /**
   * For each entry, raises the key's integer value to at least `version` (a missing key
   * counts as lower) and refreshes its TTL, in one round trip. Never moves a value down, so
   * writers that publish out of order still leave the highest version.
   */
  raiseVersions(entries: ReadonlyArray<readonly [string, number]>, ttlSeconds: number): Promise<void>;
  /** Increments an integer counter and (re)sets its TTL; resolves the new value. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /**
   * One attempt under a rate rule kept at `key`, decided and counted atomically (one round
   * trip; on Redis one script, on the server's clock), so concurrent attempts can never all
   * slip through. Refused attempts are not counted. With `peek`, answers whether an attempt
   * would be allowed now and counts nothing. See RateRule for what refuses.
   */
  attempt(key: string, rule: RateRule, options?: { peek?: boolean }): Promise<RateVerdict>;
  /** True when the store answers a PING now. Never rejects. */
  ping(): Promise<boolean>;
  /**
   * Registers a callback for "the store is reachable again after it failed": the cache
   * uses it to replay invalidations it could not make while the store was down.
   *
   * "Failed" means an operation rejected for want of Redis (not connected, timed out,
   * socket lost) or the connection errored; the listener runs once when Redis next answers,
   * whether by reconnecting or by replying again after a pause. An uneventful first connect
   * does not fire it, but a first connect after operations had already failed does.
   * Returns a function that unregisters the listener.
   */
  onReconnect(listener: () => void): () => void;
  /** Never hangs, even when Redis is down or stuck; afterwards every operation rejects. */
  close(): Promise<void>;
}

/**
 * A fixed-window counter, optionally with a growing wait between attempts. An attempt is
 * refused while the wait since the previous counted attempt has not passed, or once `limit`
 * attempts are counted in the window; otherwise it is counted. The window starts at the first
 * counted attempt and ends `windowSeconds` later, whatever happens in between (so a burst of
 * up to twice the limit can straddle two windows); the key expires with it.
 */
export interface RateRule {
  windowSeconds: number;
  /** Attempts a window allows: a positive whole number. */
  limit: number;
  /**
   * Once `after` attempts are counted, each next one must wait `baseMs` after the previous
   * one, then twice that, and so on, never more than `maxMs`.
   */
  backoff?: { after: number; baseMs: number; maxMs: number };
}

export interface RateVerdict {
  allowed: boolean;
  /** Attempts counted in the current window (this one included when it was counted). */
  count: number;
  /**
   * Refused: milliseconds until an attempt may be allowed. Allowed: milliseconds until the
   * window ends (the whole window when nothing is counted yet).
   */
  waitMs: number;
}

export class HotStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HotStoreError";
  }
}

export const KEY_PREFIX = "parley:v1:";
