import { cacheKeys } from "#db/cache/keys";
import type { VersionedCache, VersionEntry } from "#db/cache/versioned-cache";
import { readVersions, type Versions } from "./chats";
import type { Db } from "./db-type";

/**
 * A user's versions in the versioned cache: the list version (anything the sidebar shows:
 * chats, projects) and one per chat (its header and messages). Postgres bumps them in the
 * transaction that makes a change; the repositories publish and read them through here.
 */

/** The chats a write changed, each with its new version. */
export type ChangedChats = ReadonlyArray<readonly [chatId: string, version: number]>;

/** The versions the sync check compares: one hot-store round trip when cached. */
export async function readUserVersions(
  cache: VersionedCache,
  db: Db,
  userId: string,
  chatId?: string,
): Promise<Versions> {
  const truth = versionsOf(db, userId, chatId);
  return toVersions(await cache.readVersions(truth.keys, truth.load));
}

/** `readUserVersions` and other hot keys (a reply's progress) in the same round trip. */
export async function readUserVersionsWithExtras(
  cache: VersionedCache,
  db: Db,
  userId: string,
  chatId: string | undefined,
  extraKeys: string[],
): Promise<{ versions: Versions; extras: (string | null)[] }> {
  const truth = versionsOf(db, userId, chatId);
  const { versions, extras } = await cache.readVersionsWithExtras(truth.keys, extraKeys, truth.load);
  return { versions: toVersions(versions), extras };
}

/**
 * The versions the sync check compares as this instance knows them, without any I/O (see
 * VersionedCache.knownVersions), or null: then `readUserVersionsWithExtras` asks the store.
 */
export function knownUserVersions(cache: VersionedCache, userId: string, chatId?: string): Versions | null {
  const known = cache.knownVersions(versionKeys(userId, chatId));
  return known && toVersions(known);
}

/** `readUserVersionsWithExtras` from the hot store alone, or null (see readCachedVersionsWithExtras). */
export async function readCachedUserVersionsWithExtras(
  cache: VersionedCache,
  db: Db,
  userId: string,
  chatId: string | undefined,
  extraKeys: string[],
): Promise<{ versions: Versions; extras: (string | null)[] } | null> {
  const cached = await cache.readCachedVersionsWithExtras(versionsOf(db, userId, chatId).keys, extraKeys);
  return cached && { versions: toVersions(cached.versions), extras: cached.extras };
}

/** The list version the caller passes when it read it already, or the current one. */
export async function listVersionOf(
  cache: VersionedCache,
  db: Db,
  userId: string,
  known: number | undefined,
): Promise<number> {
  return known ?? (await readUserVersions(cache, db, userId)).list;
}

/** Publishes the user's new list version (when it moved) and the new versions of `changed`. */
export function publishUserVersions(
  cache: VersionedCache,
  userId: string,
  list: number | undefined,
  changed: ChangedChats,
): Promise<void> {
  const entries: VersionEntry[] = changed.map(([chatId, version]) => [
    cacheKeys.chatVersion(userId, chatId),
    version,
  ]);
  if (list !== undefined) entries.unshift([cacheKeys.listVersion(userId), list]);
  return cache.publish(entries);
}

function versionKeys(userId: string, chatId: string | undefined): string[] {
  return [cacheKeys.listVersion(userId), ...(chatId ? [cacheKeys.chatVersion(userId, chatId)] : [])];
}

function versionsOf(db: Db, userId: string, chatId: string | undefined) {
  return {
    keys: versionKeys(userId, chatId),
    async load(): Promise<(number | null)[]> {
      const truth = await readVersions(db, userId, chatId);
      return chatId ? [truth.list, truth.chat] : [truth.list];
    },
  };
}

function toVersions([list, chat]: (number | null)[]): Versions {
  return { list: list ?? 0, chat: chat ?? null };
}
