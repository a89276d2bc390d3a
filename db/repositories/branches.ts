import { sql, type RawBuilder } from "kysely";
import type { MessageRow } from "#db/schema";
import type { Db } from "./db-type";
import { MESSAGE_COLUMNS } from "./columns";
import { splitPage } from "./keyset";

/**
 * A chat's messages form a tree: each message has a parent (`parent_id`, null for a first
 * message), and siblings are versions of one another (an edited question, a regenerated
 * reply). The chat shows one branch, root → `chats.active_leaf_id`; its model is sent that
 * branch. Every read here starts from a leaf and walks `parent_id` up (a recursive CTE),
 * bounded by the number of messages wanted, so a window costs the same in a long chat.
 *
 * For other parts of Parley: `visibleBranchMessages` is what the person sees (and the model
 * is sent); `messageTree` is everything, versions included.
 */

/** Where a message stands among its versions (its parent's children, oldest first). */
export interface Siblings {
  /** 1-based. */
  position: number;
  count: number;
  previousId: string | null;
  nextId: string | null;
}

export type BranchMessage = MessageRow & { siblings: Siblings };

/** Position in a branch: the oldest message shown, whose ancestors come next. */
export interface BranchCursor {
  createdAt: Date;
  id: string;
}

export interface BranchPage {
  /** Newest first. */
  messages: BranchMessage[];
  /** Where the next (older) page starts; absent at the branch's first message. */
  before?: BranchCursor;
}

export interface MessageTree {
  activeLeafId: string | null;
  /** Every message of the chat, oldest first (so parents come before their children). */
  messages: MessageRow[];
}

/**
 * A message row's columns read from `alias` inside raw SQL: named, as everywhere (columns.ts),
 * so the generated `search_vector` does not ride into pages, cache entries and loader payloads.
 */
export const messageColumnsOf = (alias: string) =>
  sql.join(MESSAGE_COLUMNS.map((column) => sql.ref(`${alias}.${column.slice("messages.".length)}`)));

/** The chat's active leaf, or its newest message for a chat whose pointer was never set. */
export const activeLeafOf = (chatId: string) => sql<string>`coalesce(chats.active_leaf_id, (
  select newest.id from messages as newest where newest.chat_id = ${chatId}
  order by newest.created_at desc, newest.id desc limit 1))`;

/**
 * The rows of the branch ending at `start` (a message id expression), newest first, at most
 * `limit`, each with its place among its siblings. Empty when the chat is not the user's.
 */
async function branchRows(
  db: Db,
  userId: string,
  chatId: string,
  start: RawBuilder<string | null>,
  limit: number,
): Promise<BranchMessage[]> {
  const result = await sql<MessageRow & { sibling_position: number; sibling_count: number } & Neighbours>`
    with recursive branch as (
      select ${messageColumnsOf("messages")}, 1 as depth
      from messages join chats on chats.id = messages.chat_id
      where chats.id = ${chatId} and chats.user_id = ${userId} and messages.id = ${start}
      union all
      select ${messageColumnsOf("parent")}, branch.depth + 1
      from branch join messages as parent on parent.id = branch.parent_id
      where branch.depth < ${limit}
    ),
    candidates as (
      select id, parent_id, created_at from messages
      where chat_id = ${chatId} and parent_id in (select parent_id from branch)
      union all
      select id, parent_id, created_at from messages
      where chat_id = ${chatId} and parent_id is null
        and exists (select 1 from branch where branch.parent_id is null)
    ),
    siblings as (
      select id,
        row_number() over ordered as sibling_position,
        count(*) over (partition by parent_id) as sibling_count,
        lag(id) over ordered as previous_sibling_id,
        lead(id) over ordered as next_sibling_id
      from candidates
      window ordered as (partition by parent_id order by created_at, id)
    )
    select branch.*, siblings.sibling_position, siblings.sibling_count,
      siblings.previous_sibling_id, siblings.next_sibling_id
    from branch join siblings on siblings.id = branch.id
    order by branch.depth`.execute(db);
  return result.rows.map(toBranchMessage);
}

interface Neighbours {
  depth?: number;
  previous_sibling_id: string | null;
  next_sibling_id: string | null;
}

function toBranchMessage(
  row: MessageRow & { sibling_position: number; sibling_count: number } & Neighbours,
): BranchMessage {
  const { sibling_position, sibling_count, previous_sibling_id, next_sibling_id, depth: _, ...message } = row;
  return {
    ...message,
    siblings: {
      position: Number(sibling_position),
      count: Number(sibling_count),
      previousId: previous_sibling_id,
      nextId: next_sibling_id,
    },
  };
}

