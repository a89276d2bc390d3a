import { sql, type Transaction } from "kysely";
import { uuidv7 } from "#db/ids";
import type { ChatRow, Database, MessageRow } from "#db/schema";
import { latestLeafUnder } from "./branches";
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

/** A new version (an edited message, a regenerated reply) was added and is now shown. */
export type BranchResult =
  | { kind: "branched"; chat: ChatRow; reply: MessageRow; moved: Moved }
  /** The request's client id was seen before: nothing was stored. */
  | { kind: "duplicate" }
  | Busy
  | NotFound;

export type ShowResult = { kind: "shown"; chat: ChatRow; moved: Moved } | Busy | NotFound;

/** Creates a chat holding `initial`; with a client id this user used before, stores nothing (`created: false`). */
export function createChatWithMessages(
  db: Db,
  chat: chats.NewChatFields,
  initial: messages.NewMessage[],
): Promise<{ chat: ChatRow; messages: MessageRow[]; created: boolean; moved?: Moved }> {
  return inTransaction(db, async (trx) => {
    const activeLeafId = initial[initial.length - 1]?.id ?? null;
    const { chat: row, created } = await chats.createChat(trx, { ...chat, activeLeafId });
    if (!created) return { chat: row, messages: [], created };
    const stored: MessageRow[] = [];
    let parentId: string | null = null;
    for (const message of initial) {
      const appended = await messages.appendMessage(trx, chat.userId, {
        ...message,
        chatId: row.id,
        parentId,
      });
      if (appended) stored.push(appended.message);
      parentId = message.id;
    }
    return { chat: row, messages: stored, created, moved: await listAndChat(trx, chat.userId, row) };
  });
}

/**
 * Appends messages to the end of the chat's visible branch, each following the one before,
 * and moves the chat to the top. The first message's client id makes the whole append
 * idempotent: a retry stores nothing and resolves the first copy.
 */
