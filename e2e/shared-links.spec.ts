import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { cacheKeys } from "#db/cache/keys";
import { uuidv7 } from "#db/ids";
import { sharedLinkTokenHash } from "#app/services/shared-links/tokens.server";
import { test, expect, signInGuest, type Guest } from "./support/fixtures";
import { startAppInstance } from "./support/app-instance";
import { expectNoViolations } from "./support/axe";
import { e2eData } from "./support/database";
import { E2E_APP_URL, extraInstancePort } from "./support/environment";

/**
 * Shared links: a read-only copy of a chat that anyone with the link can read, without a
 * session, and that its owner (and only its owner) can revoke, with or without JavaScript.
 */

const UNSAFE_REPLY = 'A **bold** reply <img src="x" onerror="alert(1)"> and [a link](javascript:alert(1)).';

/** A chat of the guest's with two messages, the second a reply with Markdown and unsafe markup. */
async function seedSharedChat(guest: Guest, title: string): Promise<string> {
  const [chatId] = await guest.seedChats(1, () => title);
  const outcome = await e2eData().chats.appendMessages(guest.userId, chatId, [
    { id: uuidv7(), chatId, role: "assistant", content: UNSAFE_REPLY, status: "complete", clientId: null },
  ]);
  expect(outcome.kind).toBe("appended");
  return chatId;
}

/** Makes a link from the chat page's Share menu and returns it (with or without JavaScript). */
async function shareFromChatPage(page: Page, chatId: string): Promise<string> {
  await page.goto(`/chats/${chatId}`);
  await page.locator(".share-menu > summary").click();
  await page.getByRole("button", { name: "Create link" }).click();
  const url = page.getByRole("textbox", { name: /Your link/ }).first();
  await expect(url).toHaveValue(new RegExp(`^${E2E_APP_URL}/s/[A-Za-z0-9_-]{32}$`));
  return url.inputValue();
}

async function linkIdsOf(userId: string): Promise<string[]> {
  const rows = await e2eData()
    .database.db.selectFrom("shared_links")
    .select("id")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((row) => row.id);
}

/** Opens `url` in a new browser context that has never had a cookie. */
async function openAsStranger(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(url);
  return { context, page, response };
}

