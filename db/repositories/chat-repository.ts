import type { Kysely, Transaction } from "kysely";
import { cacheKeys } from "#db/cache/keys";
import type { SharedLinkCache } from "#db/cache/shared-link-cache";
import { reviveBranchPage, reviveChat, reviveChatPage } from "#db/cache/revive-dates";
import type { VersionedCache } from "#db/cache/versioned-cache";
import type { ChatRow, Database, MessageRow, TitleSource } from "#db/schema";
import * as branches from "./branches";
import { pageStartAround } from "./branch-start";
import * as chats from "./chats";
import * as messages from "./messages";
import * as writes from "./chat-writes";
import type { Busy, NotFound } from "./write-outcomes";
import { ChatVersionReads } from "./chat-version-reads";
import { listVersionOf, publishUserVersions } from "./user-versions";

export type AppendOutcome =
  | { kind: "appended"; messages: MessageRow[]; chat: ChatRow }
  /** The first message's client id was seen before: nothing was stored, here is the first copy. */
  | { kind: "duplicate"; message: MessageRow }
  | Busy
  | NotFound;

export type UpdateOutcome = { kind: "updated"; message: MessageRow } | Busy | NotFound;

/** A new version was added and is shown; `reply` is the new pending reply. */
export type BranchOutcome =
  { kind: "branched"; chat: ChatRow; reply: MessageRow } | { kind: "duplicate" } | Busy | NotFound;

export type ShowOutcome = { kind: "shown"; chat: ChatRow } | Busy | NotFound;

/**
 * The chat data Parley's routes read and write: the Kysely queries (chats.ts, messages.ts)
 * and transactions (chat-writes.ts) composed with the versioned cache. Postgres holds the
 * truth; the hot store holds versions and versioned copies of the hottest reads (a user's
 * first sidebar page, a chat's header, its newest messages).
 *
 * Reads: versions from the store (one round trip), then the versioned entries (one more); a
 * miss or any store error reads Postgres and refills. Writes: one Postgres transaction that
 * also bumps the versions it affects, then the new versions are published (VersionedCache
 * keeps the ones that could not be, and reads around the store until they are replayed).
 */
export class ChatRepository extends ChatVersionReads {
  constructor(
    db: Kysely<Database>,
    cache: VersionedCache,
    /** Where the pages of a deleted chat's shared links are buried. */
    private readonly sharedLinkPages?: SharedLinkCache,
  ) {
    super(db, cache);
  }

  // ---- reads ----------------------------------------------------------------------------

  /** A page of the sidebar. The first page of all chats is cached; later pages and project filters read Postgres. */
  async listChats(
    userId: string,
    options: { limit: number; after?: chats.ChatCursor; projectId?: string; listVersion?: number },
  ): Promise<chats.ChatPage> {
    if (options.after || options.projectId !== undefined)
      return chats.listChatsPage(this.db, userId, options);
    // A caller that already read the list version passes it: one hot-store round trip saved.
    const list = await listVersionOf(this.cache, this.db, userId, options.listVersion);
    const key = cacheKeys.firstChatPage(userId, list, options.limit);
    return this.cache.readThrough(key, () => chats.listChatsPage(this.db, userId, options), reviveChatPage);
  }

  /**
   * A chat's header and the newest messages of its visible branch (root → chosen leaf, see
   * branches.ts), the chat page's read: two hot-store round trips
   * (versions, then both entries) and no Postgres query when cached; one when the caller has
   * read the chat's version already and passes it (null: no such chat of this user's).
   */
  async chatWindow(
    userId: string,
    chatId: string,
    limit: number,
    knownVersion?: number | null,
  ): Promise<{ chat: ChatRow; page: branches.BranchPage; version: number } | undefined> {
    const version = knownVersion !== undefined ? knownVersion : (await this.versions(userId, chatId)).chat;
    if (version === null) return undefined;
    const [chat, page] = await this.cache.readAllThrough<[ChatRow | undefined, branches.BranchPage | null]>([
      {
        key: cacheKeys.chatHeader(userId, chatId, version),
        load: () => chats.getChat(this.db, userId, chatId),
        revive: reviveChat,
      },
      {
        key: cacheKeys.newestMessages(userId, chatId, version, limit),
        load: () => branches.branchPage(this.db, userId, chatId, { limit }),
        revive: reviveBranchPage,
      },
    ]);
    return chat && chat.user_id === userId ? { chat, page: page ?? { messages: [] }, version } : undefined;
  }

