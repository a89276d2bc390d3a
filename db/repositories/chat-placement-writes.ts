import type { ChatRow } from "#db/schema";
import * as chats from "./chats";
import * as placement from "./chat-placement";
import type { Moved } from "./chat-writes";
import type { Db } from "./db-type";
import { inTransaction, withListBump } from "./transactions";
import { bumpListVersion } from "./users";
import type { NotFound } from "./write-outcomes";

/**
 * Pinning, archiving and the bulk moves, each one transaction that bumps the user's list
 * version (the sidebar changes) and the versions of the chats it touched (a chat's page shows
 * whether it is archived), resolved as `moved` for the caller to publish after the commit.
 */

export type PinResult =
  | { kind: "changed"; chat: ChatRow; moved: Moved }
  /** Already PINNED_CHATS_MAX pinned chats: nothing changed. */
  | { kind: "full" }
  | NotFound;

/** Pins or unpins the chat. Pins are counted under a lock on the user's row, so two at once cannot pass the bound. */
export function pinChat(db: Db, userId: string, chatId: string, pinned: boolean): Promise<PinResult> {
  return inTransaction(db, async (trx) => {
    await trx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute();
    const chat = await chats.getChat(trx, userId, chatId);
    if (!chat) return { kind: "not-found" };
    if (
      pinned &&
      !chat.pinned_at &&
      (await placement.countPinnedChats(trx, userId)) >= placement.PINNED_CHATS_MAX
    )
      return { kind: "full" };
    const changed = await placement.setPinned(trx, userId, chatId, pinned);
    if (!changed) return { kind: "not-found" };
    const list = await bumpListVersion(trx, userId);
    return { kind: "changed", chat: changed, moved: { list, chats: [[chatId, changed.version]] } };
  });
}

/** Archives or restores the chat; undefined when no chat of this user's matched. */
export async function archiveChat(
  db: Db,
  userId: string,
  chatId: string,
  archived: boolean,
): Promise<{ chat: ChatRow; moved: Moved } | undefined> {
  const result = await withListBump(db, userId, (trx) =>
    placement.setArchived(trx, userId, chatId, archived),
  );
  if (!result) return undefined;
  return { chat: result.value, moved: { list: result.list, chats: [[chatId, result.value.version]] } };
}

/** Archives one batch of the user's chats; undefined when none was left to archive. */
export async function archiveBatch(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ moved: Moved; count: number } | undefined> {
  const result = await withListBump(db, userId, async (trx) => {
    const changed = await placement.archiveChatsBatch(trx, userId, limit);
    return changed.length > 0 ? changed : undefined;
  });
  if (!result) return undefined;
  return { moved: { list: result.list, chats: result.value }, count: result.value.length };
}

/** Deletes one batch of the user's chats; undefined when none was left. */
export async function deleteBatch(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ moved: Moved; count: number; pendingReplyIds: string[] } | undefined> {
  const result = await withListBump(db, userId, async (trx) => {
    const deleted = await placement.deleteChatsBatch(trx, userId, limit);
    return deleted.chats.length > 0 ? deleted : undefined;
  });
  if (!result) return undefined;
  // As for one deleted chat: a version past the last makes every cached entry of it unreachable.
  const raised = result.value.chats.map(([chatId, version]): [string, number] => [chatId, version + 1]);
  return {
    moved: { list: result.list, chats: raised },
    count: raised.length,
    pendingReplyIds: result.value.pendingReplyIds,
  };
}
