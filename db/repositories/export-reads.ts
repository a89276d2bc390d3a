import type { ChatRow, MessageRow } from "#db/schema";
import { CHAT_COLUMNS, MESSAGE_COLUMNS } from "./columns";
import type { Db } from "./db-type";
import type { MessageCursor } from "./messages";

/**
 * The reads an export makes, in keyset batches so that memory stays flat however large the
 * account: chats by id (ids sort by creation, so a chat that moves in the sidebar while the
 * export runs is neither skipped nor repeated), and each chat's messages in conversation order.
 * No transaction is held open: a slow download must not pin a connection (or meet the
 * idle-in-transaction limit), so each batch is read as it is at that moment.
 */

/** A batch of the user's chats with ids after `afterId`, by id. */
export async function listChatsForExport(
  db: Db,
  userId: string,
  options: { afterId?: string; limit: number },
): Promise<ChatRow[]> {
  let query = db.selectFrom("chats").select(CHAT_COLUMNS).where("user_id", "=", userId);
  if (options.afterId) query = query.where("id", ">", options.afterId);
  return query.orderBy("id").limit(options.limit).execute();
}

/**
 * Every message of one of the user's chats, oldest first, a batch at a time. The one place an
 * export reads messages: when messages form a tree, this is where the whole tree is read.
 */
export async function* readMessagesForExport(
  db: Db,
  userId: string,
  chatId: string,
  batchSize = 500,
): AsyncGenerator<MessageRow[]> {
  let after: MessageCursor | undefined;
  for (;;) {
    let query = db
      .selectFrom("messages")
      .innerJoin("chats", "chats.id", "messages.chat_id")
      .select(MESSAGE_COLUMNS)
      .where("chats.user_id", "=", userId)
      .where("messages.chat_id", "=", chatId);
    if (after) {
      const { createdAt, id } = after;
      query = query.where((eb) =>
        eb(eb.refTuple("messages.created_at", "messages.id"), ">", eb.tuple(createdAt, id)),
      );
    }
    const rows = await query.orderBy("messages.created_at").orderBy("messages.id").limit(batchSize).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    after = { createdAt: last.created_at, id: last.id };
  }
}
