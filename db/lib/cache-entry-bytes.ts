/**
 * What one entry of an in-process cache (an lru-cache LRUCache) costs in heap bytes, at
 * most: the caches are bounded by bytes, not entries, so that nobody can fill memory with a
 * few huge entries. V8 stores a string in one byte per character when it can and two
 * otherwise, with a header of about 16 bytes: two bytes per UTF-16 unit is the upper bound.
 * The rest (the cache's own key map and lists, a small value object) measured ~146 bytes per
 * entry with lru-cache 11 on Node 20 (200,000 entries, heap before and after); 160 covers it.
 */
const STRING_HEADER_BYTES = 16;
const ENTRY_OVERHEAD_BYTES = 160;

export function cacheEntryBytes(...strings: string[]): number {
  let bytes = ENTRY_OVERHEAD_BYTES;
  for (const text of strings) bytes += STRING_HEADER_BYTES + 2 * text.length;
  return bytes;
}
