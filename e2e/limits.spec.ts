import { randomInt } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page, Response } from "@playwright/test";
import { sql } from "kysely";
import { createDb } from "#db/client";
import { recordedRequests } from "#e2e/fake-llm/control-client";
import { startAppInstance, type AppInstance } from "./support/app-instance";
import {
  CHAT_URL,
  composer,
  expectReplyComplete,
  messages,
  reloadUntilReplyComplete,
  sendButton,
  sendWithEnter,
} from "./support/chat";
import {
  E2E_ADMIN_DATABASE_URL,
  E2E_APP_PORT,
  E2E_FAKE_LLM_URL,
  extraInstancePort,
  redisUrlIndexed,
} from "./support/environment";
import { newMarker } from "./support/fake-model";
import { signInGuest, test, expect } from "./support/fixtures";
import { flushRedisDatabase, recreateDatabase, runSql } from "./support/fresh-stores";

/**
 * Quotas end to end: an instance with small limits refuses the write after the last allowed
 * one with a 429 and Retry-After, shows why next to the form (with and without JavaScript),
 * stores nothing and never calls the model.
 */

/**
 * The quotas are counted in the hot store: the limited instance gets a Redis database of its
 * own, or a spec that flushes the shared one (response-cache.spec.ts) would reset its counts
 * mid-test and let a write past its quota.
 */
const LIMITED_REDIS_URL = redisUrlIndexed(7);

let limited: AppInstance;
test.beforeAll(async () => {
  await flushRedisDatabase(LIMITED_REDIS_URL);
  limited = await startAppInstance(extraInstancePort(20), {
    MESSAGES_PER_HOUR: "3",
    CHATS_PER_HOUR: "2",
    REDIS_URL: LIMITED_REDIS_URL,
  });
});
test.afterAll(async () => {
  await limited?.stop();
});

/** How many chat-completion requests the fake model received that mention `text`. */
async function modelRequestsWith(text: string): Promise<number> {
  const requests = await recordedRequests(E2E_FAKE_LLM_URL);
  return requests.filter((request) => JSON.stringify(request.body).includes(text)).length;
}

const isPost = (response: Response) => response.request().method() === "POST";

/** Submits with a click and returns the answer to the form's POST. */
async function submitAndAnswer(page: Page, submit: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse(isPost), submit()]);
  return response;
}

async function expectRefusedForAnHour(response: Response): Promise<void> {
  expect(response.status()).toBe(429);
  const retryAfter = Number(await response.headerValue("retry-after"));
  expect(retryAfter).toBeGreaterThan(3500);
  expect(retryAfter).toBeLessThanOrEqual(3600);
}

const composerError = (page: Page) => page.locator(".composer").getByRole("alert");

for (const javaScriptEnabled of [true, false]) {
  const how = javaScriptEnabled ? "with JavaScript" : "without JavaScript";

  test(`the message after the hourly quota is refused with a 429 and never reaches the model (${how})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: limited.url, javaScriptEnabled });
    const guest = await signInGuest(context, limited.url);
    const [chatId] = await guest.seedChats(1, () => "Quota chat");
    const page = await context.newPage();
    await page.goto(`/chats/${chatId}`);
    const marker = newMarker(javaScriptEnabled ? "quota-js" : "quota-nojs");

    for (let i = 1; i <= 3; i += 1) {
      if (javaScriptEnabled) {
        await sendWithEnter(page, `${marker} message ${i}`);
        await expectReplyComplete(page, 1 + 2 * i);
      } else {
        await composer(page).fill(`${marker} message ${i}`);
        await sendButton(page).click();
        await reloadUntilReplyComplete(page, 1 + 2 * i);
      }
    }
    expect(await modelRequestsWith(`${marker} message 3`)).toBeGreaterThan(0);

    await composer(page).fill(`${marker} message 4`);
    const response = await submitAndAnswer(page, () =>
      javaScriptEnabled ? composer(page).press("Enter") : sendButton(page).click(),
    );
    await expectRefusedForAnHour(response);
    await expect(composerError(page)).toHaveText(
      "You have reached the limit of 3 messages an hour. You can send another in 1 hour.",
    );
    if (javaScriptEnabled) await expect(composer(page)).toHaveValue(`${marker} message 4`);

    await page.reload();
    await expect(messages(page)).toHaveCount(7);
    await expect(page.getByText(`${marker} message 4`)).toHaveCount(0);
    expect(await modelRequestsWith(`${marker} message 4`)).toBe(0);
    await context.close();
  });

  test(`a new chat beyond the hourly quota is refused with a 429, and none is created (${how})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: limited.url, javaScriptEnabled });
    const guest = await signInGuest(context, limited.url);
    const page = await context.newPage();
    const marker = newMarker(javaScriptEnabled ? "chats-js" : "chats-nojs");

    for (let i = 1; i <= 2; i += 1) {
      await page.goto("/chats");
      await composer(page).fill(`${marker} chat ${i}`);
      await sendButton(page).click();
      await expect(page).toHaveURL(CHAT_URL);
    }
    await page.goto("/chats");
    await composer(page).fill(`${marker} chat 3`);
    const response = await submitAndAnswer(page, () => sendButton(page).click());
    await expectRefusedForAnHour(response);
    await expect(composerError(page)).toHaveText(
      "You have reached the limit of 2 new chats an hour. You can start another in 1 hour, or go on in one of your chats.",
    );
    expect(await guest.chatIds()).toHaveLength(2);
    expect(await modelRequestsWith(`${marker} chat 3`)).toBe(0);
    await context.close();
  });
}

