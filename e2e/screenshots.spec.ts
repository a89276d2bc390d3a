import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContextOptions, Page, TestInfo } from "@playwright/test";
import { test, expect, signInGuest } from "./support/fixtures";
import {
  CHAT_URL,
  composer,
  expectReplyComplete,
  messages,
  renameOpenChat,
  sendWithEnter,
  sidebar,
} from "./support/chat";
import { newMarker, scriptFakeModel } from "./support/fake-model";

/**
 * Screenshots of the main screens for a person to look at: attached to the report and written
 * to test-results/screenshots/*.png. They assert only that the screens are in the state shown.
 */
const SEEDED_TITLES = [
  "Postgres or SQLite for a side project",
  "Recipe ideas for a rainy Sunday",
  "A very long chat title that should be cut off neatly rather than wrap under the options button",
  "Reminder email about tomorrow's meeting",
  "What to pack for a three-day hike",
];

const MARKDOWN_REPLY = [
  "Keyset pagination walks a list by *where the last page ended*, not by counting rows:\n\n",
  "1. Sort by a unique key, such as `(updated_at, id)`.\n",
  "2. Remember the last row of the page as the **cursor**.\n",
  "3. Ask for the rows *after* the cursor.\n\n",
  "```sql\nSELECT id, title, updated_at\n  FROM chats\n WHERE (updated_at, id) < ($1, $2)\n ORDER BY updated_at DESC, id DESC\n LIMIT 30;\n```\n\n",
  "- Fast at any depth\n- Stable while rows are added\n- No page numbers, though",
];

let storageState: BrowserContextOptions["storageState"];
let chatPath = "";

/** One guest with several chats, the newest a Markdown-rich conversation from the (scripted) model. */
test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const guest = await signInGuest(context);
    await guest.seedChats(SEEDED_TITLES.length, (index) => SEEDED_TITLES[index]);
    const page = await context.newPage();
    const first = newMarker("shot");
    const second = newMarker("shot");
    await scriptFakeModel(first, { type: "reply", chunks: MARKDOWN_REPLY, delayMs: 10 });
    await scriptFakeModel(second, {
      type: "reply",
      chunks: [
        "The sidebar's **Load more** link carries the cursor: `/chats?cursor=…`. ",
        "Without JavaScript it is a plain link; with it, the next page is appended in place.",
      ],
    });
    await page.goto("/chats");
    await sendWithEnter(page, `How does keyset pagination work? ${first}`);
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    await sendWithEnter(page, `And how does Parley use it? ${second}`);
    await expectReplyComplete(page, 4);
    await renameOpenChat(page, "Keyset pagination basics");
    chatPath = new URL(page.url()).pathname;
    storageState = await context.storageState();
  } finally {
    await context.close();
  }
});

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const body = await page.screenshot({ animations: "disabled", caret: "hide" });
  await testInfo.attach(name, { body, contentType: "image/png" });
  const directory = path.join(testInfo.project.outputDir, "screenshots");
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, `${name}.png`), body);
}

async function open(browser: Browser, options: BrowserContextOptions, signedIn: boolean) {
  const context = await browser.newContext({ ...options, storageState: signedIn ? storageState : undefined });
  return { context, page: await context.newPage() };
}

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const VARIANTS = [
  { name: "light", options: { colorScheme: "light", viewport: DESKTOP } },
  { name: "dark", options: { colorScheme: "dark", viewport: DESKTOP } },
  { name: "phone-light", options: { colorScheme: "light", viewport: PHONE } },
  { name: "phone-dark", options: { colorScheme: "dark", viewport: PHONE } },
] as const satisfies { name: string; options: BrowserContextOptions }[];

for (const variant of VARIANTS) {
  test(`screens in ${variant.name}`, async ({ browser }, testInfo) => {
    const phone = variant.name.startsWith("phone");

    // The empty new-chat screen of a first visit.
    const visitor = await open(browser, variant.options, false);
    try {
      await visitor.page.goto("/chats");
      expect(await visitor.page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(
        variant.options.colorScheme === "dark",
      );
      await expect(visitor.page.getByRole("heading", { name: "What can I help with?" })).toBeVisible();
      await expect(composer(visitor.page)).toBeFocused();
      await shoot(visitor.page, testInfo, `${variant.name}-new-chat-empty`);
    } finally {
      await visitor.context.close();
    }

    // The Markdown chat, with the sidebar listing several chats.
    const guest = await open(browser, variant.options, true);
    try {
      const { page } = guest;
      await page.goto(chatPath);
      await expect(messages(page)).toHaveCount(4);
      await expect(page.locator("figure.code-block")).toBeVisible();
      // On a phone the closed drawer is hidden from everyone, assistive technology included.
      const chatItems = page.locator("nav.sidebar section.chat-group .chat-item");
      await expect(chatItems).toHaveCount(SEEDED_TITLES.length + 1);
      if (phone) await expect(sidebar(page)).toBeHidden();
      else
        await expect(sidebar(page).locator("section.chat-group .chat-item")).toHaveCount(
          SEEDED_TITLES.length + 1,
        );
      await shoot(page, testInfo, `${variant.name}-chat`);

      if (phone) {
        await page.locator('label[for="drawer-toggle"]').first().click();
        await expect(page.getByRole("checkbox", { name: "Show chats" })).toBeChecked();
        await expect(sidebar(page).getByRole("link", { name: "Keyset pagination basics" })).toBeInViewport();
        await shoot(page, testInfo, `${variant.name}-drawer`);
      }

      // Search results, and the keyboard shortcuts' help over them.
      await page.goto("/search?q=keyset");
      await expect(page.locator("ol.search-results > li").first()).toBeVisible();
      await shoot(page, testInfo, `${variant.name}-search`);
      if (!phone) {
        await page.locator("body").press("?");
        await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
        await shoot(page, testInfo, `${variant.name}-shortcuts`);
      }
    } finally {
      await guest.context.close();
    }
  });
}
