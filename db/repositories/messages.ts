import { sql } from "kysely";
import type { MessageRole, MessageRow, MessageStatus } from "#db/schema";
import type { Db } from "./db-type";
import { MESSAGE_COLUMNS } from "./columns";

/** Position in a chat's message order (created_at, id). */
export interface MessageCursor {
  createdAt: Date;
  id: string;
}

export interface NewMessage {
  id: string;
  chatId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  /**
   * The idempotency key of the request that made the message: the sender's for their message
   * (and for a regenerated reply); null for replies the server adds to a send.
   */
  clientId: string | null;
  model?: string | null;
}

/** A message as stored: where it goes in the chat's tree (see branches.ts). */
export type PlacedMessage = NewMessage & { parentId: string | null };

export type AppendResult = { message: MessageRow; created: boolean };

/**
 * Appends a message to a chat of `userId`, once per client id: a second call with the same
 * (chat, client id) stores nothing and returns the first row, even when both race. Resolves
 * undefined when the chat is not this user's.
 */
export async function appendMessage(
  db: Db,
  userId: string,
  message: PlacedMessage,
): Promise<AppendResult | undefined> {
  // INSERT … SELECT from the user's own chat: ownership is checked by the same statement.
  const inserted = await db
    .insertInto("messages")
    .columns(["id", "chat_id", "parent_id", "role", "content", "status", "client_id", "model"])
    .expression((eb) =>
      eb
        .selectFrom("chats")
        .select([
          sql<string>`${message.id}::uuid`.as("id"),
          "chats.id as chat_id",
          sql<string | null>`${message.parentId}::uuid`.as("parent_id"),
          sql<MessageRole>`${message.role}::text`.as("role"),
          sql<string>`${message.content}::text`.as("content"),
          sql<MessageStatus>`${message.status}::text`.as("status"),
          sql<string | null>`${message.clientId}::text`.as("client_id"),
          sql<string | null>`${message.model ?? null}::text`.as("model"),
        ])
        .where("chats.id", "=", message.chatId)
        .where("chats.user_id", "=", userId),
    )
    .onConflict((oc) => oc.columns(["chat_id", "client_id"]).doNothing())
    .returning(MESSAGE_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { message: inserted, created: true };
  if (message.clientId === null) return undefined;
  const existing = await messagesOfUser(db, userId)
    .where("messages.chat_id", "=", message.chatId)
    .where("messages.client_id", "=", message.clientId)
    .executeTakeFirst();
  return existing ? { message: existing, created: false } : undefined;
}

export async function getMessage(db: Db, userId: string, messageId: string): Promise<MessageRow | undefined> {
  return messagesOfUser(db, userId).where("messages.id", "=", messageId).executeTakeFirst();
}

export type MessagePatch = Partial<Pick<MessageRow, "content" | "status" | "error" | "model">>;

/** Updates a message of one of the user's chats; resolves the new row, or undefined. */
export async function updateMessage(
  db: Db,
  userId: string,
  messageId: string,
  patch: MessagePatch,
  options: { onlyIfStatus?: MessageStatus } = {},
): Promise<MessageRow | undefined> {
  let query = db
    .updateTable("messages")
    .set({ ...patch, updated_at: sql`now()` })
    .where("messages.id", "=", messageId)
    .where("messages.chat_id", "in", (eb) =>
      eb.selectFrom("chats").select("chats.id").where("chats.user_id", "=", userId),
    );
  if (options.onlyIfStatus) query = query.where("messages.status", "=", options.onlyIfStatus);
  return query.returning(MESSAGE_COLUMNS).executeTakeFirst();
}

/** The chat's newest message by (created_at, id): the leaf of a chat whose pointer was never set. */
export async function newestMessageId(db: Db, chatId: string): Promise<string | null> {
  const row = await db
    .selectFrom("messages")
    .select("id")
    .where("chat_id", "=", chatId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Whether a reply is being written in the chat (at most one: messages_one_pending_reply_idx). */
export async function hasPendingReply(db: Db, chatId: string): Promise<boolean> {
  const row = await db
    .selectFrom("messages")
    .select("id")
    .where("chat_id", "=", chatId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return row !== undefined;
}

function messagesOfUser(db: Db, userId: string) {
  return db
    .selectFrom("messages")
    .innerJoin("chats", "chats.id", "messages.chat_id")
    .select(MESSAGE_COLUMNS)
    .where("chats.user_id", "=", userId);
}

/** Pending replies whose last heartbeat is older than `before`: their generator died. */
export async function listStalePendingReplies(
  db: Db,
  before: Date,
  limit = 100,
): Promise<Array<{ id: string; chatId: string; userId: string }>> {
  return db
    .selectFrom("messages")
    .innerJoin("chats", "chats.id", "messages.chat_id")
    .select(["messages.id as id", "messages.chat_id as chatId", "chats.user_id as userId"])
    .where("messages.status", "=", "pending")
    .where("messages.updated_at", "<", before)
    .limit(limit)
    .execute();
}
