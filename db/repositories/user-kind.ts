import type { Db } from "./db-type";

/**
 * Whether a user is a guest (no account yet): guests get lower quotas. A user that does not
 * exist (deleted a moment ago) counts as a guest, the stricter answer.
 */
export async function isGuestUser(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom("users").select("is_guest").where("id", "=", userId).executeTakeFirst();
  return row?.is_guest ?? true;
}
