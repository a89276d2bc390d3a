/**
 * Cached values are JSON. Rows and cursors hold Dates, which JSON turns into ISO strings; they
 * are read back with a plain JSON.parse (a reviver function runs for every key and value of a
 * page of messages, and kept JSON.parse off its fast path), and each caller turns the few date
 * fields of its own shape back into Dates (db/cache/revive-dates.ts).
 */
export function serialize(value: unknown): string {
  return JSON.stringify(value);
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text) as T;
}
