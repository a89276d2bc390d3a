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

export class HotStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HotStoreError";
  }
}

export const KEY_PREFIX = "parley:v1:";