  /** The chat, when it is the user's. */
  async getChat(userId: string, chatId: string): Promise<ChatRow | undefined> {
    const { chat: version } = await this.versions(userId, chatId);
    if (version === null) return undefined;
    const chat = await this.cache.readThrough(
      cacheKeys.chatHeader(userId, chatId, version),
      async () => (await chats.getChat(this.db, userId, chatId)) ?? null,
      reviveChat,
    );
    return chat && chat.user_id === userId ? chat : undefined;
  }

  /**
   * A page of the chat's visible branch, newest first; the newest page is cached. With
   * `before`, the ancestors of the message it names; null when that is no message of this
   * chat of the user's (a stale or forged cursor).
   */
  async listMessages(
    userId: string,
    chatId: string,
    options: { limit: number; before?: branches.BranchCursor },
  ): Promise<branches.BranchPage | null> {
    if (options.before) return branches.branchPage(this.db, userId, chatId, options);
    const { chat: version } = await this.versions(userId, chatId);
    if (version === null) return { messages: [] };
    return this.cache.readThrough(
      cacheKeys.newestMessages(userId, chatId, version, options.limit),
      () => branches.branchPage(this.db, userId, chatId, options),
      reviveBranchPage,
    );
  }

  /** Where a page showing the message in its context starts (see branch-start.pageStartAround). */
  async pageStartAround(userId: string, chatId: string, messageId: string, newer: number) {
    return pageStartAround(this.db, userId, chatId, messageId, newer);
  }

  async getMessage(userId: string, messageId: string): Promise<MessageRow | undefined> {
    return messages.getMessage(this.db, userId, messageId);
  }

  /** The visible branch, root → chosen leaf (see branches.visibleBranchMessages). */
  async visibleBranchMessages(userId: string, chatId: string): Promise<MessageRow[]> {
    return branches.visibleBranchMessages(this.db, userId, chatId);
  }

  /** The branch from the root to `messageId`: what the model is sent for that reply. */
  async branchEndingAt(userId: string, chatId: string, messageId: string): Promise<MessageRow[]> {
    return branches.branchEndingAt(this.db, userId, chatId, messageId);
  }

  /** Every message with its parent, and the chosen leaf (see branches.messageTree). */
  async messageTree(userId: string, chatId: string): Promise<branches.MessageTree | undefined> {
    return branches.messageTree(this.db, userId, chatId);
  }

  async listStalePendingReplies(
    before: Date,
  ): Promise<Array<{ id: string; chatId: string; userId: string }>> {
    return messages.listStalePendingReplies(this.db, before);
  }

  /**
   * Records a reply's progress in Postgres without announcing a change (no version bump):
   * the heartbeat that tells a live generator from a dead one. Resolves false when the
   * reply is no longer pending (stopped elsewhere, say).
   */
  async heartbeatReply(userId: string, messageId: string, content: string): Promise<boolean> {
    const row = await messages.updateMessage(
      this.db,
      userId,
      messageId,
      { content },
      { onlyIfStatus: "pending" },
    );
    return row !== undefined;
  }

  // ---- writes: one transaction each (chat-writes.ts), then the versions it moved are published

  /**
   * Creates a chat holding `initial` messages. With a client id this user already created a
   * chat with, nothing is stored and `created` is false (a double post).
   */
  async createChat(
    chat: chats.NewChatFields,
    initial: messages.NewMessage[],
  ): Promise<{ chat: ChatRow; messages: MessageRow[]; created: boolean }> {
    const { moved, ...result } = await writes.createChatWithMessages(this.db, chat, initial);
    if (moved) await this.publish(chat.userId, moved);
    return result;
  }

