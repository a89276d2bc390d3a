import { sql } from "kysely";
import { startAppInstance } from "./support/app-instance";
import { test, expect } from "./support/fixtures";
import { e2eData } from "./support/database";
import { extraInstancePort } from "./support/environment";

/**
 * A session that ends (here: deleted by hand in Postgres, the hardest case, since no app code
 * runs) is refused by every instance within about a second, by the pages and by the sync check,
 * although both had its look-up cached a moment before.
 */
test("a session deleted in Postgres is refused on every instance within about a second", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1, () => "Soon to be signed out");
  const other = await startAppInstance(extraInstancePort(5));
  try {
    const origins = ["", other.url];
    // Warm both instances: the session's look-up is now cached in Redis.
    for (const origin of origins) {
      expect((await page.request.get(`${origin}/chats/${chatId}`)).status()).toBe(200);
      const sync = await page.request.get(`${origin}/resources/sync?chat=${chatId}`);
      expect(await sync.json()).toMatchObject({ list: expect.any(Number), chat: expect.any(Number) });
    }

    const sessionIds = await sql<{
      id: string;
    }>`delete from sessions where user_id = ${guest.userId} returning id`.execute(e2eData().database.db);
    expect(sessionIds.rows).toHaveLength(1);
    const deletedAt = Date.now();

    for (const origin of origins) {
      await expect
        .poll(async () => (await page.request.get(`${origin}/chats/${chatId}`)).status(), {
          intervals: [50],
          timeout: 2_000,
        })
        .toBe(404);
      await expect
        .poll(async () => (await page.request.get(`${origin}/resources/sync?chat=${chatId}`)).json(), {
          intervals: [50],
          timeout: 2_000,
        })
        .toEqual({ list: 0, chat: null });
    }
    expect(Date.now() - deletedAt).toBeLessThan(1_500);
    await page.goto(`/chats/${chatId}`);
    await expect(page.getByText("Soon to be signed out")).toHaveCount(0);
  } finally {
    await other.stop();
  }
});
