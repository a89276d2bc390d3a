import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Locator, Page, TestInfo } from "@playwright/test";
import { recordedRequests } from "./fake-llm/control-client";
import { expectNoViolations } from "./support/axe";
import {
  bubble,
  chatIdOf,
  expectReplyComplete,
  messages,
  reloadUntilReplyComplete,
  sendWithEnter,
  CHAT_URL,
} from "./support/chat";
import { E2E_EMBEDDED_URL, E2E_FAKE_LLM_URL } from "./support/environment";
import { newMarker, scriptFakeModel } from "./support/fake-model";
import { expect, signInGuest, test, type Guest } from "./support/fixtures";

/**
 * Editing an earlier message, or regenerating a reply, adds a version beside the old one:
 * "‹ 2 / 2 ›" moves between them, the model is sent only the branch shown, and the choice is
 * kept on the server (a reload, another tab), with and without JavaScript.
 */
const SYNC = { timeout: 10_000 };

const questions = (page: Page) => messages(page).and(page.getByRole("article", { name: "You said" }));
const versionsOf = (message: Locator) => message.locator(".versions");
const texts = (page: Page) => messages(page).locator(".message__bubble").allInnerTexts();

/** A chat of four questions of the guest's and four answers: "Message in …", 002 … 008. */
async function chatOfFour(guest: Guest): Promise<string> {
  const [chatId] = await guest.seedChats(1, () => "Four questions");
  await guest.seedMessages(chatId, 7, 2);
  return chatId;
}

async function editQuestion(page: Page, question: Locator, text: string): Promise<void> {
  await question.getByText("Edit", { exact: true }).click();
  await question.getByLabel("Edit your message").fill(text);
  await question.getByRole("button", { name: "Save and regenerate" }).click();
}

test("editing the second of four questions keeps the old continuation one version away", async ({
  page,
  context,
  guest,
}, testInfo) => {
  const chatId = await chatOfFour(guest);
  const marker = newMarker("branch-edit");
  await scriptFakeModel(
    marker,
    { type: "reply", chunks: ["Answer to ", "the edit."], delayMs: 20 },
    { type: "reply", chunks: ["Another answer ", "to the edit."], delayMs: 20 },
  );
  await page.goto(`/chats/${chatId}`);
  const other = await context.newPage();
  await other.goto(`/chats/${chatId}`);
  await expect(messages(page)).toHaveCount(8);
  await expect(page.locator(".versions")).toHaveCount(0);

  await editQuestion(page, questions(page).nth(1), `The second question, better ${marker}`);
  await expectReplyComplete(page, 4);
  const edited = questions(page).nth(1);
  await expect(bubble(edited)).toHaveText(`The second question, better ${marker}`);
  await expect(versionsOf(edited)).toContainText("2 / 2");
  await expect(bubble(messages(page).last())).toHaveText("Answer to the edit.");

  // The model was sent the new branch only: nothing that followed the old second question.
  const sent = (await recordedRequests(E2E_FAKE_LLM_URL))
    .map((request) => request.body as { messages?: Array<{ role: string; content: string }> })
    .filter((body) => body.messages?.some((message) => message.content.includes(marker)));
  expect(sent[0]?.messages).toEqual([
    { role: "user", content: "Message in Four questions" },
    { role: "assistant", content: "Message 002" },
    { role: "user", content: `The second question, better ${marker}` },
  ]);

  // The old version and all that followed it, one click away; and back.
  await edited.getByRole("button", { name: "Previous version" }).click();
  await expect(messages(page)).toHaveCount(8);
  await expect(versionsOf(questions(page).nth(1))).toContainText("1 / 2");
  expect(await texts(page)).toEqual([
    "Message in Four questions",
    ...["002", "003", "004", "005", "006", "007", "008"].map((n) => `Message ${n}`),
  ]);
  await expect(questions(page).nth(1).getByRole("button", { name: "Previous version" })).toBeDisabled();
  // The other tab follows the choice.
  await expect(messages(other)).toHaveCount(8, SYNC);
  await expect(versionsOf(questions(other).nth(1))).toContainText("1 / 2", SYNC);

  await questions(page).nth(1).getByRole("button", { name: "Next version" }).click();
  await expect(messages(page)).toHaveCount(4);
  await expect(versionsOf(questions(page).nth(1))).toContainText("2 / 2");

  // Regenerate adds a sibling reply: "2 / 2" under the reply, the first answer one click away.
  await messages(page).last().getByRole("button", { name: "Regenerate" }).click();
  await expectReplyComplete(page, 4);
  await expect(bubble(messages(page).last())).toHaveText("Another answer to the edit.");
  await expect(versionsOf(messages(page).last())).toContainText("2 / 2");
  const again = (await recordedRequests(E2E_FAKE_LLM_URL)).filter((request) =>
    JSON.stringify(request.body).includes(marker),
  );
  expect(again).toHaveLength(2);

  // Kept on the server: after a reload, and in the other tab.
  await page.reload();
  await expect(messages(page)).toHaveCount(4);
  await expect(bubble(messages(page).last())).toHaveText("Another answer to the edit.");
  await expect(versionsOf(messages(page).last())).toContainText("2 / 2");
  await expect(bubble(messages(other).last())).toHaveText("Another answer to the edit.", SYNC);
  await expect(versionsOf(questions(other).nth(1))).toContainText("2 / 2");

  await messages(page).last().getByRole("button", { name: "Previous version" }).click();
  await expect(bubble(messages(page).last())).toHaveText("Answer to the edit.");
  await expect(versionsOf(messages(page).last())).toContainText("1 / 2");
  await expectNoViolations(page);
  await shoot(page, testInfo, "branching-chat");
  expect(chatIdOf(page)).toBe(chatId);
});

