import type { Page } from "@playwright/test";
import {
  bubble,
  CHAT_URL,
  chatLink,
  composer,
  expectReplyComplete,
  messageLog,
  messages,
} from "./support/chat";
import { newMarker, scriptFakeModel } from "./support/fake-model";
import { expect, test, type Guest } from "./support/fixtures";

/**
 * Reading and writing in a chat: a long chat opens at its newest message and "Show earlier
 * messages" pages back by cursor (in place with JavaScript, plain links without); Shift+Enter
 * makes a new line; code blocks copy; the open chat is marked in the sidebar.
 */

const PAGE_SIZE = 20; // MESSAGE_PAGE_SIZE's default
const TOTAL = 48; // one seeded opening message, then 47 more: three pages

const messageTexts = (page: Page) => bubble(messages(page)).allInnerTexts();
const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => `Message ${String(from + index).padStart(3, "0")}`);

async function seedLongChat(guest: Guest) {
  // The seeded chat's first message is "Message in …": the numbered ones follow it.
  const [chatId] = await guest.seedChats(1, () => "A long chat");
  await guest.seedMessages(chatId, TOTAL - 1, 2);
  return chatId;
}

test.describe("with JavaScript", () => {
  test("a long chat opens at its newest message, and Show earlier prepends each older page once, in place", async ({
    page,
    guest,
  }) => {
    const chatId = await seedLongChat(guest);
    await page.goto(`/chats/${chatId}`);
    await expect(messageLog(page).getByText(numbered(TOTAL, TOTAL)[0])).toBeInViewport();
    expect(await messageTexts(page)).toEqual(numbered(TOTAL - PAGE_SIZE + 1, TOTAL));

    const showEarlier = page.getByRole("link", { name: "Show earlier messages" });
    await showEarlier.click();
    await expect(messages(page)).toHaveCount(2 * PAGE_SIZE);
    expect(page.url()).not.toContain("before=");
    await showEarlier.click();
    await expect(messages(page)).toHaveCount(TOTAL);
    await expect(showEarlier, "the start of the chat has been reached").toHaveCount(0);
    expect(await messageTexts(page)).toEqual(["Message in A long chat", ...numbered(2, TOTAL)]);
  });

  test("messages loaded with Show earlier stay, with no gap, while new messages arrive", async ({
    page,
    guest,
  }) => {
    const chatId = await seedLongChat(guest);
    await page.goto(`/chats/${chatId}`);
    await page.getByRole("link", { name: "Show earlier messages" }).click();
    await expect(messages(page)).toHaveCount(2 * PAGE_SIZE);

    // Two new messages (one sent here, its reply) push two out of the newest page.
    await composer(page).fill("One more");
    await composer(page).press("Enter");
    await expectReplyComplete(page, 2 * PAGE_SIZE + 2);
    const texts = await messageTexts(page);
    expect(texts.slice(0, -2)).toEqual(numbered(TOTAL - 2 * PAGE_SIZE + 1, TOTAL));
    expect(texts.at(-2)).toBe("One more");
  });

  test("Shift+Enter starts a new line and Enter sends the lines as one message", async ({ page }) => {
    await page.goto("/chats");
    await composer(page).fill("First line");
    await composer(page).press("Shift+Enter");
    await composer(page).pressSequentially("second line");
    await expect(composer(page)).toHaveValue("First line\nsecond line");
    await composer(page).press("Enter");
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    await expect(bubble(messages(page).first())).toHaveText("First line\nsecond line", {
      useInnerText: true,
    });
  });

  test("a code block's Copy button puts exactly the code on the clipboard", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const marker = newMarker("copy");
    await scriptFakeModel(marker, {
      type: "reply",
      chunks: ["Here:\n\n```js\nconst answer = 42;\nconsole.log(answer);\n```\n"],
    });
    await page.goto("/chats");
    await composer(page).fill(`Show me code ${marker}`);
    await composer(page).press("Enter");
    await expectReplyComplete(page, 2);

    const copy = messages(page).last().getByRole("button", { name: "Copy code" });
    await copy.click();
    await expect(copy).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      "const answer = 42;\nconsole.log(answer);",
    );
  });

  test("the open chat is marked as the current page in the sidebar", async ({ page, guest }) => {
    const [first, second] = await guest.seedChats(2);
    await page.goto(`/chats/${first}`);
    await expect(chatLink(page, first)).toHaveAttribute("aria-current", "page");
    await expect(chatLink(page, second)).not.toHaveAttribute("aria-current", /.*/);
    await chatLink(page, second).click();
    await expect(chatLink(page, second)).toHaveAttribute("aria-current", "page");
    await expect(chatLink(page, first)).not.toHaveAttribute("aria-current", /.*/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("Show earlier is a link to the previous page, and a way back to the newest", async ({
    page,
    guest,
  }) => {
    const chatId = await seedLongChat(guest);
    await page.goto(`/chats/${chatId}`);
    expect(await messageTexts(page)).toEqual(numbered(TOTAL - PAGE_SIZE + 1, TOTAL));

    await page.getByRole("link", { name: "Show earlier messages" }).click();
    await expect(page).toHaveURL(/[?&]before=/);
    expect(await messageTexts(page)).toEqual(numbered(TOTAL - 2 * PAGE_SIZE + 1, TOTAL - PAGE_SIZE));

    await page.getByRole("link", { name: "Show earlier messages" }).click();
    expect(await messageTexts(page)).toEqual([
      "Message in A long chat",
      ...numbered(2, TOTAL - 2 * PAGE_SIZE),
    ]);
    await expect(page.getByRole("link", { name: "Show earlier messages" })).toHaveCount(0);

    await page.getByRole("link", { name: "Jump to the newest messages" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${chatId}$`));
    expect(await messageTexts(page)).toEqual(numbered(TOTAL - PAGE_SIZE + 1, TOTAL));
  });
});
