/**
 * The value of a session's cached look-up in the hot store: its user id and the moment (ms
 * since the epoch) its copy stops being believed, the same moment as the key's TTL ends. With
 * the moment in the value, any instance that reads the copy can keep it in memory exactly as
 * long as the store keeps it. A value without the moment (the user id alone, as a test or a
 * hand may write it) is still a valid look-up, only not one to keep in memory.
 */
export function encodeCachedLookUp(userId: string, until: number): string {
  return `${userId} ${until}`;
}

export function decodeCachedLookUp(value: string): { userId: string; until: number | null } {
  const space = value.indexOf(" ");
  if (space === -1) return { userId: value, until: null };
  const until = Number(value.slice(space + 1));
  return { userId: value.slice(0, space), until: Number.isSafeInteger(until) ? until : null };
}