  /**
   * Appends messages to a chat and moves it to the top. The first message's client id makes
   * the whole append idempotent: a retry stores nothing and returns the first copy.
   */
  async appendMessages(userId: string, chatId: string, batch: messages.NewMessage[]): Promise<AppendOutcome> {
    const result = await writes.appendToChat(this.db, userId, chatId, batch);
    if (result.kind !== "appended") return result;
    await this.publish(userId, result.moved);
    return { kind: "appended", messages: result.messages, chat: result.chat };
  }

  /** Updates a message and marks its chat changed (optionally moving it to the top). */
  async updateMessage(
    userId: string,
    chatId: string,
    messageId: string,
    patch: messages.MessagePatch,
    options: { onlyIfStatus?: MessageRow["status"]; touch?: boolean } = {},
  ): Promise<UpdateOutcome> {
    const result = await writes.updateMessageInChat(this.db, userId, chatId, messageId, patch, options);
    if (result.kind !== "updated") return result;
    await this.publish(userId, result.moved);
    return { kind: "updated", message: result.message };
  }

  async renameChat(
    userId: string,
    chatId: string,
    title: string,
    source: TitleSource,
    onlyIfSource?: TitleSource,
  ): Promise<ChatRow | undefined> {
    return this.changeChat(userId, (trx) =>
      chats.renameChat(trx, userId, chatId, title, source, onlyIfSource),
    );
  }

  async setChatModel(userId: string, chatId: string, model: string): Promise<ChatRow | undefined> {
    return this.changeChat(userId, (trx) => chats.setChatModel(trx, userId, chatId, model));
  }

  async deleteChat(userId: string, chatId: string): Promise<boolean> {
    const result = await writes.deleteChatAndMessages(this.db, userId, chatId);
    if (!result) return false;
    await this.sharedLinkPages?.forget(result.sharedLinkHashes);
    await this.publish(userId, result.moved);
    return true;
  }

  /**
   * Edits the person's message as a new version of it, with a new pending reply, and shows
   * that branch; the earlier version and its continuation stay (chat-writes.addEditedVersion).
   */
  async editMessage(
    userId: string,
    chatId: string,
    messageId: string,
    edit: { content: string; clientId: string | null },
    reply: Omit<messages.NewMessage, "id">,
  ): Promise<BranchOutcome> {
    return this.branched(userId, writes.addEditedVersion(this.db, userId, chatId, messageId, edit, reply));
  }

  /** Adds a new pending version of the reply `messageId` and shows it (chat-writes.addReplyVersion). */
  async regenerateReply(
    userId: string,
    chatId: string,
    messageId: string,
    reply: messages.NewMessage,
  ): Promise<BranchOutcome> {
    return this.branched(userId, writes.addReplyVersion(this.db, userId, chatId, messageId, reply));
  }

  /** Shows the version `messageId` and the continuation last chosen under it (chat-writes.showVersion). */
  async showVersion(userId: string, chatId: string, messageId: string): Promise<ShowOutcome> {
    const result = await writes.showVersion(this.db, userId, chatId, messageId);
    if (result.kind !== "shown") return result;
    await this.publish(userId, result.moved);
    return { kind: "shown", chat: result.chat };
  }

  // ---- internals ------------------------------------------------------------------------

  private async branched(userId: string, write: Promise<writes.BranchResult>): Promise<BranchOutcome> {
    const result = await write;
    if (result.kind !== "branched") return result;
    await this.publish(userId, result.moved);
    return { kind: "branched", chat: result.chat, reply: result.reply };
  }

  private async changeChat(
    userId: string,
    change: (trx: Transaction<Database>) => Promise<ChatRow | undefined>,
  ): Promise<ChatRow | undefined> {
    const result = await writes.changeChat(this.db, userId, change);
    if (!result) return undefined;
    await this.publish(userId, result.moved);
    return result.chat;
  }

  private publish(userId: string, moved: writes.Moved): Promise<void> {
    return publishUserVersions(this.cache, userId, moved.list, moved.chats);
  }
}
