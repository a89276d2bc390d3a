import { sql } from "kysely";
import type { SharedLinkRow, SharedMessage } from "#db/schema";
import type { Db } from "./db-type";
import { getChat } from "./chats";
import { listVisibleMessages } from "./visible-messages";

/** A shared link as its owner's list shows it (no copy of the messages). */
export type SharedLinkSummary = Pick<
  SharedLinkRow,
  "id" | "chat_id" | "title" | "message_count" | "created_at"
>;

export interface NewSharedLink {
  id: string;
  userId: string;
  chatId: string;
  tokenHash: string;
  /** The newest messages copied at most (a longer chat is copied from that many before its end). */
  maxMessages: number;
}

/**
 * Copies the user's chat as it is now: its title and its complete messages (a reply still
 * being written, or one that failed, is left out). Resolves undefined when the chat is not
 * the user's. Call inside a transaction, so the copy and the row are one snapshot.
 */
export async function insertSharedLink(db: Db, link: NewSharedLink): Promise<SharedLinkRow | undefined> {
  const chat = await getChat(db, link.userId, link.chatId);
  if (!chat) return undefined;
  const rows = await listVisibleMessages(db, link.userId, link.chatId, link.maxMessages);
  const messages: SharedMessage[] = rows
    .filter((message) => message.status === "complete" && message.role !== "system")
    .map((message) => ({
      id: message.id,
      role: message.role,
      content: message.content,
      createdAt: message.created_at.toISOString(),
    }));
  return db
    .insertInto("shared_links")
    .values({
      id: link.id,
      user_id: link.userId,
      chat_id: link.chatId,
      token_hash: link.tokenHash,
      title: chat.title,
      messages: JSON.stringify(messages),
      message_count: messages.length,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findSharedLinkByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<SharedLinkRow | undefined> {
  return db.selectFrom("shared_links").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

/** The user's shared links, newest first. */
export async function listSharedLinks(db: Db, userId: string, limit: number): Promise<SharedLinkSummary[]> {
  return db
    .selectFrom("shared_links")
    .select(["id", "chat_id", "title", "message_count", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export async function countSharedLinks(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("shared_links")
    .select(sql<string>`count(*)`.as("count"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes one of the user's links; resolves its token hash, or undefined when it was not theirs. */
export async function deleteSharedLink(db: Db, userId: string, linkId: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom("shared_links")
    .where("id", "=", linkId)
    .where("user_id", "=", userId)
    .returning("token_hash")
    .executeTakeFirst();
  return row?.token_hash;
}

/** Deletes every link of the user's chat (before the chat goes); resolves their token hashes. */
export async function deleteSharedLinksOfChat(db: Db, userId: string, chatId: string): Promise<string[]> {
  const rows = await db
    .deleteFrom("shared_links")
    .where("chat_id", "=", chatId)
    .where("user_id", "=", userId)
    .returning("token_hash")
    .execute();
  return rows.map((row) => row.token_hash);
}

/** Deletes every link of the user ("delete all chats"), returning their token hashes to bury. */
export async function deleteSharedLinksOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .deleteFrom("shared_links")
    .where("user_id", "=", userId)
    .returning("token_hash")
    .execute();
  return rows.map((row) => row.token_hash);
}

/** The token hashes of every link of the user (for what an account deletion must forget). */
export async function sharedLinkHashesOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("shared_links")
    .select("token_hash")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((row) => row.token_hash);
}

/** Moves a guest's links to the account its chats move into (sign-in), before the guest goes. */
export async function moveSharedLinks(db: Db, fromUserId: string, toUserId: string): Promise<number> {
  const result = await db
    .updateTable("shared_links")
    .set({ user_id: toUserId })
    .where("user_id", "=", fromUserId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
