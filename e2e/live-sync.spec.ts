import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import {
  bubble,
  CHAT_URL,
  chatIdOf,
  chatLink,
  expectReplyComplete,
  messages,
  openChatMenu,
  sendWithEnter,
  sidebar,
} from "./support/chat";

/**
 * Two tabs of one browser: what happens in one shows in the other without a reload, through
 * the 2 s sync poll. Expect timeouts stay at 10 s (several polls).
 */
const SYNC = { timeout: 10_000 };

async function twoTabs(
  context: import("@playwright/test").BrowserContext,
  url: string,
): Promise<[Page, Page]> {
  const one = await context.newPage();
  const other = await context.newPage();
  await one.goto(url);
  await other.goto(url);
  // Both tabs must count as visible, or the other one would not poll.
  for (const tab of [one, other]) expect(await tab.evaluate(() => document.visibilityState)).toBe("visible");
  return [one, other];
}

test("a chat created in one tab appears in the other", async ({ context, guest }) => {
  await guest.seedChats(1, () => "An older chat");
  const [one, other] = await twoTabs(context, "/chats");

  await sendWithEnter(one, "Created in the first tab");
  await expect(one).toHaveURL(CHAT_URL);
  const chatId = chatIdOf(one);
  await expect(chatLink(other, chatId)).toBeVisible(SYNC);
  await expect(sidebar(other).getByRole("link", { name: "An older chat" })).toBeVisible();
  // Newest activity first.
  await expect(sidebar(other).locator("section.chat-group a.chat-item__link").first()).toHaveAttribute(
    "href",
    `/chats/${chatId}`,
  );
  await expectReplyComplete(one, 2);
});

test("a message sent in one tab appears in the other", async ({ context, guest }) => {
  const [chatId] = await guest.seedChats(1, () => "Chat to message");
  const [one, other] = await twoTabs(context, `/chats/${chatId}`);
  await expect(messages(other)).toHaveCount(1);

  await sendWithEnter(one, "Sent from the first tab");
  await expect(messages(other)).toHaveCount(3, SYNC);
  await expect(messages(other).nth(1)).toHaveAttribute("aria-label", "You said");
  await expect(bubble(messages(other).nth(1))).toHaveText("Sent from the first tab");
  await expect(messages(other).nth(2)).toHaveAttribute("data-status", "complete", SYNC);
  await expect(messages(other).nth(2)).toContainText("Hello from the fake model.");
  await expectReplyComplete(one, 3);
});

test("a chat renamed in one tab is renamed in the other", async ({ context, guest }) => {
  const [chatId] = await guest.seedChats(1, () => "Name before");
  const [one, other] = await twoTabs(context, `/chats/${chatId}`);

  const menu = await openChatMenu(one, "Name before");
  await menu.getByRole("button", { name: "Rename" }).click();
  const input = sidebar(one).getByRole("textbox", { name: "New name for Name before" });
  await input.fill("Name after");
  await input.press("Enter");
  await expect(chatLink(one, chatId)).toHaveText("Name after");

  await expect(chatLink(other, chatId)).toHaveText("Name after", SYNC);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Name after", SYNC);
  await expect(other).toHaveTitle("Name after · Parley");
});

test("a chat deleted in one tab disappears from the other", async ({ context, guest }) => {
  const [keptId, deletedId] = await guest.seedChats(2, (index) =>
    index === 0 ? "Chat that stays" : "Chat that goes",
  );
  const [one, other] = await twoTabs(context, "/chats");
  // The second tab has the doomed chat open.
  await other.goto(`/chats/${deletedId}`);

  const menu = await openChatMenu(one, "Chat that goes");
  await menu.getByRole("button", { name: "Delete" }).click();
  const dialog = one.getByRole("dialog", { name: "Delete chat?" });
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(chatLink(one, deletedId)).toHaveCount(0);

  await expect(chatLink(other, deletedId)).toHaveCount(0, SYNC);
  await expect(chatLink(other, keptId)).toBeVisible();
  // The open chat is gone: the page says so instead of showing stale messages.
  await expect(other.getByRole("heading", { name: "Chat not found" })).toBeVisible(SYNC);
});
