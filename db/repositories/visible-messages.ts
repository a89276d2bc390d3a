import type { MessageRow } from "#db/schema";
import { visibleBranchMessages } from "./branches";
import type { Db } from "./db-type";

/**
 * The messages a reader of a chat sees, oldest first: the chat's visible branch (root → its
 * chosen leaf), not the versions one step aside. This is the one place a copy of a chat (a
 * shared link) reads them from, so every copy shows what the person saw when they made it.
 */
export async function listVisibleMessages(
  db: Db,
  userId: string,
  chatId: string,
  limit: number,
): Promise<MessageRow[]> {
  return visibleBranchMessages(db, userId, chatId, limit);
}
