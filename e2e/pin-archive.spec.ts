import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page, TestInfo } from "@playwright/test";
import { expectNoViolations } from "./support/axe";
import { test, expect, signInGuest } from "./support/fixtures";
import { chatLink, chatTitles, openChatMenu, sidebar } from "./support/chat";
import { e2eData } from "./support/database";
import { E2E_EMBEDDED_URL } from "./support/environment";

/**
 * Pinned chats head the sidebar; archived ones leave it for the archive view (/archive), where
 * they are restored or deleted. With JavaScript every move shows at once and reaches the other
 * tab through the sync check; without it, every move is a plain form. Archive all and Delete
 * all ask first, on a page, and Cancel changes nothing.
 */
const SYNC = { timeout: 10_000 };

const pinnedGroup = (page: Page) => sidebar(page).getByRole("region", { name: "Pinned" });
const dayGroups = (page: Page) => sidebar(page).locator("section.chat-group:not(.chat-group--pinned)");
const archiveList = (page: Page) => page.getByRole("list", { name: "Archived chats" });
const banner = (page: Page) => page.locator(".archived-banner");

async function twoTabs(context: BrowserContext, url: string, otherUrl = url): Promise<[Page, Page]> {
  const one = await context.newPage();
  const other = await context.newPage();
  await one.goto(url);
  await other.goto(otherUrl);
  return [one, other];
}

/** The truth in Postgres: where each of the guest's chats is. */
async function placesOf(chatIds: string[]) {
  const rows = await e2eData()
    .database.db.selectFrom("chats")
    .select(["id", "pinned_at", "archived_at"])
    .where("id", "in", chatIds)
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.id, row.archived_at ? "archived" : row.pinned_at ? "pinned" : "listed"]),
  );
}

