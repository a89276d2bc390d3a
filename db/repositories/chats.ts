import { sql } from "kysely";
import type { ChatRow, TitleSource } from "#db/schema";
import type { Db } from "./db-type";
import { CHAT_COLUMNS } from "./columns";
import { splitPage } from "./keyset";

/** Position in the sidebar's order (latest activity first, id breaking ties). */
export interface ChatCursor {
  updatedAt: Date;
  id: string;
}

export interface ChatPage {
  chats: ChatRow[];
  /** Where the next page starts; absent on the last page. */
  next?: ChatCursor;
}

export interface NewChatFields {
  id: string;
  userId: string;
  title: string;
  titleSource: TitleSource;
  model?: string | null;
  projectId?: string | null;
  /** The creating message's client id: a second create with it returns the first chat. */
  clientId?: string | null;
  /** The last of the chat's first messages (see branches.ts). */
  activeLeafId?: string | null;
}

/** Creates a chat. With a client id already used by this user, creates nothing and resolves `created: false` with that chat. */
export async function createChat(db: Db, chat: NewChatFields): Promise<{ chat: ChatRow; created: boolean }> {
  const inserted = await db
    .insertInto("chats")
    .values({
      id: chat.id,
      user_id: chat.userId,
      title: chat.title,
      title_source: chat.titleSource,
      model: chat.model ?? null,
      project_id: chat.projectId ?? null,
      client_id: chat.clientId ?? null,
      active_leaf_id: chat.activeLeafId ?? null,
    })
    .onConflict((oc) => oc.columns(["user_id", "client_id"]).doNothing())
    .returning(CHAT_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { chat: inserted, created: true };
  const existing = await db
    .selectFrom("chats")
    .select(CHAT_COLUMNS)
    .where("user_id", "=", chat.userId)
    .where("client_id", "=", chat.clientId ?? "")
    .executeTakeFirstOrThrow();
  return { chat: existing, created: false };
}

export async function getChat(db: Db, userId: string, chatId: string): Promise<ChatRow | undefined> {
  return db
    .selectFrom("chats")
    .select(CHAT_COLUMNS)
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/**
 * One page of a user's listed chats (neither pinned nor archived), newest activity first, by keyset: rows strictly after the
 * cursor in (updated_at desc, id desc) order. Unlike OFFSET, a chat that moves to the top
 * between two page reads does not shift the rows below it, so nothing repeats.
 * `projectId`: undefined lists every chat; a string lists that project's chats.
 */
export async function listChatsPage(
  db: Db,
  userId: string,
  options: { limit: number; after?: ChatCursor; projectId?: string },
): Promise<ChatPage> {
  // Pinned chats have their own group and archived ones their own view: neither is paged here
  // (the partial index chats_user_listed_idx holds exactly these rows, in this order).
  let query = db
    .selectFrom("chats")
    .select(CHAT_COLUMNS)
    .where("user_id", "=", userId)
    .where("pinned_at", "is", null)
    .where("archived_at", "is", null);
  if (options.projectId !== undefined) query = query.where("project_id", "=", options.projectId);
  if (options.after) {
    const { updatedAt, id } = options.after;
    query = query.where((eb) => eb(eb.refTuple("updated_at", "id"), "<", eb.tuple(updatedAt, id)));
  }
  const rows = await query
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit + 1)
    .execute();
  const { page: chats, continueAfter: last } = splitPage(rows, options.limit);
  return last ? { chats, next: { updatedAt: last.updated_at, id: last.id } } : { chats };
}

/** Renames the chat; with `onlyIfSource`, only while its title still came from there (a model never overrides a person). */
export async function renameChat(
  db: Db,
  userId: string,
  chatId: string,
  title: string,
  titleSource: TitleSource,
  onlyIfSource?: TitleSource,
): Promise<ChatRow | undefined> {
  let query = db
    .updateTable("chats")
    .set({ title, title_source: titleSource, version: sql`version + 1` })
    .where("id", "=", chatId)
    .where("user_id", "=", userId);
  if (onlyIfSource) query = query.where("title_source", "=", onlyIfSource);
  return query.returning(CHAT_COLUMNS).executeTakeFirst();
}

/**
 * The chat's row, locked until the transaction ends, when it is the user's: writes that add
 * to the chat's tree take it first, so two of them never read the same leaf.
 */
export async function lockChat(db: Db, userId: string, chatId: string): Promise<ChatRow | undefined> {
  return db
    .selectFrom("chats")
    .select(CHAT_COLUMNS)
    .where("chats.id", "=", chatId)
    .where("chats.user_id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Moves the chat to the top of the sidebar and marks it changed; with `activeLeafId`, the
 * chat now shows the branch ending there.
 */
export async function touchChat(
  db: Db,
  userId: string,
  chatId: string,
  activeLeafId?: string,
): Promise<ChatRow | undefined> {
  return db
    .updateTable("chats")
    .set({
      updated_at: sql`now()`,
      version: sql`version + 1`,
      ...(activeLeafId ? { active_leaf_id: activeLeafId } : {}),
    })
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returning(CHAT_COLUMNS)
    .executeTakeFirst();
}

/** Marks the chat changed without moving it (a reply's status changing, say). */
export async function bumpChatVersion(db: Db, userId: string, chatId: string): Promise<number | undefined> {
  const row = await db
    .updateTable("chats")
    .set({ version: sql`version + 1` })
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returning("version")
    .executeTakeFirst();
  return row?.version;
}

/** Shows the branch ending at `leafId` (a person chose a version): the chat changes, its place in the sidebar does not. */
export async function showBranch(
  db: Db,
  userId: string,
  chatId: string,
  leafId: string,
): Promise<ChatRow | undefined> {
  return db
    .updateTable("chats")
    .set({ active_leaf_id: leafId, version: sql`version + 1` })
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returningAll()
    .executeTakeFirst();
}

export async function setChatModel(
  db: Db,
  userId: string,
  chatId: string,
  model: string,
): Promise<ChatRow | undefined> {
  return db
    .updateTable("chats")
    .set({ model, version: sql`version + 1` })
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returning(CHAT_COLUMNS)
    .executeTakeFirst();
}

/**
 * Deletes the chat and (by cascade) its messages. Resolves the version the chat had, or
 * undefined when no chat of this user was deleted.
 */
export async function deleteChat(db: Db, userId: string, chatId: string): Promise<number | undefined> {
  const row = await db
    .deleteFrom("chats")
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returning("version")
    .executeTakeFirst();
  return row?.version;
}

export interface Versions {
  /** The user's chat-list version; 0 for a user with no row yet. */
  list: number;
  /** The chat's version, or null when the chat is absent or not the user's. */
  chat: number | null;
}

/** The versions the sync check compares, read from the truth in one query. */
export async function readVersions(db: Db, userId: string, chatId?: string): Promise<Versions> {
  const row = await db
    .selectFrom("users")
    .select((eb) => [
      "users.list_version",
      chatId
        ? eb
            .selectFrom("chats")
            .select("chats.version")
            .where("chats.id", "=", chatId)
            .where("chats.user_id", "=", userId)
            .as("chat_version")
        : eb.val(null).as("chat_version"),
    ])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  const chat = row?.chat_version;
  return { list: row?.list_version ?? 0, chat: chat === null || chat === undefined ? null : Number(chat) };
}