test("Show earlier follows the branch shown: older pages stay under a new version below them and go when one above them is chosen", async ({
  page,
  guest,
}) => {
  // 30 messages: a newest page of 20 (MESSAGE_PAGE_SIZE) and an older page of 10.
  const [chatId] = await guest.seedChats(1, () => "A long branch");
  await guest.seedMessages(chatId, 29, 2);
  const marker = newMarker("branch-pages");
  await scriptFakeModel(
    marker,
    { type: "reply", chunks: ["Low answer."], delayMs: 20 },
    { type: "reply", chunks: ["High answer."], delayMs: 20 },
  );
  await page.goto(`/chats/${chatId}`);
  const showEarlier = page.getByRole("link", { name: "Show earlier messages" });
  await showEarlier.click();
  await expect(messages(page)).toHaveCount(30);

  // A new version of "Message 029", in the newest page: the older page still leads to it.
  const low = messages(page).filter({ hasText: "Message 029" });
  await editQuestion(page, low, `Message 029, edited ${marker}`);
  await expectReplyComplete(page, 30);
  const shownTexts = await texts(page);
  expect(shownTexts.slice(0, 3)).toEqual(["Message in A long branch", "Message 002", "Message 003"]);
  expect(shownTexts.slice(-3)).toEqual(["Message 028", `Message 029, edited ${marker}`, "Low answer."]);

  // A new version of "Message 003", in the older page: the pages below it belong to another branch.
  await editQuestion(page, messages(page).nth(2), `Message 003, edited ${marker}`);
  await expectReplyComplete(page, 4);
  expect(await texts(page)).toEqual([
    "Message in A long branch",
    "Message 002",
    `Message 003, edited ${marker}`,
    "High answer.",
  ]);
  await expect(showEarlier).toHaveCount(0);
  await questions(page).nth(1).getByRole("button", { name: "Previous version" }).click();
  await expect(messages(page)).toHaveCount(20);
  await expect(bubble(messages(page).last())).toHaveText("Low answer.");
  await showEarlier.click();
  await expect(messages(page)).toHaveCount(30);
  expect((await texts(page)).slice(0, 3)).toEqual(["Message in A long branch", "Message 002", "Message 003"]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("editing and switching versions work with plain forms", async ({ page, guest }) => {
    const chatId = await chatOfFour(guest);
    const marker = newMarker("branch-no-js");
    await scriptFakeModel(marker, { type: "reply", chunks: ["Answered ", "without script."], delayMs: 20 });
    await page.goto(`/chats/${chatId}`);
    await editQuestion(page, questions(page).nth(1), `Edited without script ${marker}`);
    await expect(page).toHaveURL(CHAT_URL);
    await reloadUntilReplyComplete(page, 4);
    await expect(bubble(messages(page).last())).toHaveText("Answered without script.");
    await expect(versionsOf(questions(page).nth(1))).toContainText("2 / 2");

    await questions(page).nth(1).getByRole("button", { name: "Previous version" }).click();
    await expect(messages(page)).toHaveCount(8);
    await expect(versionsOf(questions(page).nth(1))).toContainText("1 / 2");
    await expect(bubble(messages(page).last())).toHaveText("Message 008");
    await questions(page).nth(1).getByRole("button", { name: "Next version" }).click();
    await expect(messages(page)).toHaveCount(4);
    await expect(bubble(messages(page).last())).toHaveText("Answered without script.");
  });
});

test("another visitor cannot switch or edit; a made-up or malformed version is refused", async ({
  page,
  browser,
  guest,
}) => {
  const chatId = await chatOfFour(guest);
  await page.goto(`/chats/${chatId}`);
  const firstQuestion = await questions(page).first().getAttribute("data-message-id");
  const otherContext = await browser.newContext();
  try {
    await signInGuest(otherContext);
    const forms: Array<Record<string, string>> = [
      { intent: "version", messageId: firstQuestion ?? "" },
      { intent: "edit", messageId: firstQuestion ?? "", content: "Mine now" },
    ];
    for (const form of forms) {
      const response = await otherContext.request.post(`/chats/${chatId}`, { form, maxRedirects: 0 });
      expect(response.status(), form.intent).toBe(404);
    }
  } finally {
    await otherContext.close();
  }
  const own = page.request;
  const made = await own.post(`/chats/${chatId}`, {
    form: { intent: "version", messageId: "0190a0a0-0000-7000-8000-000000000000" },
    maxRedirects: 0,
  });
  expect(made.status()).toBe(404);
  const malformed = await own.post(`/chats/${chatId}`, {
    form: { intent: "version", messageId: "not-a-message" },
    maxRedirects: 0,
  });
  expect(malformed.status()).toBe(400);
  await page.reload();
  await expect(messages(page)).toHaveCount(8);
  expect((await guest.chatIds()).length).toBe(1);
});

test.describe("on the embedded default", () => {
  test.use({ baseURL: E2E_EMBEDDED_URL });

  test("an edit adds a version there too", async ({ page }) => {
    await page.goto("/chats");
    await sendWithEnter(page, "First try on PGlite");
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    await editQuestion(page, questions(page).first(), "Second try on PGlite");
    await expectReplyComplete(page, 2);
    await expect(versionsOf(questions(page).first())).toContainText("2 / 2");
    await questions(page).first().getByRole("button", { name: "Previous version" }).click();
    await expect(bubble(questions(page).first())).toHaveText("First try on PGlite");
    await expect(versionsOf(questions(page).first())).toContainText("1 / 2");
  });
});

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ animations: "disabled", caret: "hide" });
  const directory = path.join(testInfo.project.outputDir, "screenshots");
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, `${name}.png`), body);
}
