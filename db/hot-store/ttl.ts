import { HotStoreError } from "./hot-store";

/**
 * Both stores reject a bad TTL the same way, before doing anything: Redis would refuse
 * `EX 0` or `EX 1.5` with a reply error, and a silent "no TTL" would break the promise
 * that every key expires.
 */
export function assertTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new HotStoreError(`TTL must be a positive whole number of seconds, got ${ttlSeconds}`);
  }
}