export function appendToChat(
  db: Db,
  userId: string,
  chatId: string,
  batch: messages.NewMessage[],
): Promise<AppendResult> {
  return busyIfReplyInProgress(
    inTransaction(db, async (trx) => {
      const locked = await chats.lockChat(trx, userId, chatId);
      if (!locked) return { kind: "not-found" as const };
      let parentId = locked.active_leaf_id ?? (await messages.newestMessageId(trx, chatId));
      const stored: MessageRow[] = [];
      for (const message of batch) {
        const appended = await messages.appendMessage(trx, userId, { ...message, chatId, parentId });
        if (!appended) return { kind: "not-found" as const };
        if (!appended.created) return { kind: "duplicate" as const, message: appended.message };
        stored.push(appended.message);
        parentId = message.id;
      }
      const chat = await chats.touchChat(trx, userId, chatId, parentId ?? undefined);
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
      // The chat's row first, as a send takes it: a reply that stops being pending while a send
      // into its chat adds a new pending one would otherwise wait on the send's lock of the chat
      // while the send's insert waits on this transaction (the one-pending-reply index): a
      // deadlock that lost the reply's final write.
      if (!(await chats.lockChat(trx, userId, chatId))) return { kind: "not-found" as const };
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
 * Edits the person's message `messageId` as a new version of it: a sibling holding `content`
 * (same parent) and a new pending `reply` under it (both get new ids here, in that order). The chat shows this new branch; the old
 * message and everything after it stay, one version away. With a client id seen before in
 * this chat, nothing is stored (`duplicate`).
 */
export function addEditedVersion(
  db: Db,
  userId: string,
  chatId: string,
  messageId: string,
  edit: { content: string; clientId: string | null },
  reply: Omit<messages.NewMessage, "id">,
): Promise<BranchResult> {
  return busyIfReplyInProgress(
    inTransaction(db, async (trx) => {
      if (!(await chats.lockChat(trx, userId, chatId))) return { kind: "not-found" as const };
      const original = await messages.getMessage(trx, userId, messageId);
      if (!original || original.chat_id !== chatId || original.role !== "user")
        return { kind: "not-found" as const };
      // Ids sort by creation: the question is made before its reply.
      const question = await messages.appendMessage(trx, userId, {
        id: uuidv7(),
        chatId,
        parentId: original.parent_id,
        role: "user",
        content: edit.content,
        status: "complete",
        clientId: edit.clientId,
      });
      if (!question) return { kind: "not-found" as const };
      if (!question.created) return { kind: "duplicate" as const };
      return addReplyAt(trx, userId, chatId, { ...reply, id: uuidv7(), parentId: question.message.id });
    }),
  );
}

/**
 * Regenerates (or retries) the reply `messageId` as a new version of it: a sibling pending
 * `reply` under the same question, now shown; the earlier reply stays, one version away.
 * With the reply's client id seen before in this chat, nothing is stored (`duplicate`).
 */
export function addReplyVersion(
  db: Db,
  userId: string,
  chatId: string,
  messageId: string,
  reply: messages.NewMessage,
): Promise<BranchResult> {
  return busyIfReplyInProgress(
    inTransaction(db, async (trx) => {
      if (!(await chats.lockChat(trx, userId, chatId))) return { kind: "not-found" as const };
      const original = await messages.getMessage(trx, userId, messageId);
      if (!original || original.chat_id !== chatId || original.role !== "assistant")
        return { kind: "not-found" as const };
      return addReplyAt(trx, userId, chatId, { ...reply, parentId: original.parent_id });
    }),
  );
}

async function addReplyAt(
  trx: Transaction<Database>,
  userId: string,
  chatId: string,
  reply: messages.PlacedMessage,
): Promise<BranchResult> {
  const appended = await messages.appendMessage(trx, userId, { ...reply, chatId });
  if (!appended) return { kind: "not-found" };
  if (!appended.created) return { kind: "duplicate" };
  const chat = await chats.touchChat(trx, userId, chatId, appended.message.id);
  if (!chat) return { kind: "not-found" };
  return { kind: "branched", chat, reply: appended.message, moved: await listAndChat(trx, userId, chat) };
}

/**
 * Shows the version `messageId` (any message of the chat) with the continuation last chosen
 * under it (see branches.latestLeafUnder). Refused while a reply is being written: the reply
 * being written must stay on the page that follows it.
 */
export function showVersion(db: Db, userId: string, chatId: string, messageId: string): Promise<ShowResult> {
  return inTransaction(db, async (trx) => {
    if (!(await chats.lockChat(trx, userId, chatId))) return { kind: "not-found" as const };
    const leafId = await latestLeafUnder(trx, chatId, messageId);
    if (!leafId) return { kind: "not-found" as const };
    if (await messages.hasPendingReply(trx, chatId)) return { kind: "busy" as const };
    await markChosen(trx, chatId, leafId);
    const chat = await chats.showBranch(trx, userId, chatId, leafId);
    if (!chat) return { kind: "not-found" as const };
    return { kind: "shown" as const, chat, moved: { chats: [[chatId, chat.version]] } };
  });
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

/**
 * Records that the branch ending at `leafId` was chosen just now: after every earlier choice
 * and message of the chat, even within one millisecond, so the latest choice always wins.
 */
async function markChosen(trx: Transaction<Database>, chatId: string, leafId: string): Promise<void> {
  await sql`
    update messages set chosen_at = greatest(now(), (
      select max(coalesce(chosen_at, created_at)) + interval '1 millisecond'
      from messages where chat_id = ${chatId}))
    where id = ${leafId} and chat_id = ${chatId}`.execute(trx);
}

async function listAndChat(trx: Transaction<Database>, userId: string, chat: ChatRow): Promise<Moved> {
  return { list: await bumpListVersion(trx, userId), chats: [[chat.id, chat.version]] };
}
