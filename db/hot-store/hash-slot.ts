/**
 * Redis Cluster's key → slot mapping (CRC16/XMODEM of the key, or of its hash tag, mod
 * 16384), so the store can keep every multi-key command inside one slot. Checked against a
 * real server's CLUSTER KEYSLOT in hash-slot.test.ts.
 */
export const SLOT_COUNT = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit += 1)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc;
}

/**
 * The part of `key` that is hashed: the text between the first `{` and the next `}` when that
 * is not empty, else the whole key (Redis's rule, on bytes).
 */
function hashedPart(key: Buffer): Buffer {
  const open = key.indexOf(0x7b);
  if (open === -1) return key;
  const close = key.indexOf(0x7d, open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.subarray(open + 1, close);
}

export function hashSlot(key: string): number {
  return crc16(hashedPart(Buffer.from(key, "utf8"))) % SLOT_COUNT;
}

/**
 * The indexes of `keys` grouped by slot, in first-seen order: one group per command a
 * cluster will accept. A single group when every key shares a hash tag.
 */
export function groupBySlot(keys: readonly string[]): number[][] {
  const groups = new Map<number, number[]>();
  keys.forEach((key, index) => {
    const slot = hashSlot(key);
    const group = groups.get(slot);
    if (group) group.push(index);
    else groups.set(slot, [index]);
  });
  return [...groups.values()];
}