test("a link opens with no cookie: read-only, noindex, without later messages, safe", async ({
  browser,
  page,
  guest,
}) => {
  const chatId = await seedSharedChat(guest, "Shared with a friend");
  const link = await shareFromChatPage(page, chatId);
  await expect(page.getByRole("button", { name: "Copy" })).toBeVisible();
  await guest.seedMessages(chatId, 1, 3); // "Message 003", sent after the link was made

  const stranger = await openAsStranger(browser, link);
  try {
    const { page: reader, response, context } = stranger;
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers["x-robots-tag"]).toBe("noindex");
    expect(headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    expect(headers.etag).toMatch(/^".+"$/);
    expect(headers["set-cookie"]).toBeUndefined();
    expect(headers["content-security-policy"]).toContain("script-src 'none'");
    await expect(reader.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");

    await expect(reader.getByRole("heading", { level: 1 })).toHaveText("Shared with a friend");
    await expect(reader.getByText("Shared from Parley")).toBeVisible();
    await expect(reader.locator(".shared__meta time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
    await expect(reader.locator(".shared__bar").getByRole("link", { name: "Parley" })).toHaveAttribute(
      "href",
      "/",
    );
    const log = reader.getByRole("log", { name: "Messages" });
    await expect(log.getByRole("article")).toHaveCount(2);
    await expect(log.getByRole("article").first()).toContainText("Message in Shared with a friend");
    await expect(log.locator("strong")).toHaveText("bold");
    await expect(log).not.toContainText("Message 003");
    // Same sanitising as the chat page: the markup is text, the script link inert.
    await expect(log.locator("img")).toHaveCount(0);
    await expect(log.locator('a[href^="javascript:"]')).toHaveCount(0);
    await expect(log).toContainText('<img src="x" onerror="alert(1)">');
    // Read-only: no form, no script, no sidebar; and still no cookie.
    await expect(reader.locator("form")).toHaveCount(0);
    await expect(reader.locator("script")).toHaveCount(0);
    await expect(reader.getByRole("navigation", { name: "Chats" })).toHaveCount(0);
    expect(await context.cookies()).toEqual([]);
    await expectNoViolations(reader);

    // An unchanged page is answered 304 when the reader's copy is asked about.
    const again = await context.request.get(link, { headers: { "If-None-Match": headers.etag } });
    expect(again.status()).toBe(304);
  } finally {
    await stranger.context.close();
  }
});

test("another visitor can change nothing through the link or the owner's forms", async ({
  browser,
  page,
  guest,
}) => {
  const chatId = await seedSharedChat(guest, "Not yours");
  const link = await shareFromChatPage(page, chatId);
  const [linkId] = await linkIdsOf(guest.userId);
  const context = await browser.newContext();
  try {
    const attacker = await signInGuest(context);
    const [ownChatId] = await attacker.seedChats(1);
    const request = context.request;
    const post = (url: string, form: Record<string, string>) => request.post(url, { form, maxRedirects: 0 });

    const forms: Record<string, string>[] = [
      {},
      { intent: "revoke", link: linkId },
      { intent: "share" },
      { intent: "delete" },
    ];
    for (const form of forms) {
      expect([404, 405]).toContain((await post(link, form)).status());
    }
    expect((await post("/shared-links", { intent: "revoke", link: linkId })).status()).toBe(404);
    expect((await post("/shared-links", { intent: "revoke", link: linkId.toUpperCase() })).status()).toBe(
      404,
    );
    expect((await post("/shared-links", { intent: "revoke", link: "not-an-id" })).status()).toBe(400);
    expect((await post("/shared-links", { intent: "revoke", link: `${linkId}\u0000` })).status()).toBe(400);
    expect((await post(`/chats/${chatId}`, { intent: "share" })).status()).toBe(404);
    expect((await post(`/chats/${uuidv7()}`, { intent: "share" })).status()).toBe(404);
    // The attacker's own chat can be shared, and their list holds only that.
    expect((await post(`/chats/${ownChatId}`, { intent: "share" })).status()).toBe(200);
    expect(await linkIdsOf(attacker.userId)).toHaveLength(1);
    const attackerList = await context.newPage();
    await attackerList.goto("/shared-links");
    await expect(attackerList.locator(".shared-links__item")).toHaveCount(1);
    await expect(attackerList.getByText("Not yours")).toHaveCount(0);
  } finally {
    await context.close();
  }
  expect(await linkIdsOf(guest.userId)).toEqual([linkId]);
  expect((await page.request.get(link)).status()).toBe(200);
});

test("a revoked link is a 404 at once, even after it was read and cached", async ({
  browser,
  page,
  guest,
}) => {
  const chatId = await seedSharedChat(guest, "Soon revoked");
  const link = await shareFromChatPage(page, chatId);
  const stranger = await openAsStranger(browser, link);
  try {
    expect(stranger.response?.status()).toBe(200);
    const etag = stranger.response?.headers().etag ?? "";
    await stranger.page.reload();
    await expect(stranger.page.getByRole("heading", { level: 1 })).toHaveText("Soon revoked");
    // The page is in the hot store now: what follows is about a cached link.
    const key = cacheKeys.sharedLink(sharedLinkTokenHash(link.split("/s/")[1]));
    expect(await e2eData().store.get(key)).toContain("Soon revoked");

    await page.goto("/shared-links");
    const row = page.locator(".shared-links__item", { hasText: "Soon revoked" });
    await expect(row).toBeVisible();
    await expectNoViolations(page);
    await row.getByRole("button", { name: /^Revoke the link/ }).click();
    await expect(row).toHaveCount(0);
    await expect.poll(() => linkIdsOf(guest.userId)).toEqual([]);

    const gone = await stranger.page.reload();
    expect(gone?.status()).toBe(404);
    expect(gone?.headers()["cache-control"]).toBe("no-store");
    await expect(stranger.page.getByRole("heading", { level: 1 })).toHaveText("Shared chat not found");
    const revalidated = await stranger.context.request.get(link, { headers: { "If-None-Match": etag } });
    expect(revalidated.status()).toBe(404);
  } finally {
    await stranger.context.close();
  }

  // Malformed tokens are a 404 before any look-up, never a 500.
  const token = link.split("/s/")[1];
  for (const bad of [
    token.slice(1),
    `${token}A`,
    `${token.slice(1)}%00`,
    "%F0%9F%92%A9".repeat(8),
    "x".repeat(5000),
  ])
    expect((await page.request.get(`/s/${bad}`)).status()).toBe(404);
});

test("revoked on one instance, a link is a 404 on another that had it cached", async ({ page, guest }) => {
  const chatId = await seedSharedChat(guest, "Two instances");
  const link = new URL(await shareFromChatPage(page, chatId));
  const other = await startAppInstance(extraInstancePort(64));
  try {
    const elsewhere = `${other.url}${link.pathname}`;
    expect((await fetch(elsewhere)).status).toBe(200);
    expect((await fetch(elsewhere)).status).toBe(200);
    const [linkId] = await linkIdsOf(guest.userId);
    const revoked = await page.request.post("/shared-links", {
      form: { intent: "revoke", link: linkId },
      maxRedirects: 0,
    });
    expect(revoked.status()).toBe(302);
    expect((await fetch(elsewhere)).status).toBe(404);
  } finally {
    await other.stop();
  }
});

test("deleting the chat takes its links with it", async ({ page, guest }) => {
  const chatId = await seedSharedChat(guest, "Deleted with its links");
  const link = await shareFromChatPage(page, chatId);
  expect((await page.request.get(link)).status()).toBe(200);
  const deleted = await page.request.post(`/chats/${chatId}`, {
    form: { intent: "delete" },
    maxRedirects: 0,
  });
  expect(deleted.status()).toBe(302);
  expect((await page.request.get(link)).status()).toBe(404);
  expect(await linkIdsOf(guest.userId)).toEqual([]);
});

test("without JavaScript a link is made and revoked with plain forms", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const guest = await signInGuest(context);
    const chatId = await seedSharedChat(guest, "No script needed");
    const page = await context.newPage();
    const link = await shareFromChatPage(page, chatId);
    await expect(page.getByRole("button", { name: "Copy" })).toHaveCount(0);
    expect((await context.request.get(link)).status()).toBe(200);

    await page.getByRole("link", { name: "Your shared links" }).first().click();
    await expect(page).toHaveURL(/\/shared-links$/);
    await page.getByRole("button", { name: /^Revoke the link to No script needed/ }).click();
    await expect(page).toHaveURL(/\/shared-links\?done=revoked$/);
    await expect(page.getByRole("status")).toHaveText("The link is revoked.");
    await expect(page.locator(".shared-links__item")).toHaveCount(0);
    expect((await context.request.get(link)).status()).toBe(404);
  } finally {
    await context.close();
  }
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the shared page in ${colorScheme}`, async ({ browser, page, guest }, testInfo) => {
    const [chatId] = await guest.seedChats(1, () => "Keyset pagination, briefly");
    await e2eData().chats.appendMessages(guest.userId, chatId, [
      {
        id: uuidv7(),
        chatId,
        role: "assistant",
        content:
          "Keyset pagination pages by **the last row seen** instead of an offset:\n\n" +
          "```sql\nselect * from chats\nwhere (updated_at, id) < ($1, $2)\norder by updated_at desc, id desc\nlimit 30;\n```\n\n" +
          "- it stays fast on deep pages\n- rows added meanwhile are neither skipped nor repeated",
        status: "complete",
        clientId: null,
      },
    ]);
    const link = await shareFromChatPage(page, chatId);
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    try {
      const reader = await context.newPage();
      await reader.goto(link);
      await expect(reader.getByRole("heading", { level: 1 })).toHaveText("Keyset pagination, briefly");
      const body = await reader.screenshot({ animations: "disabled", caret: "hide" });
      const directory = path.join(testInfo.project.outputDir, "screenshots");
      await mkdir(directory, { recursive: true });
      await writeFile(path.join(directory, `shared-link-${colorScheme}.png`), body);
      if (colorScheme === "light") {
        await page.screenshot({ path: path.join(directory, "shared-link-menu.png") });
        await page.goto("/shared-links");
        await expect(page.locator(".shared-links__item")).toHaveCount(1);
        await page.screenshot({ path: path.join(directory, "shared-link-list.png") });
      }
    } finally {
      await context.close();
    }
  });
}
