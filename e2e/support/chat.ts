import { expect, type Locator, type Page } from "@playwright/test";

/** Markup helpers for the chat screens (see app/routes/chats.$chatId.tsx and the sidebar). */
export const CHAT_URL = /\/chats\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const composer = (page: Page) => page.getByRole("textbox", { name: "Message", exact: true });
export const sendButton = (page: Page) => page.getByRole("button", { name: "Send message" });
export const messageLog = (page: Page) => page.getByRole("log", { name: "Messages" });
export const messages = (page: Page) => messageLog(page).getByRole("article");
/** A message's own text, without the actions (Edit, Regenerate) under it. */
export const bubble = (message: Locator) => message.locator(".message__bubble");
export const sidebar = (page: Page) => page.getByRole("navigation", { name: "Chats" });
/** The sidebar's link to a chat (by id: titles change when the model names a chat). */
export const chatLink = (page: Page, chatId: string) =>
  sidebar(page).locator(`section.chat-group a.chat-item__link[href="/chats/${chatId}"]`);
/** The chats' titles as listed (projects, listed above the chats, are left out). */
export const chatTitles = (page: Page) => sidebar(page).locator("section.chat-group .chat-item__title");

export function chatIdOf(page: Page): string {
  const match = /\/chats\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`Not on a chat page: ${page.url()}`);
  return match[1];
}

export interface MessageRow {
  who: "You said" | "Parley said";
  status: string | null;
  text: string;
}

/** Every message in the log, in document order. */
export async function readMessages(page: Page): Promise<MessageRow[]> {
  return messages(page).evaluateAll((articles) =>
    articles.map((article) => ({
      who: article.getAttribute("aria-label") as MessageRow["who"],
      status: article.getAttribute("data-status"),
      text: (article.querySelector(".message__bubble")?.textContent ?? "").trim(),
    })),
  );
}

/**
 * Waits until the log holds exactly `count` messages and the last one is a complete reply.
 * One snapshot per poll: checking the count and then the last message separately could pass
 * on a log that briefly lacks the new messages (see the report on the send flicker).
 */
export async function expectReplyComplete(page: Page, count: number, timeout = 10_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const rows = await readMessages(page);
        const last = rows[rows.length - 1];
        return { count: rows.length, last: last ? `${last.who}: ${last.status}` : null };
      },
      { timeout, message: `the log holds ${count} messages, the last a complete reply` },
    )
    .toEqual({ count, last: "Parley said: complete" });
}

/** With JavaScript: types into the composer and presses Enter. */
export async function sendWithEnter(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/**
 * Without JavaScript the page does not follow the reply by itself unless the app refreshes it:
 * reload until the last message is a complete reply (the app's own refresh is tested apart).
 */
export async function reloadUntilReplyComplete(page: Page, count: number): Promise<void> {
  await expect(async () => {
    const last = messages(page).last();
    if ((await messages(page).count()) !== count || (await last.getAttribute("data-status")) !== "complete") {
      await page.reload();
    }
    await expect(messages(page)).toHaveCount(count, { timeout: 500 });
    await expect(last).toHaveAttribute("data-status", "complete", { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [250, 500, 1000] });
}

/** Renames the open chat with the sidebar's inline rename (JavaScript), whatever its title now. */
export async function renameOpenChat(page: Page, title: string): Promise<void> {
  const item = sidebar(page).locator("li.chat-item--active");
  await item.locator("summary").click();
  await item.getByRole("button", { name: "Rename" }).click();
  await item.locator(".chat-item__rename-input").fill(title);
  await item.locator(".chat-item__rename-input").press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

/** Opens a sidebar item's menu (a <details>, works with and without JavaScript). */
export async function openChatMenu(page: Page, title: string): Promise<Locator> {
  await sidebar(page).getByLabel(`Options for ${title}`, { exact: true }).click();
  return sidebar(page).locator("details[open] .menu-popover");
}
