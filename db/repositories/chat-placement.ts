import { sql } from "kysely";
import type { ChatRow } from "#db/schema";
import { CHAT_COLUMNS } from "./columns";
import type { Db } from "./db-type";
import { splitPage } from "./keyset";

/**
 * Where a chat is shown: pinned (the sidebar's top group), archived (the archive view), or
 * neither (the sidebar's day groups, paged in chats.ts). The queries that move a chat between
 * them and list the first two. A chat is never both pinned and archived (a check constraint
 * says so too): archiving unpins, and pinning an archived chat brings it back.
 */

/** Pinned chats are read whole with the sidebar's first page, so there is a bound on them. */
export const PINNED_CHATS_MAX = 50;

/** Position in the archive's order (most recently archived first, id breaking ties). */
export interface ArchiveCursor {
  archivedAt: Date;
  id: string;
}

export interface ArchivePage {
  chats: ChatRow[];
  next?: ArchiveCursor;
}

/** The user's pinned chats, most recently pinned first (a stable order: activity does not reshuffle it). */
export async function listPinnedChats(
  db: Db,
  userId: string,
  options: { projectId?: string } = {},
): Promise<ChatRow[]> {
  let query = db
    .selectFrom("chats")
    .select(CHAT_COLUMNS)
    .where("user_id", "=", userId)
    .where("pinned_at", "is not", null);
  if (options.projectId !== undefined) query = query.where("project_id", "=", options.projectId);
  return query.orderBy("pinned_at", "desc").orderBy("id", "desc").limit(PINNED_CHATS_MAX).execute();
}

export async function countPinnedChats(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("chats")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("user_id", "=", userId)
    .where("pinned_at", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A page of the user's archived chats, most recently archived first, by keyset. */
export async function listArchivedPage(
  db: Db,
  userId: string,
  options: { limit: number; after?: ArchiveCursor },
): Promise<ArchivePage> {
  let query = db
    .selectFrom("chats")
    .select(CHAT_COLUMNS)
    .where("user_id", "=", userId)
    .where("archived_at", "is not", null);
  if (options.after) {
    const { archivedAt, id } = options.after;
    query = query.where((eb) => eb(eb.refTuple("archived_at", "id"), "<", eb.tuple(archivedAt, id)));
  }
  const rows = await query
    .orderBy("archived_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit + 1)
    .execute();
  const { page: chats, continueAfter: last } = splitPage(rows, options.limit);
  return last?.archived_at ? { chats, next: { archivedAt: last.archived_at, id: last.id } } : { chats };
}

/**
 * Pins the chat (un-archiving it: a pinned chat is one you want in sight) or unpins it.
 * Pinning a pinned chat keeps its place. Resolves undefined when no chat of this user's matched.
 */
export async function setPinned(
  db: Db,
  userId: string,
  chatId: string,
  pinned: boolean,
): Promise<ChatRow | undefined> {
  return db
    .updateTable("chats")
    .set(
      pinned
        ? { pinned_at: sql`coalesce(pinned_at, now())`, archived_at: null, version: sql`version + 1` }
        : { pinned_at: null, version: sql`version + 1` },
    )
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returning(CHAT_COLUMNS)
    .executeTakeFirst();
}

/** Archives the chat (unpinning it) or restores it to the sidebar; undefined when no chat of this user's matched. */
export async function setArchived(
  db: Db,
  userId: string,
  chatId: string,
  archived: boolean,
): Promise<ChatRow | undefined> {
  return db
    .updateTable("chats")
    .set(
      archived
        ? { archived_at: sql`coalesce(archived_at, now())`, pinned_at: null, version: sql`version + 1` }
        : { archived_at: null, version: sql`version + 1` },
    )
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .returning(CHAT_COLUMNS)
    .executeTakeFirst();
}

/** Archives up to `limit` of the user's chats not archived yet; resolves each with its new version. */
export async function archiveChatsBatch(
  db: Db,
  userId: string,
  limit: number,
): Promise<Array<[string, number]>> {
  const rows = await db
    .updateTable("chats")
    .set({ archived_at: sql`now()`, pinned_at: null, version: sql`version + 1` })
    .where("id", "in", (eb) =>
      eb
        .selectFrom("chats")
        .select("id")
        .where("user_id", "=", userId)
        .where("archived_at", "is", null)
        .limit(limit),
    )
    // Repeated outside the subquery: the update itself never reaches past this user's rows.
    .where("user_id", "=", userId)
    .returning(["id", "version"])
    .execute();
  return rows.map((row) => [row.id, Number(row.version)]);
}

/**
 * Deletes up to `limit` of the user's chats (their messages go by cascade). Resolves each
 * deleted chat with its last version, and the replies that were still being written in them.
 */
export async function deleteChatsBatch(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ chats: Array<[string, number]>; pendingReplyIds: string[] }> {
  const doomed = await db
    .selectFrom("chats")
    .select("id")
    .where("user_id", "=", userId)
    .limit(limit)
    .forUpdate()
    .execute();
  if (doomed.length === 0) return { chats: [], pendingReplyIds: [] };
  const ids = doomed.map((row) => row.id);
  const pending = await db
    .selectFrom("messages")
    .select("id")
    .where("chat_id", "in", ids)
    .where("status", "=", "pending")
    .execute();
  const deleted = await db
    .deleteFrom("chats")
    .where("id", "in", ids)
    .where("user_id", "=", userId)
    .returning(["id", "version"])
    .execute();
  return {
    chats: deleted.map((row) => [row.id, Number(row.version)]),
    pendingReplyIds: pending.map((row) => row.id),
  };
}

/** How many chats the user has, and how many of them are archived (for the bulk confirmations). */
export async function countChats(db: Db, userId: string): Promise<{ all: number; archived: number }> {
  const row = await db
    .selectFrom("chats")
    .select((eb) => [eb.fn.countAll<number>().as("all"), eb.fn.count<number>("archived_at").as("archived")])
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return { all: Number(row.all), archived: Number(row.archived) };
}
