/**
 * Keyset pages are read with `limit + 1` rows: the extra row is never shown, it only says
 * whether another page exists. Resolves the page and, when there is more, its last row (where
 * the next page starts).
 */
export function splitPage<T>(rows: T[], limit: number): { page: T[]; continueAfter?: T } {
  const page = rows.slice(0, limit);
  return rows.length > limit && page.length > 0 ? { page, continueAfter: page[page.length - 1] } : { page };
}
