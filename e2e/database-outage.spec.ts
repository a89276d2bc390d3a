import { request as requests, type APIRequestContext, type APIResponse } from "@playwright/test";
import pg from "pg";
import { startFreezableProxy } from "#db/testing/freezable-proxy";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { startAppInstance } from "./support/app-instance";
import { composer, expectReplyComplete, messages, sendWithEnter } from "./support/chat";
import { E2E_APP_PORT, extraInstancePort } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * An app instance whose Postgres stops answering (its connection goes through a proxy the test
 * freezes: sockets open, no bytes). Pages and form posts must answer a 503 that says so within
 * a few seconds, with Retry-After, and the same process must work again once Postgres answers.
 * The instance has a database of its own and no Redis (so a read after the cache's 1 s TTL
 * needs Postgres), and runs with the default time limits: the figures are the real ones.
 */
const PORT = E2E_APP_PORT + 7;
const NOT_ANSWERING = "The database is not answering; nothing was saved, try again in a moment.";
/** The default limits: a connection (3 s) or a statement's answer (4 s), plus the request itself. */
const FEW_SECONDS_MS = 6_000;

async function timed(send: () => Promise<APIResponse>): Promise<{ response: APIResponse; ms: number }> {
  const started = performance.now();
  const response = await send();
  return { response, ms: Math.round(performance.now() - started) };
}

const newChatForm = (content: string) => ({
  intent: "send",
  content,
  clientId: crypto.randomUUID().replaceAll("-", ""),
});

async function countUsers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>("select count(*) from users");
    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}

test("with Postgres frozen, pages and posts answer 503 within seconds, and the same process recovers", async () => {
  test.setTimeout(90_000);
  const database = await createEmptyPostgresDatabase();
  const target = new URL(database.url);
  const proxy = await startFreezableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const instance = await startAppInstance(
    PORT,
    { DATABASE_URL: proxy.through(database.url), REDIS_URL: "", CACHE_TTL_SECONDS: "1" },
    { echo: false },
  );
  const contexts: APIRequestContext[] = [];
  const visitor = async () => {
    const context = await requests.newContext({ baseURL: instance.url });
    contexts.push(context);
    return context;
  };
  try {
    const guest = await visitor();
    const created = await guest.post("/chats?index", {
      form: newChatForm("Before the outage"),
      maxRedirects: 0,
    });
    expect(created.status()).toBe(302);
    const chatPath = created.headers().location;
    expect((await guest.get(chatPath)).status()).toBe(200);

    proxy.freeze();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // cached entries expire: reads need Postgres

    // Without limits these would wait for as long as the outage lasts: give up well before.
    const timeout = 15_000;
    const page = await timed(() => guest.get(chatPath, { timeout }));
    const post = await timed(async () =>
      (await visitor()).post("/chats?index", {
        form: newChatForm("During the outage"),
        maxRedirects: 0,
        timeout,
      }),
    );
    const data = await timed(() => guest.get(`${chatPath}.data`, { timeout }));
    // The sync check, answered by server/ before Remix: its versions expired from the cache too.
    const chatId = chatPath.split("/").pop() ?? "";
    const sync = await timed(() => guest.get(`/resources/sync?chat=${chatId}`, { timeout }));
    console.log(
      `frozen Postgres: page GET ${page.ms} ms, form POST ${post.ms} ms, data GET ${data.ms} ms, sync ${sync.ms} ms`,
    );
    for (const [name, { response, ms }] of Object.entries({ page, post, data, sync })) {
      expect(response.status(), name).toBe(503);
      expect(response.headers()["retry-after"], name).toBe("5");
      expect(ms, name).toBeLessThan(FEW_SECONDS_MS);
      const body = await response.text();
      expect(body, name).toContain(NOT_ANSWERING);
      expect(body, `${name}: no internals`).not.toMatch(/\n\s+at |node_modules|Query read timeout|Error:/);
    }
    expect(await page.response.text()).toContain("Something went wrong (503)");

    proxy.thaw();
    const again = await timed(() => guest.get(chatPath));
    expect(again.response.status()).toBe(200);
    expect(again.ms).toBeLessThan(FEW_SECONDS_MS);
    // The post that got a 503 left nothing behind: still one guest, the one from before.
    expect(await countUsers(database.url)).toBe(1);
    const after = await (
      await visitor()
    ).post("/chats?index", {
      form: newChatForm("After the outage"),
      maxRedirects: 0,
    });
    expect(after.status()).toBe(302);
    expect(await countUsers(database.url)).toBe(2);
    // An outage is reported (as a warning), not logged as an unexpected failure per request.
    expect(instance.errorLog()).toContain("database no-answer");
    expect(instance.errorLog()).not.toMatch(/request failed|unhandled server error/);
  } finally {
    for (const context of contexts) await context.dispose();
    await instance.stop();
    await proxy.close();
    await database.drop();
  }
});

/** The instance of the composer test below: a port of its own (offset 90). */
const COMPOSER_PORT = extraInstancePort(90);

test("a message sent with JavaScript while Postgres is frozen comes back to the box, and sends once after", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const database = await createEmptyPostgresDatabase();
  const target = new URL(database.url);
  const proxy = await startFreezableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const instance = await startAppInstance(
    COMPOSER_PORT,
    { DATABASE_URL: proxy.through(database.url), REDIS_URL: "", CACHE_TTL_SECONDS: "1" },
    { echo: false },
  );
  try {
    await page.goto(`${instance.url}/chats`);
    await sendWithEnter(page, "Before the outage");
    await expectReplyComplete(page, 2);
    proxy.freeze();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // cached entries expire
    await sendWithEnter(page, "Typed during the outage");
    // The refusal shows beside the box, and what was typed is back in it, not an error page.
    await expect(page.getByRole("alert")).toContainText(NOT_ANSWERING, { timeout: 15_000 });
    await expect(composer(page)).toHaveValue("Typed during the outage");
    await expect(messages(page)).toHaveCount(2);

    proxy.thaw();
    await composer(page).press("Enter");
    await expectReplyComplete(page, 4, 20_000);
    await expect(messages(page).filter({ hasText: "Typed during the outage" })).toHaveCount(1);
    await page.reload();
    await expect(messages(page).filter({ hasText: "Typed during the outage" })).toHaveCount(1);
  } finally {
    await instance.stop();
    await proxy.close();
    await database.drop();
  }
});
