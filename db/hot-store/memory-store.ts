import { LRUCache } from "lru-cache";
import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";
import { HotStoreError, type HotStore } from "./hot-store";
import { assertRateRule, backoffWaitMs } from "./rate-rule";
import { assertTtl } from "./ttl";

export interface MemoryHotStoreOptions {
  /** Beyond this many bytes (keys and values, see cacheEntryBytes), the least recently used keys go. */
  maxBytes?: number;
  /** Clock in milliseconds; injectable so tests can expire keys without sleeping. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 30_000;
const MEMORY_EPOCH = "memory";
export const DEFAULT_MEMORY_STORE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The in-process hot store used when no Redis is configured. An lru-cache LRUCache bounds it
 * by bytes (an entry count let a few huge values, such as a long chat's messages, take any
 * amount of memory) and drops the least recently used keys first. Expiry is ours, with
 * Redis's rule (gone at its TTL exactly): expired keys are dropped when read and by a
 * periodic sweep, so keys nobody reads again do not pin memory until eviction reaches them.
 */
export function createMemoryHotStore(options: MemoryHotStoreOptions = {}): HotStore {
  const maxBytes = options.maxBytes ?? DEFAULT_MEMORY_STORE_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  }
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, Entry>({
    maxSize: maxBytes,
    sizeCalculation: (entry, key) => cacheEntryBytes(key, entry.value),
  });
  let closed = false;
  const feedListeners = new Set<(epoch: string, raised: ReadonlyArray<readonly [string, number]>) => void>();

  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  // A cache must never be the reason a process (or a test run) stays alive.
  sweeper.unref();

  function sweep(): void {
    const at = now();
    const expired: string[] = [];
    for (const [key, entry] of entries.entries()) if (entry.expiresAt <= at) expired.push(key);
    for (const key of expired) entries.delete(key);
  }

  function assertOpen(): void {
    if (closed) throw new HotStoreError("memory hot store is closed");
  }

  function live(key: string): Entry | null {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return null;
    }
    return entry;
  }

  function read(key: string): string | null {
    return live(key)?.value ?? null;
  }

  function write(key: string, value: string, ttlSeconds: number): void {
    // A value larger than the whole store is not kept (and its old value goes): a miss, as
    // when Redis evicts.
    entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
  }

  /** A rate rule's state, `count:nextAt`, as the Redis script keeps it in a hash. */
  function readRateState(key: string): { count: number; nextAt: number; expiresAt: number } | null {
    const entry = live(key);
    if (!entry) return null;
    const match = /^(\d+):(\d+)$/.exec(entry.value);
    if (!match) throw new HotStoreError(`memory ATTEMPT: value of ${key} is not a rate state`);
    return { count: Number(match[1]), nextAt: Number(match[2]), expiresAt: entry.expiresAt };
  }

  return {
    kind: "memory",
    // In one process nothing can be missed: the feed is live for as long as the store is open.
    versionFeed: {
      epoch: () => (closed ? null : MEMORY_EPOCH),
      onRaised(listener) {
        feedListeners.add(listener);
        return () => feedListeners.delete(listener);
      },
    },

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
      const raised: Array<[string, number]> = [];
      for (const [key, version] of versions) {
        const current = Number(read(key) ?? Number.NaN);
        if (Number.isNaN(current) || current < version) raised.push([key, version]);
        write(key, String(Number.isNaN(current) ? version : Math.max(current, version)), ttlSeconds);
      }
      if (raised.length > 0) for (const listener of [...feedListeners]) listener(MEMORY_EPOCH, raised);
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

    async attempt(key, rule, options = {}) {
      assertOpen();
      assertRateRule(rule);
      const at = now();
      const state = readRateState(key);
      const count = state?.count ?? 0;
      const windowLeft = state ? state.expiresAt - at : rule.windowSeconds * 1000;
      if (state && state.nextAt > at) return { allowed: false, count, waitMs: state.nextAt - at };
      if (count >= rule.limit) return { allowed: false, count, waitMs: windowLeft };
      if (options.peek) return { allowed: true, count, waitMs: windowLeft };
      const counted = count + 1;
      // The window is fixed: a counted attempt keeps the expiry the first one set.
      entries.set(key, {
        value: `${counted}:${at + backoffWaitMs(rule, counted)}`,
        expiresAt: state?.expiresAt ?? at + rule.windowSeconds * 1000,
      });
      return { allowed: true, count: counted, waitMs: windowLeft };
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
      feedListeners.clear();
      clearInterval(sweeper);
      entries.clear();
    },
  };
}
