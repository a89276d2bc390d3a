import { sql } from "kysely";
import { uuidv7 } from "#db/ids";
import type { MessageRole, MessageStatus, TitleSource } from "#db/schema";
import type { Db } from "./db-type";
import { inTransaction } from "./transactions";
import { bumpListVersion } from "./users";

/**
 * Writing one imported chat: the chat, all its messages and the import's progress in one
 * transaction, so a chat is there whole or not at all, and the progress shown is exactly
 * what has been committed. The messages keep their tree (db/repositories/branches.ts): each
 * names its parent by client id, and the chat shows the branch ending at the chosen leaf.
 * Rows are written in batches rather than through `appendMessage`, which stamps the current
 * time: an import keeps the file's times.
 */

export interface ImportedMessage {
  /** The message's id in the file: its client id here, unique within the chat. */
  clientId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  model: string | null;
  error: string | null;
  createdAt: Date;
  /** The client id of the message this one follows (null: a first message). Comes earlier in `messages`. */
  parentClientId: string | null;
}

export interface ImportedChat {
  /** Where the chat came from, e.g. `chatgpt:<conversation id>`: a second import finds it by this. */
  clientId: string;
  /** A Parley chat's own id: when it is one of the importer's chats already, it is left alone. */
  ownId: string | null;
  title: string;
  titleSource: TitleSource;
  model: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Parents before children. */
  messages: ImportedMessage[];
  /** The client id of the leaf the chat shows; null: the last message. */
  activeLeafClientId: string | null;
}

export type ChatImportOutcome =
  | { kind: "imported"; chatId: string; list: number }
  /** Imported before (same client id) or the importer's own chat: nothing was written. */
  | { kind: "skipped" };

/** Rows per INSERT: 11 parameters a row stays far below Postgres's 65,535. */
const MESSAGE_ROWS_PER_INSERT = 500;

export function importChat(
  db: Db,
  userId: string,
  importId: string,
  chat: ImportedChat,
): Promise<ChatImportOutcome> {
  return inTransaction(db, async (trx) => {
    const outcome = await insertChat(trx, userId, chat);
    await trx
      .updateTable("imports")
      .set(
        outcome.kind === "imported"
          ? { imported_chats: sql`imported_chats + 1`, updated_at: sql`now()` }
          : { skipped_chats: sql`skipped_chats + 1`, updated_at: sql`now()` },
      )
      .where("id", "=", importId)
      .where("user_id", "=", userId)
      .execute();
    return outcome;
  });
}

async function insertChat(trx: Db, userId: string, chat: ImportedChat): Promise<ChatImportOutcome> {
  if (chat.ownId) {
    const own = await trx
      .selectFrom("chats")
      .select("id")
      .where("id", "=", chat.ownId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (own) return { kind: "skipped" };
  }
  const rows = messageRows(chat);
  const chatId = uuidv7();
  const inserted = await trx
    .insertInto("chats")
    .values({
      id: chatId,
      user_id: userId,
      client_id: chat.clientId,
      title: chat.title,
      title_source: chat.titleSource,
      model: chat.model,
      created_at: chat.createdAt,
      updated_at: chat.updatedAt,
      active_leaf_id: rows.activeLeafId,
    })
    .onConflict((oc) => oc.columns(["user_id", "client_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return { kind: "skipped" };
  for (let start = 0; start < rows.messages.length; start += MESSAGE_ROWS_PER_INSERT) {
    const batch = rows.messages.slice(start, start + MESSAGE_ROWS_PER_INSERT);
    await trx
      .insertInto("messages")
      .values(batch.map((row) => ({ ...row, chat_id: chatId })))
      .execute();
  }
  return { kind: "imported", chatId, list: await bumpListVersion(trx, userId) };
}

/**
 * The chat's messages as rows with their ids and parents resolved, and the leaf to show. A
 * file naming one message twice keeps the first (its children hang from it).
 */
function messageRows(chat: ImportedChat) {
  const ids = new Map<string, string>();
  const messages = [];
  for (const message of chat.messages) {
    if (ids.has(message.clientId)) continue;
    const parentId = message.parentClientId === null ? null : ids.get(message.parentClientId);
    if (parentId === undefined) throw new Error(`message ${message.clientId} comes before its parent`);
    // Made in file order: ids break ties between messages written in the same millisecond.
    const id = uuidv7();
    ids.set(message.clientId, id);
    messages.push({
      id,
      parent_id: parentId,
      role: message.role,
      content: message.content,
      status: message.status,
      client_id: message.clientId,
      model: message.model,
      error: message.error,
      created_at: message.createdAt,
      updated_at: message.createdAt,
    });
  }
  const activeLeafId =
    (chat.activeLeafClientId === null ? undefined : ids.get(chat.activeLeafClientId)) ??
    messages[messages.length - 1]?.id ??
    null;
  return { messages, activeLeafId };
}
