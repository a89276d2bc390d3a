import type { Kysely } from "kysely";
import { cacheKeys } from "#db/cache/keys";
import { reviveChats } from "#db/cache/revive-dates";
import type { VersionedCache } from "#db/cache/versioned-cache";
import type { ChatRow, Database } from "#db/schema";
import * as placement from "./chat-placement";
import * as placementWrites from "./chat-placement-writes";
import type { SharedLinkCache } from "#db/cache/shared-link-cache";
import { deleteSharedLinksOfUser } from "./shared-links";
import type { Moved } from "./chat-writes";
import { listVersionOf, publishUserVersions } from "./user-versions";
import type { NotFound } from "./write-outcomes";

export type PinOutcome = { kind: "changed"; chat: ChatRow } | { kind: "full" } | NotFound;

/** The name the pinned chats are cached under beside the chat list. */
export const PINNED_LIST_EXTRA = "pinned";

/** Chats archived or deleted per transaction by "archive all" and "delete all". */
const BULK_BATCH = 500;

/**
 * Where a user's chats are shown: the pinned group, the archive, and the moves between them
 * and the sidebar's day groups (chat-placement.ts has the queries). Every move bumps the
 * user's list version and the chats' versions in its transaction and publishes them once
 * committed, like ChatRepository's writes: other tabs see it at their next sync check, and
 * the cached first sidebar page and pinned group are read under the new version.
 */
export class ChatPlacementRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: VersionedCache,
    private readonly sharedLinkPages?: SharedLinkCache,
  ) {}

  /** The pinned chats, for the sidebar's top group. Cached beside the first page when not filtered by project. */
  async listPinned(
    userId: string,
    options: { projectId?: string; listVersion?: number } = {},
  ): Promise<ChatRow[]> {
    if (options.projectId !== undefined) return placement.listPinnedChats(this.db, userId, options);
    const list = await listVersionOf(this.cache, this.db, userId, options.listVersion);
    return this.cache.readThrough(
      cacheKeys.listExtra(userId, list, PINNED_LIST_EXTRA),
      () => placement.listPinnedChats(this.db, userId),
      reviveChats,
    );
  }

  /** A page of the archive view (read from Postgres: it is opened rarely). */
  async listArchived(
    userId: string,
    options: { limit: number; after?: placement.ArchiveCursor },
  ): Promise<placement.ArchivePage> {
    return placement.listArchivedPage(this.db, userId, options);
  }

  /** How many chats the user has, and how many are archived (read from Postgres). */
  async count(userId: string): Promise<{ all: number; archived: number }> {
    return placement.countChats(this.db, userId);
  }

  /** Pins or unpins the chat; "full" when PINNED_CHATS_MAX are pinned already. */
  async pin(userId: string, chatId: string, pinned: boolean): Promise<PinOutcome> {
    const result = await placementWrites.pinChat(this.db, userId, chatId, pinned);
    if (result.kind !== "changed") return result;
    await this.publish(userId, result.moved);
    return { kind: "changed", chat: result.chat };
  }

  /** Archives or restores the chat; undefined when it is not the user's. */
  async archive(userId: string, chatId: string, archived: boolean): Promise<ChatRow | undefined> {
    const result = await placementWrites.archiveChat(this.db, userId, chatId, archived);
    if (!result) return undefined;
    await this.publish(userId, result.moved);
    return result.chat;
  }

  /**
   * Archives every chat of the user's not archived yet, in batches (each its own transaction,
   * published once committed: a failure part-way leaves the batches done archived). Resolves how many.
   */
  async archiveAll(userId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await placementWrites.archiveBatch(this.db, userId, BULK_BATCH);
      if (!batch) return total;
      await this.publish(userId, batch.moved);
      total += batch.count;
      if (batch.count < BULK_BATCH) return total;
    }
  }

  /**
   * Deletes every chat of the user's, archived or not, in batches like `archiveAll`. Resolves
   * how many, and the replies that were being written in them (for the caller to stop).
   */
  async deleteAll(userId: string): Promise<{ count: number; pendingReplyIds: string[] }> {
    const result = { count: 0, pendingReplyIds: [] as string[] };
    // Every chat goes, so every shared link does: named first (the cascade would not say which
    // cached pages to bury), then buried, so none is served from the hot store afterwards.
    await this.sharedLinkPages?.forget(await deleteSharedLinksOfUser(this.db, userId));
    for (;;) {
      const batch = await placementWrites.deleteBatch(this.db, userId, BULK_BATCH);
      if (!batch) return result;
      await this.publish(userId, batch.moved);
      result.count += batch.count;
      result.pendingReplyIds.push(...batch.pendingReplyIds);
      if (batch.count < BULK_BATCH) return result;
    }
  }

  private publish(userId: string, moved: Moved): Promise<void> {
    return publishUserVersions(this.cache, userId, moved.list, moved.chats);
  }
}