test.describe("new guests per address", () => {
  // An instance on a database of its own, so its users table counts only this test's guests.
  const databaseName = `parley_e2e_${E2E_APP_PORT}_guest_limit`;
  const databaseUrl = (() => {
    const url = new URL(E2E_ADMIN_DATABASE_URL);
    url.pathname = `/${databaseName}`;
    return url.toString();
  })();
  let guarded: AppInstance;
  test.beforeAll(async () => {
    await recreateDatabase(databaseName);
    guarded = await startAppInstance(extraInstancePort(21), {
      DATABASE_URL: databaseUrl,
      GUESTS_PER_IP_PER_HOUR: "2",
      TRUST_PROXY: "true",
    });
  });
  test.afterAll(async () => {
    await guarded?.stop();
    await runSql(E2E_ADMIN_DATABASE_URL, `drop database if exists ${databaseName} with (force)`);
  });

  async function countUsers(): Promise<number> {
    const handle = createDb({ databaseUrl, maxConnections: 1 });
    try {
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from users`.execute(
        handle.db,
      );
      return rows[0].count;
    } finally {
      await handle.close();
    }
  }

  /** A first visit from `address` (the proxy in front of Parley says so), sending a first message. */
  async function firstVisit(browser: Browser, address: string, javaScriptEnabled: boolean) {
    const context = await browser.newContext({
      baseURL: guarded.url,
      javaScriptEnabled,
      extraHTTPHeaders: { "X-Forwarded-For": `203.0.113.1, ${address}` },
    });
    const page = await context.newPage();
    await page.goto("/chats");
    await composer(page).fill("Hello from a new visitor");
    const response = await submitAndAnswer(page, () => sendButton(page).click());
    return { context, page, response };
  }

  test("over the limit, a first write is refused with a 429 and creates no user", async ({ browser }) => {
    // 198.18.0.0/15 is for benchmarks: no real client, and a fresh one per run.
    const address = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
    for (const javaScriptEnabled of [true, false]) {
      const visit = await firstVisit(browser, address, javaScriptEnabled);
      await expect(visit.page).toHaveURL(CHAT_URL);
      await visit.context.close();
    }
    expect(await countUsers()).toBe(2);

    for (const javaScriptEnabled of [true, false]) {
      const refused = await firstVisit(browser, address, javaScriptEnabled);
      await expectRefusedForAnHour(refused.response);
      await expect(composerError(refused.page)).toHaveText(
        "Too many new visitors from your network in the last hour. Try again in 1 hour.",
      );
      await refused.context.close();
    }
    expect(await countUsers()).toBe(2);

    const elsewhere = await firstVisit(browser, `198.19.${randomInt(256)}.${randomInt(1, 255)}`, true);
    await expect(elsewhere.page).toHaveURL(CHAT_URL);
    await elsewhere.context.close();
    expect(await countUsers()).toBe(3);
  });
});

test("on the embedded default, the message quota holds too", async ({ browser }) => {
  // A fresh embedded database runs every migration at start: on a busy machine that took more
  // than 30 s once.
  test.setTimeout(100_000);
  const embedded = await startAppInstance(
    extraInstancePort(22),
    {
      DATABASE_URL: "",
      REDIS_URL: "",
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "parley-e2e-limits-")),
      LLM_BASE_URL: "",
      LLM_OFFLINE_DELAY_MS: "1",
      MESSAGES_PER_HOUR: "1",
    },
    { readyWithinMs: 60_000 },
  );
  try {
    const context = await browser.newContext({ baseURL: embedded.url });
    const page = await context.newPage();
    await page.goto("/chats");
    await sendWithEnter(page, "The only message this hour");
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    await composer(page).fill("One too many");
    const response = await submitAndAnswer(page, () => composer(page).press("Enter"));
    await expectRefusedForAnHour(response);
    await expect(composerError(page)).toHaveText(
      "You have reached the limit of 1 message an hour. You can send another in 1 hour.",
    );
    await page.reload();
    await expect(messages(page)).toHaveCount(2);
    await context.close();
  } finally {
    await embedded.stop();
  }
});
