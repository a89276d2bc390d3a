import type { Transaction } from "kysely";
import type { ChatRow, Database, MessageRow } from "#db/schema";
import * as chats from "./chats";
import type { Db } from "./db-type";
import * as messages from "./messages";
import { inTransaction, withListBump } from "./transactions";
import type { ChangedChats } from "./user-versions";
import { bumpListVersion } from "./users";
import { busyIfReplyInProgress, type Busy, type NotFound } from "./write-outcomes";
import { deleteSharedLinksOfChat } from "./shared-links";

/**
 * The chat writes that combine queries. Each is one transaction (the caller's, or its own)
 * that also bumps the versions its change affects, and resolves them as `moved` for the
 * caller to publish once the transaction has committed.
 */

/** The versions a write moved: the user's list version (when the sidebar changed) and chats'. */
export interface Moved {
  list?: number;
  chats: ChangedChats;
}

export type AppendResult =
  | { kind: "appended"; messages: MessageRow[]; chat: ChatRow; moved: Moved }
  /** The first message's client id was seen before: nothing was stored, here is the first copy. */
  | { kind: "duplicate"; message: MessageRow }
  | Busy
  | NotFound;

export type UpdateResult = { kind: "updated"; message: MessageRow; moved: Moved } | Busy | NotFound;

export type RewriteResult = { kind: "rewritten"; chat: ChatRow; moved: Moved } | Busy | NotFound;

/** Creates a chat holding `initial`; with a client id this user used before, stores nothing (`created: false`). */
export function createChatWithMessages(
  db: Db,
  chat: chats.NewChatFields,
  initial: messages.NewMessage[],
): Promise<{ chat: ChatRow; messages: MessageRow[]; created: boolean; moved?: Moved }> {
  return inTransaction(db, async (trx) => {
    const { chat: row, created } = await chats.createChat(trx, chat);
    if (!created) return { chat: row, messages: [], created };
    const stored: MessageRow[] = [];
    for (const message of initial) {
      const appended = await messages.appendMessage(trx, chat.userId, { ...message, chatId: row.id });
      if (appended) stored.push(appended.message);
    }
    return { chat: row, messages: stored, created, moved: await listAndChat(trx, chat.userId, row) };
  });
}

/**
 * Appends messages to a chat and moves it to the top. The first message's client id makes
 * the whole append idempotent: a retry stores nothing and resolves the first copy.
 */
export function appendToChat(
  db: Db,
  userId: string,
  chatId: string,
  batch: messages.NewMessage[],
): Promise<AppendResult> {
  return busyIfReplyInProgress(
    inTransaction(db, async (trx) => {
      const stored: MessageRow[] = [];
      for (const message of batch) {
        const appended = await messages.appendMessage(trx, userId, { ...message, chatId });
        if (!appended) return { kind: "not-found" as const };
        if (!appended.created) return { kind: "duplicate" as const, message: appended.message };
        stored.push(appended.message);
      }
      const chat = await chats.touchChat(trx, userId, chatId);
      if (!chat) return { kind: "not-found" as const };
      return {
        kind: "appended" as const,
        messages: stored,
        chat,
        moved: await listAndChat(trx, userId, chat),
      };
    }),
  );
}

/** Updates a message of the chat and marks the chat changed (with `touch`, also moves it to the top). */
export function updateMessageInChat(
  db: Db,
  userId: string,
  chatId: string,
  messageId: string,
  patch: messages.MessagePatch,
  options: { onlyIfStatus?: MessageRow["status"]; touch?: boolean } = {},
): Promise<UpdateResult> {
  return busyIfReplyInProgress(
    inTransaction(db, async (trx) => {
      const message = await messages.updateMessage(trx, userId, messageId, patch, options);
      if (!message || message.chat_id !== chatId) return { kind: "not-found" as const };
      if (options.touch) {
        const chat = await chats.touchChat(trx, userId, chatId);
        const list = await bumpListVersion(trx, userId);
        return {
          kind: "updated" as const,
          message,
          moved: { list, chats: chat ? [[chatId, chat.version]] : [] },
        };
      }
      const version = await chats.bumpChatVersion(trx, userId, chatId);
      return {
        kind: "updated" as const,
        message,
        moved: { chats: version === undefined ? [] : [[chatId, version]] },
      };
    }),
  );
}

/**
 * Edits a message and replaces everything after it with `reply` (a new pending reply):
 * "edit my last message and answer again". Earlier history is untouched.
 */
export function rewriteTail(
  db: Db,
  userId: string,
  chatId: string,
  messageId: string,
  content: string,
  reply: messages.NewMessage,
): Promise<RewriteResult> {
  return busyIfReplyInProgress(
    inTransaction(db, async (trx) => {
      const edited = await messages.updateMessage(trx, userId, messageId, { content });
      if (!edited || edited.chat_id !== chatId) return { kind: "not-found" as const };
      await messages.deleteMessagesAfter(trx, userId, chatId, {
        createdAt: edited.created_at,
        id: edited.id,
      });
      const appended = await messages.appendMessage(trx, userId, { ...reply, chatId });
      const chat = await chats.touchChat(trx, userId, chatId);
      if (!appended || !chat) return { kind: "not-found" as const };
      return { kind: "rewritten" as const, chat, moved: await listAndChat(trx, userId, chat) };
    }),
  );
}

/** A change to the chat row itself (rename, model), which the sidebar shows too. */
export async function changeChat(
  db: Db,
  userId: string,
  change: (trx: Transaction<Database>) => Promise<ChatRow | undefined>,
): Promise<{ chat: ChatRow; moved: Moved } | undefined> {
  const result = await withListBump(db, userId, change);
  if (!result) return undefined;
  return {
    chat: result.value,
    moved: { list: result.list, chats: [[result.value.id, result.value.version]] },
  };
}

/**
 * Deletes the chat, its messages and its shared links; undefined when no chat of this user's
 * was deleted. Resolves the links' token hashes, whose cached pages the caller must bury.
 */
export async function deleteChatAndMessages(
  db: Db,
  userId: string,
  chatId: string,
): Promise<{ moved: Moved; sharedLinkHashes: string[] } | undefined> {
  const result = await withListBump(db, userId, async (trx) => {
    // Named here rather than left to the cascade, to learn which cached pages to bury.
    const sharedLinkHashes = await deleteSharedLinksOfChat(trx, userId, chatId);
    const version = await chats.deleteChat(trx, userId, chatId);
    return version === undefined ? undefined : { version, sharedLinkHashes };
  });
  if (!result) return undefined;
  // Raising the deleted chat's version past its last one makes every cached entry of it
  // unreachable; the read that follows finds nothing in Postgres and caches nothing.
  return {
    moved: { list: result.list, chats: [[chatId, result.value.version + 1]] },
    sharedLinkHashes: result.value.sharedLinkHashes,
  };
}

async function listAndChat(trx: Transaction<Database>, userId: string, chat: ChatRow): Promise<Moved> {
  return { list: await bumpListVersion(trx, userId), chats: [[chat.id, chat.version]] };
}
