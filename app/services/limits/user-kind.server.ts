import { LRUCache } from "lru-cache";
import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";
import type { Db } from "#db/repositories/db-type";
import { isGuestUser } from "#db/repositories/user-kind";

/**
 * Whether a user is a guest, for the message quota, remembered in this process for a while:
 * without it every send of the default configuration (guests lower than accounts) paid a
 * Postgres select, ~0.4 ms of latency and ~0.2 ms of CPU (bench/micro/limits-cost.ts).
 *
 * Safe without invalidation because a user only ever moves one way, guest → account (sign-up):
 * an answer that is out of date can only give a new account the guest quota for at most
 * GUEST_FOR_MS. "Account" is kept longer; a deleted user has no more writes to count.
 */
const GUEST_FOR_MS = 60_000;
const ACCOUNT_FOR_MS = 10 * 60_000;

/** Bounded by bytes like every in-process cache: ~20,000 users at ~250 bytes each. */
const KNOWN_MAX_BYTES = 5 * 1024 * 1024;

const known = new LRUCache<string, boolean>({
  maxSize: KNOWN_MAX_BYTES,
  sizeCalculation: (_guest, userId) => cacheEntryBytes(userId),
});

export async function isGuest(db: Db, userId: string): Promise<boolean> {
  const remembered = known.get(userId);
  if (remembered !== undefined) return remembered;
  const guest = await isGuestUser(db, userId);
  known.set(userId, guest, { ttl: guest ? GUEST_FOR_MS : ACCOUNT_FOR_MS });
  return guest;
}
