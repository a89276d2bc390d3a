import { sql } from "kysely";
import type { Db } from "./db-type";
import { activeLeafOf, type BranchCursor } from "./branches";

/**
 * Where the page of a chat's visible branch that shows one message in its context starts (a
 * search hit opened at its message, `?at=`). The chat pages along its visible branch with
 * `before` cursors (branches.ts), so the start is found on that branch too, not in time order
 * over every version.
 */

/**
 * The `before` cursor of the page showing `messageId` with up to `newer` newer messages of the
 * visible branch after it: the message (newer + 1) steps below it on the branch (the page is
 * that message's ancestors). Null when fewer messages follow it (the newest page shows it);
 * undefined when it is not on the visible branch of this chat of the user's (another chat's,
 * another user's, or a version not shown).
 */
export async function pageStartAround(
  db: Db,
  userId: string,
  chatId: string,
  messageId: string,
  newer: number,
): Promise<BranchCursor | null | undefined> {
  // Walks parent_id up from the active leaf and stops at the message: the newer messages
  // are what was walked before it.
  const result = await sql<{ id: string; created_at: Date; is_target: boolean }>`
    with recursive path as (
      select messages.id, messages.parent_id, messages.created_at, 1 as depth
      from messages join chats on chats.id = messages.chat_id
      where chats.id = ${chatId} and chats.user_id = ${userId} and messages.id = ${activeLeafOf(chatId)}
      union all
      select parent.id, parent.parent_id, parent.created_at, path.depth + 1
      from path join messages as parent on parent.id = path.parent_id
      where path.id <> ${messageId}::uuid
    ),
    target as (select depth from path where id = ${messageId}::uuid)
    select path.id, path.created_at, path.id = ${messageId}::uuid as is_target
    from path, target
    where path.id = ${messageId}::uuid or path.depth = target.depth - ${newer + 1}`.execute(db);
  if (!result.rows.some((row) => row.is_target)) return undefined;
  const start = result.rows.find((row) => !row.is_target);
  return start ? { createdAt: new Date(start.created_at), id: start.id } : null;
}
