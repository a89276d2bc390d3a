import { sql } from "kysely";
import type { ChatRow, MessageRow } from "#db/schema";
import { activeLeafOf } from "./branches";
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
 * Every message of one of the user's chats, oldest first, a batch at a time: the whole tree,
 * versions included (each row carries its `parent_id`). By time, so a parent usually comes
 * before its children; the import does not rely on it (an imported file may say otherwise).
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

/**
 * The chat's visible branch (root → chosen leaf), oldest first, a batch at a time: what the
 * person sees, for an export meant to be read. The branch's ids are walked first (a few bytes
 * a message), then the rows are read a batch at a time, so memory stays small in a long chat.
 */
export async function* readVisibleBranchForExport(
  db: Db,
  userId: string,
  chatId: string,
  batchSize = 500,
): AsyncGenerator<MessageRow[]> {
  const path = await sql<{ id: string }>`
    with recursive branch as (
      select messages.id, messages.parent_id, 1 as depth
      from messages join chats on chats.id = messages.chat_id
      where chats.id = ${chatId} and chats.user_id = ${userId} and messages.id = ${activeLeafOf(chatId)}
      union all
      select parent.id, parent.parent_id, branch.depth + 1
      from branch join messages as parent on parent.id = branch.parent_id
    )
    select id from branch order by depth desc`.execute(db);
  const ids = path.rows.map((row) => row.id);
  for (let start = 0; start < ids.length; start += batchSize) {
    const batch = ids.slice(start, start + batchSize);
    const rows = await db
      .selectFrom("messages")
      .innerJoin("chats", "chats.id", "messages.chat_id")
      .select(MESSAGE_COLUMNS)
      .where("chats.user_id", "=", userId)
      .where("messages.chat_id", "=", chatId)
      .where("messages.id", "in", batch)
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    // A message deleted since the walk (only with its chat) simply ends the export early.
    const ordered = batch.map((id) => byId.get(id)).filter((row): row is MessageRow => row !== undefined);
    if (ordered.length > 0) yield ordered;
  }
}
