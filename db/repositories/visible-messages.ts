import type { MessageRow } from "#db/schema";
import type { Db } from "./db-type";
import { listAllMessages } from "./messages";

/**
 * The messages a reader of a chat sees, oldest first: today every message of the chat. This
 * is the one place a copy of a chat (a shared link) reads them from, so when a chat can hold
 * several branches, following the chosen one here is enough for every copy to follow it.
 */
export async function listVisibleMessages(
  db: Db,
  userId: string,
  chatId: string,
  limit: number,
): Promise<MessageRow[]> {
  return listAllMessages(db, userId, chatId, limit);
}
