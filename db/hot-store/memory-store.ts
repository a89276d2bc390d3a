import { HotStoreError, type HotStore } from "./hot-store";
import { assertTtl } from "./ttl";

export interface MemoryHotStoreOptions {
  /** Beyond this many keys, the least recently set ones are dropped (it is only a cache). */
  maxEntries?: number;
  /** Clock in milliseconds; injectable so tests can expire keys without sleeping. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 30_000;

/**
 * The in-process hot store used when no Redis is configured. A Map keeps insertion order,
 * and every write re-inserts its key, so the first key is always the least recently set:
 * eviction is O(1). Expired keys are dropped when read and by a periodic sweep, so keys
 * nobody reads again do not pin memory until eviction reaches them.
 */
export function createMemoryHotStore(options: MemoryHotStoreOptions = {}): HotStore {
  const maxEntries = options.maxEntries ?? 50_000;
  if (!Number.isInteger(maxEntries) || maxEntries <= 0) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let closed = false;

  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  // A cache must never be the reason a process (or a test run) stays alive.
  sweeper.unref();

  function sweep(): void {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  }

  function assertOpen(): void {
    if (closed) throw new HotStoreError("memory hot store is closed");
  }

  function read(key: string): string | null {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return null;
    }
    return entry.value;
  }

  function write(key: string, value: string, ttlSeconds: number): void {
    entries.delete(key);
    entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  }

  return {
    kind: "memory",

    async get(key) {
      assertOpen();
      return read(key);
    },

    async mget(keys) {
      assertOpen();
      return keys.map(read);
    },

    async set(key, value, ttlSeconds) {
      assertOpen();
      assertTtl(ttlSeconds);
      write(key, value, ttlSeconds);
    },

    async setIfAbsent(key, value, ttlSeconds) {
      assertOpen();
      assertTtl(ttlSeconds);
      if (read(key) !== null) return false;
      write(key, value, ttlSeconds);
      return true;
    },

    async mset(pairs, ttlSeconds) {
      assertOpen();
      assertTtl(ttlSeconds);
      for (const [key, value] of pairs) write(key, value, ttlSeconds);
    },

    async del(keys) {
      assertOpen();
      for (const key of keys) entries.delete(key);
    },

    async raiseVersions(versions, ttlSeconds) {
      assertOpen();
      assertTtl(ttlSeconds);
      for (const [key, version] of versions) {
        const current = Number(read(key) ?? Number.NaN);
        write(key, String(Number.isNaN(current) ? version : Math.max(current, version)), ttlSeconds);
      }
    },

    async incr(key, ttlSeconds) {
      assertOpen();
      assertTtl(ttlSeconds);
      const current = read(key);
      // Same rule as Redis INCR: only a canonical integer (no "007", "-0", spaces) counts.
      if (current !== null && !/^(0|-?[1-9]\d*)$/.test(current)) {
        throw new HotStoreError(`memory INCR: value of ${key} is not an integer`);
      }
      const next = (current === null ? 0 : Number(current)) + 1;
      if (!Number.isSafeInteger(next)) throw new HotStoreError(`memory INCR: ${key} would overflow`);
      write(key, String(next), ttlSeconds);
      return next;
    },

    async ping() {
      return !closed;
    },

    // Memory never goes away and comes back, so there is nothing to replay.
    onReconnect() {
      return () => {};
    },

    async close() {
      closed = true;
      clearInterval(sweeper);
      entries.clear();
    },
  };
}