/**
 * A page of the chat's visible branch, newest first: its newest `limit` messages, or those
 * before `before` (the ancestors of the message it names). Null when `before` names no
 * message of this chat of the user's; an empty page when the chat is not theirs.
 */
export async function branchPage(
  db: Db,
  userId: string,
  chatId: string,
  options: { limit: number; before?: BranchCursor },
): Promise<BranchPage | null> {
  let start = activeLeafOf(chatId);
  if (options.before) {
    const cursor = await db
      .selectFrom("messages")
      .innerJoin("chats", "chats.id", "messages.chat_id")
      .select("messages.parent_id")
      .where("messages.id", "=", options.before.id)
      .where("messages.chat_id", "=", chatId)
      .where("chats.user_id", "=", userId)
      .executeTakeFirst();
    if (!cursor) return null;
    if (cursor.parent_id === null) return { messages: [] };
    start = sql<string>`${cursor.parent_id}::uuid`;
  }
  // One more than shown: it says whether an older page exists.
  const rows = await branchRows(db, userId, chatId, start, options.limit + 1);
  const { page: messages, continueAfter: oldest } = splitPage(rows, options.limit);
  return oldest ? { messages, before: { createdAt: oldest.created_at, id: oldest.id } } : { messages };
}

/**
 * The visible branch of a chat, root → chosen leaf (what the person sees and the model is
 * sent), at most its newest `limit` messages. Empty when the chat is not the user's.
 */
export async function visibleBranchMessages(
  db: Db,
  userId: string,
  chatId: string,
  limit = 1000,
): Promise<MessageRow[]> {
  return pathRows(db, userId, chatId, activeLeafOf(chatId), limit);
}

/** The branch from the root to `messageId` (included), oldest first, at most its newest `limit`. */
export async function branchEndingAt(
  db: Db,
  userId: string,
  chatId: string,
  messageId: string,
  limit = 1000,
): Promise<MessageRow[]> {
  return pathRows(db, userId, chatId, sql<string>`${messageId}::uuid`, limit);
}

async function pathRows(
  db: Db,
  userId: string,
  chatId: string,
  start: RawBuilder<string | null>,
  limit: number,
): Promise<MessageRow[]> {
  const result = await sql<MessageRow & { depth?: number }>`
    with recursive branch as (
      select ${messageColumnsOf("messages")}, 1 as depth
      from messages join chats on chats.id = messages.chat_id
      where chats.id = ${chatId} and chats.user_id = ${userId} and messages.id = ${start}
      union all
      select ${messageColumnsOf("parent")}, branch.depth + 1
      from branch join messages as parent on parent.id = branch.parent_id
      where branch.depth < ${limit}
    )
    select * from branch order by depth desc`.execute(db);
  return result.rows.map(({ depth: _, ...message }) => message);
}

/**
 * Every message of the chat with its parent id, oldest first, and the chosen leaf: the
 * whole tree, versions included. Undefined when the chat is not the user's.
 */
export async function messageTree(db: Db, userId: string, chatId: string): Promise<MessageTree | undefined> {
  const chat = await db
    .selectFrom("chats")
    .select("active_leaf_id")
    .where("id", "=", chatId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!chat) return undefined;
  const messages = await db
    .selectFrom("messages")
    .select(MESSAGE_COLUMNS)
    .where("messages.chat_id", "=", chatId)
    .orderBy("messages.created_at")
    .orderBy("messages.id")
    .execute();
  return { activeLeafId: chat.active_leaf_id ?? messages[messages.length - 1]?.id ?? null, messages };
}

/**
 * The leaf to show when `messageId` is chosen: of the leaves under it (itself, if it has no
 * children), the one most recently chosen or created. So a version comes back as it was
 * last seen, with the versions chosen further down, and a new branch shows its newest end.
 */
export async function latestLeafUnder(
  db: Db,
  chatId: string,
  messageId: string,
): Promise<string | undefined> {
  const result = await sql<{ id: string }>`
    with recursive subtree as (
      select id, created_at, chosen_at from messages where id = ${messageId} and chat_id = ${chatId}
      union all
      select child.id, child.created_at, child.chosen_at
      from subtree join messages as child on child.parent_id = subtree.id
    )
    select id from subtree
    where not exists (select 1 from messages as child where child.parent_id = subtree.id)
    order by coalesce(chosen_at, created_at) desc, id desc
    limit 1`.execute(db);
  return result.rows[0]?.id;
}
