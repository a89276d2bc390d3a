import { sql } from "kysely";
import { uuidv7 } from "#db/ids";
import type { MessageRole, MessageStatus, TitleSource } from "#db/schema";
import type { Db } from "./db-type";
import { inTransaction } from "./transactions";
import { bumpListVersion } from "./users";

/**
 * Writing one imported chat: the chat, all its messages and the import's progress in one
 * transaction, so a chat is there whole or not at all, and the progress shown is exactly
 * what has been committed.
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
  messages: ImportedMessage[];
}

export type ChatImportOutcome =
  | { kind: "imported"; chatId: string; list: number }
  /** Imported before (same client id) or the importer's own chat: nothing was written. */
  | { kind: "skipped" };

/** Rows per INSERT: 9 parameters a row stays far below Postgres's 65,535. */
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
    })
    .onConflict((oc) => oc.columns(["user_id", "client_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return { kind: "skipped" };
  for (let start = 0; start < chat.messages.length; start += MESSAGE_ROWS_PER_INSERT) {
    const rows = chat.messages.slice(start, start + MESSAGE_ROWS_PER_INSERT).map((message) => ({
      // Made in file order: ids break ties between messages written in the same millisecond.
      id: uuidv7(),
      chat_id: chatId,
      role: message.role,
      content: message.content,
      status: message.status,
      client_id: message.clientId,
      model: message.model,
      error: message.error,
      created_at: message.createdAt,
      updated_at: message.createdAt,
    }));
    // A file naming one message twice keeps the first.
    await trx
      .insertInto("messages")
      .values(rows)
      .onConflict((oc) => oc.columns(["chat_id", "client_id"]).doNothing())
      .execute();
  }
  return { kind: "imported", chatId, list: await bumpListVersion(trx, userId) };
}
