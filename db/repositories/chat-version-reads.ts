import type { Kysely } from "kysely";
import type { CacheStats, VersionedCache } from "#db/cache/versioned-cache";
import type { Database } from "#db/schema";
import type { Versions } from "./chats";
import {
  knownUserVersions,
  readCachedUserVersionsWithExtras,
  readUserVersions,
  readUserVersionsWithExtras,
} from "./user-versions";

/**
 * The version reads of ChatRepository: what the sync check, the response cache and every
 * loader compare before reading anything else. From this instance's memory (the version
 * mirror), from the hot store in one round trip, or from Postgres when the store lacks them.
 */
export class ChatVersionReads {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly cache: VersionedCache,
  ) {}

  /** The counters of the versioned cache this repository shares (see createRepositories). */
  get stats(): CacheStats {
    return this.cache.stats;
  }

  get pendingVersionCount(): number {
    return this.cache.pendingVersionCount;
  }

  /** The versions the sync check compares. One hot-store round trip when cached. */
  async versions(userId: string, chatId?: string): Promise<Versions> {
    return readUserVersions(this.cache, this.db, userId, chatId);
  }

  /**
   * The sync check's snapshot: versions plus other hot keys (a reply's progress) in one
   * round trip. Versions missing from the store come from Postgres, like `versions`.
   */
  async syncSnapshot(
    userId: string,
    chatId: string | undefined,
    extraKeys: string[],
  ): Promise<{ versions: Versions; extras: (string | null)[] }> {
    return readUserVersionsWithExtras(this.cache, this.db, userId, chatId, extraKeys);
  }

  /** The versions as this instance knows them with no I/O, or null (user-versions.knownUserVersions). */
  knownVersions(userId: string, chatId?: string): Versions | null {
    return knownUserVersions(this.cache, userId, chatId);
  }

  /** `syncSnapshot` from the hot store alone: null rather than a read of Postgres. */
  async cachedSyncSnapshot(
    userId: string,
    chatId: string | undefined,
    extraKeys: string[],
  ): Promise<{ versions: Versions; extras: (string | null)[] } | null> {
    return readCachedUserVersionsWithExtras(this.cache, this.db, userId, chatId, extraKeys);
  }
}