test.describe("with JavaScript", () => {
  test("pin and unpin move the chat at once, and the other tab follows", async ({ context, guest }) => {
    const [oldest, middle] = await guest.seedChats(3, (index) => `Chat ${index + 1}`);
    const [one, other] = await twoTabs(context, "/chats");

    await (await openChatMenu(one, "Chat 1")).getByRole("button", { name: "Pin" }).click();
    await expect(pinnedGroup(one).getByRole("link", { name: "Chat 1" })).toBeVisible();
    await expect(dayGroups(one).getByRole("link", { name: "Chat 1" })).toHaveCount(0);
    await (await openChatMenu(one, "Chat 2")).getByRole("button", { name: "Pin" }).click();
    // Most recently pinned first, above the day groups.
    await expect(pinnedGroup(one).locator(".chat-item__title")).toHaveText(["Chat 2", "Chat 1"]);
    await expect(chatTitles(one)).toHaveText(["Chat 2", "Chat 1", "Chat 3"]);
    await expect.poll(() => placesOf([oldest, middle])).toEqual({ [oldest]: "pinned", [middle]: "pinned" });

    await expect(pinnedGroup(other).locator(".chat-item__title")).toHaveText(["Chat 2", "Chat 1"], SYNC);
    await expect(dayGroups(other).locator(".chat-item__title")).toHaveText(["Chat 3"]);

    await (await openChatMenu(other, "Chat 2")).getByRole("button", { name: "Unpin" }).click();
    await expect(chatTitles(other)).toHaveText(["Chat 1", "Chat 3", "Chat 2"]);
    await expect(chatTitles(one)).toHaveText(["Chat 1", "Chat 3", "Chat 2"], SYNC);
  });

  test("archive and restore: the chat leaves the sidebar, opens with a banner, and comes back", async ({
    context,
    guest,
  }) => {
    const [keptId, archivedId] = await guest.seedChats(2, (index) => (index === 0 ? "Kept" : "To archive"));
    const [one, other] = await twoTabs(context, `/chats/${archivedId}`, "/chats");
    await expect(banner(one)).toHaveCount(0);

    await (await openChatMenu(one, "To archive")).getByRole("button", { name: "Archive" }).click();
    await expect(chatLink(one, archivedId)).toHaveCount(0);
    // The open chat stays open, marked archived.
    await expect(banner(one)).toContainText("Archived");
    await expect(one.getByRole("heading", { level: 1 })).toHaveText("To archive");
    await expect(chatLink(other, archivedId)).toHaveCount(0, SYNC);
    await expect(chatLink(other, keptId)).toBeVisible();
    expect(await placesOf([archivedId])).toEqual({ [archivedId]: "archived" });

    // Reloaded, it still opens by its URL.
    await one.reload();
    await expect(banner(one)).toContainText("Archived");

    await other.getByRole("link", { name: "Archived chats" }).click();
    await expect(other).toHaveURL(/\/archive$/);
    await expect(archiveList(other).getByRole("link", { name: "To archive" })).toBeVisible();
    await archiveList(other).getByRole("button", { name: "Restore To archive" }).click();
    await expect(archiveList(other)).toHaveCount(0);
    await expect(other.getByText("Nothing is archived.")).toBeVisible();
    await expect(chatLink(other, archivedId)).toBeVisible();

    // The first tab learns of the restore through the sync check: banner gone, chat listed.
    await expect(banner(one)).toHaveCount(0, SYNC);
    await expect(chatLink(one, archivedId)).toBeVisible(SYNC);

    // Archive again, then Restore from the banner.
    await (await openChatMenu(one, "To archive")).getByRole("button", { name: "Archive" }).click();
    await expect(banner(one)).toBeVisible();
    await banner(one).getByRole("button", { name: "Restore" }).click();
    await expect(banner(one)).toHaveCount(0);
    await expect(chatLink(one, archivedId)).toBeVisible();
    await expect.poll(() => placesOf([archivedId])).toEqual({ [archivedId]: "listed" });
  });

  test("a message sent to an archived chat is answered and the chat stays archived", async ({
    page,
    guest,
  }) => {
    const [chatId] = await guest.seedChats(1, () => "Quiet chat");
    await page.goto(`/chats/${chatId}`);
    await (await openChatMenu(page, "Quiet chat")).getByRole("button", { name: "Archive" }).click();
    await expect(banner(page)).toBeVisible();
    await page.getByRole("textbox", { name: "Message", exact: true }).fill("Still here?");
    await page.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await expect(page.getByRole("log", { name: "Messages" }).getByRole("article")).toHaveCount(3);
    await expect(page.getByRole("log", { name: "Messages" }).getByRole("article").last()).toHaveAttribute(
      "data-status",
      "complete",
      SYNC,
    );
    await expect(banner(page)).toBeVisible();
    await expect(chatLink(page, chatId)).toHaveCount(0);
    expect(await placesOf([chatId])).toEqual({ [chatId]: "archived" });
  });

  test("deleting from the archive asks in a dialog; Cancel keeps the chat", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(1, () => "Archived then deleted");
    await e2eData().placement.archive(guest.userId, chatId, true);
    await page.goto("/archive");
    await archiveList(page).getByRole("button", { name: "Delete Archived then deleted" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete chat?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(archiveList(page).getByRole("link", { name: "Archived then deleted" })).toBeVisible();
    await archiveList(page).getByRole("button", { name: "Delete Archived then deleted" }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("Nothing is archived.")).toBeVisible();
    expect(await guest.chatIds()).toEqual([]);
    await expect.poll(() => placesOf([chatId])).toEqual({});
  });

  test("Load more pages past the pinned chats, showing each chat once", async ({ page, guest }) => {
    const count = 45;
    const ids = await guest.seedChats(count, (index) => `Paged ${String(index + 1).padStart(2, "0")}`);
    // One from the first page, one from the second.
    await e2eData().placement.pin(guest.userId, ids[40], true);
    await e2eData().placement.pin(guest.userId, ids[3], true);
    await page.goto("/chats");
    await expect(pinnedGroup(page).locator(".chat-item__title")).toHaveText(["Paged 04", "Paged 41"]);
    const loadMore = sidebar(page).getByRole("link", { name: "Load more" });
    while ((await loadMore.count()) > 0) {
      const before = await chatTitles(page).count();
      await loadMore.click();
      await expect.poll(() => chatTitles(page).count()).toBeGreaterThan(before);
    }
    const shown = await chatTitles(page).allTextContents();
    expect(shown).toHaveLength(count);
    expect(new Set(shown).size).toBe(count);
  });
});

test.describe("on the embedded default", () => {
  test.use({ baseURL: E2E_EMBEDDED_URL });

  test("pin, archive and restore work on PGlite and the in-process store", async ({ page }) => {
    await page.goto("/chats");
    await page.getByRole("textbox", { name: "Message", exact: true }).fill("Embedded pinning");
    await page.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
    await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
    const chatId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await expect(chatLink(page, chatId)).toBeVisible();
    const title = (await chatLink(page, chatId).textContent()) ?? "";

    await (await openChatMenu(page, title)).getByRole("button", { name: "Pin" }).click();
    await expect(pinnedGroup(page).locator(`a[href="/chats/${chatId}"]`)).toBeFocused();
    await page.reload();
    await expect(pinnedGroup(page).locator(`a[href="/chats/${chatId}"]`)).toBeVisible();

    await (await openChatMenu(page, title)).getByRole("button", { name: "Archive" }).click();
    await expect(banner(page)).toBeVisible();
    await page.reload();
    await expect(banner(page)).toBeVisible();
    await expect(chatLink(page, chatId)).toHaveCount(0);
    await page.getByRole("link", { name: "Archived chats" }).click();
    await archiveList(page)
      .getByRole("button", { name: `Restore ${title}` })
      .click();
    await expect(page.getByText("Nothing is archived.")).toBeVisible();
    await expect(chatLink(page, chatId)).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("pin, unpin, archive, restore and delete are plain forms", async ({ page, guest }) => {
    const [firstId, secondId] = await guest.seedChats(2, (index) => `Plain ${index + 1}`);
    await page.goto("/chats");

    await (await openChatMenu(page, "Plain 1")).getByRole("button", { name: "Pin" }).click();
    await expect(page).toHaveURL(/\/chats$/);
    await expect(pinnedGroup(page).getByRole("link", { name: "Plain 1" })).toBeVisible();
    await (await openChatMenu(page, "Plain 1")).getByRole("button", { name: "Unpin" }).click();
    await expect(pinnedGroup(page)).toHaveCount(0);
    await expect(chatTitles(page)).toHaveText(["Plain 2", "Plain 1"]);

    await page.goto(`/chats/${secondId}`);
    await (await openChatMenu(page, "Plain 2")).getByRole("button", { name: "Archive" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${secondId}$`));
    await expect(banner(page)).toContainText("Archived");
    await expect(chatLink(page, secondId)).toHaveCount(0);
    await banner(page).getByRole("button", { name: "Restore" }).click();
    await expect(banner(page)).toHaveCount(0);
    await expect(chatLink(page, secondId)).toBeVisible();

    await (await openChatMenu(page, "Plain 1")).getByRole("button", { name: "Archive" }).click();
    await page.getByRole("link", { name: "Archived chats" }).click();
    await expect(archiveList(page).getByRole("link", { name: "Plain 1", exact: true })).toBeVisible();
    await archiveList(page).getByRole("link", { name: "Delete Plain 1" }).click();
    await expect(page.getByRole("heading", { name: "Delete chat?" })).toBeVisible();
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/archive$/);
    await archiveList(page).getByRole("link", { name: "Delete Plain 1" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/archive$/);
    await expect(page.getByText("Nothing is archived.")).toBeVisible();
    expect(await placesOf([firstId, secondId])).toEqual({ [secondId]: "listed" });
  });

  test("Archive all and Delete all ask on a page; Cancel changes nothing; other visitors keep their chats", async ({
    page,
    guest,
    browser,
  }) => {
    const ids = await guest.seedChats(3, (index) => `Bulk ${index + 1}`);
    await e2eData().placement.pin(guest.userId, ids[0], true);
    await e2eData().placement.archive(guest.userId, ids[1], true);
    const otherContext = await browser.newContext();
    const other = await signInGuest(otherContext);
    const [othersId] = await other.seedChats(1, () => "Someone else's");
    await otherContext.close();

    await page.goto("/archive");
    await page.getByRole("link", { name: "Archive all chats…" }).click();
    await expect(page.getByRole("heading", { name: "Archive all chats?" })).toBeVisible();
    await expect(page.getByText("The 2 chats in your sidebar, pinned ones too")).toBeVisible();
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/archive$/);
    expect(await placesOf(ids)).toEqual({ [ids[0]]: "pinned", [ids[1]]: "archived", [ids[2]]: "listed" });

    await page.getByRole("link", { name: "Archive all chats…" }).click();
    await page.getByRole("button", { name: "Archive all chats" }).click();
    await expect(page.getByRole("status")).toHaveText("Archived 2 chats.");
    await expect(archiveList(page).getByRole("listitem")).toHaveCount(3);
    await expect(sidebar(page).getByText("No chats yet.")).toBeVisible();

    await page.getByRole("link", { name: "Delete all chats…" }).click();
    await expect(page.getByRole("heading", { name: "Delete all chats?" })).toBeVisible();
    await page.getByRole("link", { name: "Cancel" }).click();
    expect(Object.keys(await placesOf(ids))).toHaveLength(3);

    await page.getByRole("link", { name: "Delete all chats…" }).click();
    await page.getByRole("button", { name: "Delete all chats" }).click();
    await expect(page.getByRole("status")).toHaveText("Deleted 3 chats.");
    await expect(page.getByText("Nothing is archived.")).toBeVisible();
    expect(await placesOf(ids)).toEqual({});
    expect(await placesOf([othersId])).toEqual({ [othersId]: "listed" });
  });
});

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ animations: "disabled", caret: "hide" });
  await testInfo.attach(name, { body, contentType: "image/png" });
  const directory = path.join(testInfo.project.outputDir, "screenshots");
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, `${name}.png`), body);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the Pinned group, an archived chat and the archive view in ${colorScheme}: screenshots, no WCAG A/AA violations`, async ({
    browser,
  }, testInfo) => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    try {
      const guest = await signInGuest(context);
      const titles = [
        "Trip planning: Lisbon in May",
        "Weekly groceries list",
        "Postgres or SQLite for a side project",
        "Recipe ideas for a rainy Sunday",
        "Birthday gift ideas for Sam",
        "Draft of the quarterly report summary",
        "Reminder email about tomorrow's meeting",
        "What to pack for a three-day hike",
      ];
      const ids = await guest.seedChats(titles.length, (index) => titles[index]);
      const { placement } = e2eData();
      await placement.pin(guest.userId, ids[0], true);
      await placement.pin(guest.userId, ids[2], true);
      for (const index of [1, 3, 5]) await placement.archive(guest.userId, ids[index], true);
      const page = await context.newPage();
      await page.goto(`/chats/${ids[2]}`);
      await expect(pinnedGroup(page).locator(".chat-item__title")).toHaveText([titles[2], titles[0]]);
      await shoot(page, testInfo, `${colorScheme}-sidebar-pinned`);
      await expectNoViolations(page);

      await page.goto(`/chats/${ids[3]}`);
      await expect(banner(page)).toBeVisible();
      await shoot(page, testInfo, `${colorScheme}-archived-chat`);
      await expectNoViolations(page);

      await page.getByRole("link", { name: "Archived chats" }).click();
      await expect(archiveList(page).getByRole("listitem")).toHaveCount(3);
      await shoot(page, testInfo, `${colorScheme}-archive`);
      await expectNoViolations(page);

      await page.getByRole("link", { name: "Delete all chats…" }).click();
      await expect(page.getByRole("heading", { name: "Delete all chats?" })).toBeVisible();
      await shoot(page, testInfo, `${colorScheme}-delete-all`);
      await expectNoViolations(page);
    } finally {
      await context.close();
    }
  });
}
