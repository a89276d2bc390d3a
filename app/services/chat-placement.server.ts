import { PINNED_CHATS_MAX } from "#db/repositories/chat-placement";
import { decodeCursor, encodeCursor } from "#app/lib/cursor";
import type { ArchivedChatSummary, ChatSummary } from "#app/lib/view-types";
import { abandonReplies } from "./assistant/assistant.server";
import { BadCursorError } from "./chats.server";
import type { Runtime } from "./runtime.server";
import { toArchivedChatSummary, toChatSummary } from "./views.server";

/**
 * Where chats are shown: the sidebar's pinned group, the archive view, and the moves between
 * them (one chat, or all of them at once). Sending to an archived chat is allowed and leaves
 * it archived: archiving is undone only by Restore (or by pinning), never as a side effect.
 */

export { PINNED_CHATS_MAX };

/** The sidebar's pinned group (of one project's chats when filtered). Pass `listVersion` when read already. */
export async function pinnedChats(
  runtime: Runtime,
  userId: string | null,
  options: { projectId?: string; listVersion?: number } = {},
): Promise<ChatSummary[]> {
  if (!userId) return [];
  return (await runtime.placement.listPinned(userId, options)).map(toChatSummary);
}

export type PinOutcome = "changed" | "full" | "not-found";

export async function setChatPinned(
  runtime: Runtime,
  userId: string,
  chatId: string,
  pinned: boolean,
): Promise<PinOutcome> {
  return (await runtime.placement.pin(userId, chatId, pinned)).kind;
}

/** Archives or restores the chat; false when it is not the user's. */
export async function setChatArchived(
  runtime: Runtime,
  userId: string,
  chatId: string,
  archived: boolean,
): Promise<boolean> {
  return (await runtime.placement.archive(userId, chatId, archived)) !== undefined;
}

export interface ArchivePage {
  chats: ArchivedChatSummary[];
  nextCursor: string | null;
}

/** A page of the archive view: the first, or the one after `cursor` (a malformed one throws BadCursorError). */
export async function archivePage(
  runtime: Runtime,
  userId: string | null,
  cursor: string | null,
): Promise<ArchivePage> {
  const after = cursor ? decodeCursor(cursor) : undefined;
  if (after === null) throw new BadCursorError("Invalid cursor");
  if (!userId) return { chats: [], nextCursor: null };
  const page = await runtime.placement.listArchived(userId, {
    limit: runtime.config.CHAT_PAGE_SIZE,
    after: after ? { archivedAt: after.at, id: after.id } : undefined,
  });
  return {
    chats: page.chats.map(toArchivedChatSummary),
    nextCursor: page.next ? encodeCursor(page.next.archivedAt, page.next.id) : null,
  };
}

export async function chatCounts(
  runtime: Runtime,
  userId: string | null,
): Promise<{ all: number; archived: number }> {
  return userId ? runtime.placement.count(userId) : { all: 0, archived: 0 };
}

/** Archives every chat of the user's not archived yet (pinned ones too); resolves how many. */
export async function archiveAllChats(runtime: Runtime, userId: string | null): Promise<number> {
  return userId ? runtime.placement.archiveAll(userId) : 0;
}

/** Deletes every chat of the user's, archived or not, and stops the replies being written in them. */
export async function deleteAllChats(runtime: Runtime, userId: string | null): Promise<number> {
  if (!userId) return 0;
  const { count, pendingReplyIds } = await runtime.placement.deleteAll(userId);
  await abandonReplies(runtime, pendingReplyIds);
  return count;
}
