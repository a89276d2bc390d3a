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
  /** Increments an integer counter and (re)sets its TTL; resolves the new value. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /** True when the store answers a PING now. Never rejects. */
  ping(): Promise<boolean>;
  /**
   * Registers a callback for "the store is reachable again after it failed": the cache
   * uses it to replay invalidations it could not make while the store was down.
   */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

export class HotStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HotStoreError";
  }
}

export const KEY_PREFIX = "parley:v1:";
