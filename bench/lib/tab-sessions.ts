import { createDb } from "#db/client";
import { createSessionCookie, newSessionId } from "#app/services/session-cookie.server";

/**
 * One session per simulated tab, all of one user: "one tab per person" is the worst case for
 * everything a server keeps per session (the verified-cookie memo, the session look-up, the
 * seen-sessions map), while one write stays news to every tab. Returns a Cookie header each.
 */
export async function createTabSessions(
  databaseUrl: string,
  userId: string,
  count: number,
  sessionSecret: string,
): Promise<string[]> {
  const handle = createDb({ databaseUrl, maxConnections: 2 });
  const cookie = createSessionCookie(sessionSecret, false);
  const expires = new Date(Date.now() + 365 * 86_400_000);
  try {
    const rows = Array.from({ length: count }, () => ({
      id: newSessionId(),
      user_id: userId,
      expires_at: expires,
      created_at: new Date(),
    }));
    for (let start = 0; start < rows.length; start += 1000) {
      await handle.db
        .insertInto("sessions")
        .values(rows.slice(start, start + 1000))
        .execute();
    }
    return await Promise.all(
      rows.map(async (row) => (await cookie.serialize({ s: row.id, u: userId })).split(";")[0]),
    );
  } finally {
    await handle.close();
  }
}
