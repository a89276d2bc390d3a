/**
 * Cached values are JSON. Rows and cursors hold Dates, which JSON turns into ISO strings;
 * every date-valued field Parley caches has one of these names, so the reviver restores
 * them all in one place.
 */
const DATE_FIELDS = new Set([
  "created_at",
  "updated_at",
  "expires_at",
  "createdAt",
  "updatedAt",
  "pinned_at",
  "archived_at",
]);

export function serialize(value: unknown): string {
  return JSON.stringify(value);
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text, (key, value) =>
    DATE_FIELDS.has(key) && typeof value === "string" ? new Date(value) : value,
  ) as T;
}
