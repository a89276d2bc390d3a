import type { Page } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import {
  CHAT_URL,
  chatIdOf,
  chatTitles,
  composer,
  expectReplyComplete,
  messageLog,
  messages,
  renameOpenChat,
  sendButton,
} from "./support/chat";
import { newMarker, scriptFakeModel } from "./support/fake-model";

const TOO_LONG = "Messages can be at most 16,000 characters.";
const EMPTY = "Write a message first.";
const OVERSIZED = "x".repeat(16_001);

/** How many of the person's messages in the log read exactly `text`. */
const personMessagesReading = (page: Page, text: string) =>
  messageLog(page)
    .locator('article[aria-label="You said"] .message__plain')
    .filter({ hasText: new RegExp(`^${text}$`) });

/** Counts the browser's POSTs, to tell a refusal in the browser from one by the server. */
function countPosts(page: Page): { readonly count: number } {
  const counter = { count: 0 };
  page.on("request", (request) => {
    if (request.method() === "POST") counter.count += 1;
  });
  return counter;
}

/** The composer's field error, found the way assistive technology finds it: through aria-describedby. */
async function expectFieldError(page: Page, message: string): Promise<void> {
  const field = composer(page);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  const describedBy = await field.getAttribute("aria-describedby");
  expect(describedBy, "the field points at its error").toBeTruthy();
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(message);
  await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
}

test.describe("double submission", () => {
  test("Enter pressed twice at once on the new-chat page makes one chat with one message", async ({
    page,
    guest,
  }) => {
    await page.goto("/chats");
    await composer(page).fill("Only once, please");
    // Two Enter key presses in the same task: nothing (no re-render, no cleared box) in between.
    await composer(page).evaluate((field) => {
      for (let press = 0; press < 2; press += 1) {
        field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
      }
    });
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);

    await page.reload();
    await expectReplyComplete(page, 2);
    await expect(personMessagesReading(page, "Only once, please")).toHaveCount(1);
    await expect(chatTitles(page)).toHaveCount(1);
    expect(await guest.chatIds()).toEqual([chatIdOf(page)]);
  });

  test("Send clicked twice at once in a chat stores the message once", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(1, () => "Double click chat");
    await page.goto(`/chats/${chatId}`);
    await expect(messages(page)).toHaveCount(1);
    await composer(page).fill("Clicked twice");
    await sendButton(page).evaluate((button: HTMLButtonElement) => {
      button.click();
      button.click();
    });
    await expectReplyComplete(page, 3);
    await expect(personMessagesReading(page, "Clicked twice")).toHaveCount(1);

    await page.reload();
    await expectReplyComplete(page, 3);
    await expect(personMessagesReading(page, "Clicked twice")).toHaveCount(1);
  });

  test("the same form posted twice with one client id stores one message", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(1, () => "Posted twice chat");
    const form = { intent: "send", content: "Posted twice", clientId: "double-post-client-id-0001" };
    const first = await page.request.post(`/chats/${chatId}`, { form, maxRedirects: 0 });
    const second = await page.request.post(`/chats/${chatId}`, { form, maxRedirects: 0 });
    // Both answered as a success (the plain form's redirect back to the chat), not "busy".
    for (const response of [first, second]) {
      expect(response.status()).toBe(302);
      expect(response.headers()["location"]).toBe(`/chats/${chatId}`);
    }

    await page.goto(`/chats/${chatId}`);
    await expectReplyComplete(page, 3);
    await expect(personMessagesReading(page, "Posted twice")).toHaveCount(1);
  });

  test("the new-chat form posted twice with one client id makes one chat", async ({ page, guest }) => {
    const form = {
      intent: "send",
      content: "First message posted twice",
      clientId: "double-post-new-chat-0001",
    };
    const first = await page.request.post("/chats?index", { form, maxRedirects: 0 });
    const second = await page.request.post("/chats?index", { form, maxRedirects: 0 });
    expect(first.status()).toBe(302);
    expect(second.status()).toBe(302);
    // A retried first message must land in the chat the first attempt created.
    expect(second.headers()["location"]).toBe(first.headers()["location"]);
    expect((await guest.chatIds()).map((id) => `/chats/${id}`)).toEqual([first.headers()["location"]]);

    await page.goto("/chats");
    await expect(chatTitles(page)).toHaveCount(1);
    await page.goto(first.headers()["location"]);
    await expectReplyComplete(page, 2);
    await expect(personMessagesReading(page, "First message posted twice")).toHaveCount(1);
  });
});

