import { randomBytes } from "node:crypto";

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then randomness.
 * Ids made this way sort by creation time, which keeps the primary-key index append-mostly
 * and makes `id` a meaningful tie-breaker in keyset cursors. Rows written in one transaction
 * share `now()`, so within a process the sequence keeps ids strictly increasing even in the
 * same millisecond (RFC 9562, method 1).
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from URLs; Postgres rejects a malformed uuid with an error, so check first. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * The one spelling of an id that Parley uses everywhere (lower case), or null when `value` is
 * not an id. Postgres compares uuids regardless of case, but cache keys and URLs do not: an id
 * taken as written would let `/chats/<UPPER>` read a cache entry that writes never invalidate.
 */
export function canonicalId(value: string | null | undefined): string | null {
  return value && UUID_PATTERN.test(value) ? value.toLowerCase() : null;
}
