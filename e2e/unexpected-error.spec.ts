import { startAppInstance } from "./support/app-instance";
import { CHAT_URL, expectReplyComplete, sendWithEnter, sidebar } from "./support/chat";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { extraInstancePort, redisUrlIndexed } from "./support/environment";
import { flushRedisDatabase, runSql } from "./support/fresh-stores";
import { expect, test } from "./support/fixtures";

/**
 * A failure nobody planned for (here: a table gone from under a running instance) is logged
 * once with a request id, and the page shows that id and the sidebar, never internals. The
 * instance gets a database and a Redis index of its own, so breaking them breaks no other test.
 */
const PORT = extraInstancePort(4);
const redisUrl = redisUrlIndexed(6);

test("an unexpected failure shows a request id and no internals, logged once with that id", async ({
  browser,
}) => {
  const database = await createEmptyPostgresDatabase();
  await flushRedisDatabase(redisUrl);
  const instance = await startAppInstance(
    PORT,
    { DATABASE_URL: database.url, REDIS_URL: redisUrl },
    { echo: false },
  );
  const context = await browser.newContext({ baseURL: instance.url });
  try {
    const page = await context.newPage();
    await page.goto("/chats");
    await sendWithEnter(page, "Remember this");
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    const chatUrl = page.url();

    await runSql(database.url, "drop table messages cascade");
    await flushRedisDatabase(redisUrl);
    const response = await page.goto(chatUrl);
    expect(response?.status()).toBe(500);
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
    await expect(sidebar(page).getByRole("link", { name: /Remember this|Fake chat title/ })).toBeVisible();
    const requestId = (await page.locator(".error-panel__id code").innerText()).trim();
    expect(requestId).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
    const shown = await page.locator("body").innerText();
    expect(shown).not.toMatch(/relation|does not exist|node_modules|\bat \w+ \(/);

    await expect.poll(() => instance.errorLog()).toContain(requestId);
    const lines = instance
      .errorLog()
      .split("\n")
      .filter((line) => line.includes(requestId));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("request failed");
    // The cause is in the log (on that one line), not on the page.
    expect(lines[0]).toContain('relation \\"messages\\" does not exist');
  } finally {
    await context.close();
    await instance.stop();
    await database.drop();
  }
});