test.describe("field errors with JavaScript", () => {
  test("an oversized or empty message is refused in the browser, before any request", async ({ page }) => {
    await page.goto("/chats");
    const posts = countPosts(page);

    await composer(page).fill(OVERSIZED);
    await expect(page.getByText("16,001 / 16,000")).toBeVisible();
    await composer(page).press("Enter");
    await expectFieldError(page, TOO_LONG);

    await composer(page).fill("");
    await composer(page).press("Enter");
    await expectFieldError(page, EMPTY);
    await sendButton(page).click();
    await expectFieldError(page, EMPTY);

    await expect(page).toHaveURL(/\/chats$/);
    expect(posts.count).toBe(0);
    // Typing again clears the error.
    await composer(page).pressSequentially("ok");
    await expect(page.getByRole("alert")).toHaveCount(0);
  });
});

test.describe("field errors without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  for (const { name, content, error } of [
    { name: "an oversized", content: OVERSIZED, error: TOO_LONG },
    { name: "an empty", content: "", error: EMPTY },
  ]) {
    test(`${name} new-chat message gets the server's 400 page with the error at the field`, async ({
      page,
      guest,
    }) => {
      await page.goto("/chats");
      await composer(page).fill(content);
      const [response] = await Promise.all([
        page.waitForResponse((candidate) => candidate.request().method() === "POST"),
        sendButton(page).click(),
      ]);
      expect(response.status()).toBe(400);
      await expectFieldError(page, error);
      await expect(chatTitles(page)).toHaveCount(0);
      expect(await guest.chatIds(), "nothing is stored").toEqual([]);
    });
  }

  test("an oversized message in a chat gets the server's 400 page with the error at the field", async ({
    page,
    guest,
  }) => {
    const [chatId] = await guest.seedChats(1, () => "Chat for a long message");
    await page.goto(`/chats/${chatId}`);
    await composer(page).fill(OVERSIZED);
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.request().method() === "POST"),
      sendButton(page).click(),
    ]);
    expect(response.status()).toBe(400);
    await expectFieldError(page, TOO_LONG);
    await expect(messages(page)).toHaveCount(1);
    expect(chatIdOf(page)).toBe(chatId);
  });
});

test("markup and script URLs in messages and replies render as text", async ({ page }) => {
  const marker = newMarker("xss");
  const script = "<script>window.__xss=1</script>";
  const img = '<img src=x onerror="window.__xss=1">';
  const link = "[click](javascript:window.__xss=1)";
  // The reply echoes the payloads, split across chunks.
  await scriptFakeModel(marker, {
    type: "reply",
    chunks: [
      "Echo: <scr",
      "ipt>window.__xss=1</script>\n\n",
      `${img}\n\n`,
      "[click](javascript:",
      "window.__xss=1)",
    ],
  });

  await page.goto("/chats");
  await composer(page).fill(`${script}\n${img}\n${link}\n${marker}`);
  await composer(page).press("Enter");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  // A chat named with markup: shown in the heading, the sidebar and the document title.
  await renameOpenChat(page, img);

  for (const phase of ["live", "after a reload"]) {
    if (phase === "after a reload") {
      await page.reload();
      await expectReplyComplete(page, 2);
    }
    const [mine, reply] = [messages(page).first(), messages(page).last()];
    await expect(mine.locator(".message__plain")).toHaveText(`${script}\n${img}\n${link}\n${marker}`, {
      useInnerText: true,
    });
    await expect(reply).toContainText(`Echo: ${script}`);
    await expect(reply).toContainText(img);
    await expect(reply.locator(".markdown__link--blocked")).toHaveText("click");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(img);
    await expect(page.locator("nav .chat-item__title")).toHaveText(img);
    await expect(page).toHaveTitle(`${img} · Parley`);

    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), phase).toBeUndefined();
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator("img")).toHaveCount(0);
    await expect(page.locator('[href^="javascript:" i]')).toHaveCount(0);
    await expect(page.locator("[onerror]")).toHaveCount(0);
  }
});
