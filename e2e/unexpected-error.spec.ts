import pg from "pg";
import { createClient } from "redis";
import { startAppInstance } from "./support/app-instance";
import { CHAT_URL, expectReplyComplete, sendWithEnter, sidebar } from "./support/chat";
import { E2E_ADMIN_DATABASE_URL } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * A failure nobody planned for (here: a table gone from under a running instance) is logged
 * once with a request id, and the page shows that id and the sidebar, never internals. The
 * instance gets a database and a Redis index of its own, so breaking them breaks no other test.
 */
const PORT = 3104;
const DATABASE_NAME = `parley_e2e_broken_${PORT}`;
const databaseUrl = (() => {
  const url = new URL(E2E_ADMIN_DATABASE_URL);
  url.pathname = `/${DATABASE_NAME}`;
  return url.toString();
})();
const redisUrl = (() => {
  const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  url.pathname = "/6";
  return url.toString();
})();

async function sql(connectionString: string, statement: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function flushRedis() {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  await redis.flushDb();
  await redis.quit();
}

test("an unexpected failure shows a request id and no internals, logged once with that id", async ({ browser }) => {
  await sql(E2E_ADMIN_DATABASE_URL, `drop database if exists ${DATABASE_NAME} with (force)`);
  await sql(E2E_ADMIN_DATABASE_URL, `create database ${DATABASE_NAME}`);
  await flushRedis();
  const instance = await startAppInstance(PORT, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }, { echo: false });
  const context = await browser.newContext({ baseURL: instance.url });
  try {
    const page = await context.newPage();
    await page.goto("/chats");
    await sendWithEnter(page, "Remember this");
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    const chatUrl = page.url();

    await sql(databaseUrl, "drop table messages cascade");
    await flushRedis();
    const response = await page.goto(chatUrl);
    expect(response?.status()).toBe(500);
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
    await expect(sidebar(page).getByRole("link", { name: /Remember this|Fake chat title/ })).toBeVisible();
    const requestId = (await page.locator(".error-panel__id code").innerText()).trim();
    expect(requestId).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
    const shown = await page.locator("body").innerText();
    expect(shown).not.toMatch(/relation|does not exist|node_modules|\bat \w+ \(/);

    await expect.poll(() => instance.errorLog()).toContain(requestId);
    const lines = instance.errorLog().split("\n").filter((line) => line.includes(requestId));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("request failed");
    // The cause is in the log (on that one line), not on the page.
    expect(lines[0]).toContain('relation \\"messages\\" does not exist');
  } finally {
    await context.close();
    await instance.stop();
    await sql(E2E_ADMIN_DATABASE_URL, `drop database if exists ${DATABASE_NAME} with (force)`);
  }
});
