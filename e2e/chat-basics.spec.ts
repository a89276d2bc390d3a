import { test, expect } from "./support/fixtures";
import {
  CHAT_URL,
  chatIdOf,
  composer,
  expectReplyComplete,
  messages,
  readMessages,
  reloadUntilReplyComplete,
  sendButton,
  sendWithEnter,
} from "./support/chat";
import { newMarker, scriptFakeModel } from "./support/fake-model";

const FAKE_REPLY = "Hello from the fake model.";
const PROMPTS = ["First: what is a keyset cursor?", "Second: and an offset?", "Third: which is faster?"];

/** Each person's message in order, each followed by one complete reply. */
function expectedConversation(prompts: string[]) {
  return prompts.flatMap((text) => [
    { who: "You said", status: "complete", text },
    { who: "Parley said", status: "complete", text: FAKE_REPLY },
  ]);
}

test.describe("with JavaScript", () => {
  test("three messages, one reply each, survive a reload in order", async ({ page, guest }) => {
    await page.goto("/chats");
    await sendWithEnter(page, PROMPTS[0]);
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);

    await sendWithEnter(page, PROMPTS[1]);
    await expectReplyComplete(page, 4);
    await sendWithEnter(page, PROMPTS[2]);
    await expectReplyComplete(page, 6);
    expect(await readMessages(page)).toEqual(expectedConversation(PROMPTS));

    await page.reload();
    await expectReplyComplete(page, 6);
    expect(await readMessages(page)).toEqual(expectedConversation(PROMPTS));
    // The follow-ups went into the chat the first message made: one chat, the guest's.
    expect(await guest.chatIds()).toEqual([chatIdOf(page)]);
  });

  /**
   * Intermittent (about one new chat in 20 here): the optimistic copy of a sent message goes one
   * render before the saved copy arrives, so the log briefly lacks the message and its reply.
   * Opt-in, as it exposes the bug only by repetition: E2E_STRESS=1 npx playwright test -g "never disappears".
   */
  test("a sent message never disappears from the log while it is saved", async ({ page }) => {
    test.skip(!process.env.E2E_STRESS, "opt-in stress test: set E2E_STRESS=1");
    test.setTimeout(180_000);
    // Records every state of the log, as the person would have seen it.
    await page.addInitScript(() => {
      const states: string[][] = [];
      (window as unknown as { __logStates: string[][] }).__logStates = states;
      const record = () => {
        const texts = [
          ...document.querySelectorAll('[role="log"] article[aria-label="You said"] .message__plain'),
        ].map((article) => article.textContent ?? "");
        if (texts.join("\n") !== (states[states.length - 1] ?? []).join("\n")) states.push(texts);
      };
      document.addEventListener("DOMContentLoaded", () =>
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
        }),
      );
    });
    // Seen most after the second message of a new chat (the first one sent through the fetcher).
    const shrinks: string[][] = [];
    for (let round = 1; round <= 12; round += 1) {
      await page.goto("/chats");
      await sendWithEnter(page, `Round ${round}, first`);
      await expect(page).toHaveURL(CHAT_URL);
      await expectReplyComplete(page, 2);
      await sendWithEnter(page, `Round ${round}, second`);
      await expectReplyComplete(page, 4);
      const states = await page.evaluate(
        () => (window as unknown as { __logStates: string[][] }).__logStates,
      );
      shrinks.push(...states.filter((state, index) => index > 0 && state.length < states[index - 1].length));
    }
    expect(shrinks, "states of the log with fewer of the person's messages than the one before").toEqual([]);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("three messages, one reply each, survive a reload in order", async ({ page, guest }) => {
    await page.goto("/chats");
    await composer(page).fill(PROMPTS[0]);
    await sendButton(page).click();
    await expect(page).toHaveURL(CHAT_URL);
    await reloadUntilReplyComplete(page, 2);

    await composer(page).fill(PROMPTS[1]);
    await sendButton(page).click();
    await reloadUntilReplyComplete(page, 4);
    await composer(page).fill(PROMPTS[2]);
    await sendButton(page).click();
    await reloadUntilReplyComplete(page, 6);

    await page.reload();
    await expect(messages(page)).toHaveCount(6);
    expect(await readMessages(page)).toEqual(expectedConversation(PROMPTS));
    expect(await guest.chatIds()).toEqual([chatIdOf(page)]);
  });

  test("while a reply is being written the page refreshes itself until it is complete", async ({ page }) => {
    // A slow scripted reply, so the page is sure to render it pending.
    const marker = newMarker("slow");
    await scriptFakeModel(marker, {
      type: "reply",
      chunks: ["A slow", " reply,", " word by", " word."],
      delayMs: 900,
    });
    await page.goto("/chats");
    await composer(page).fill(`Take your time. ${marker}`);
    await sendButton(page).click();
    await expect(page).toHaveURL(CHAT_URL);
    await expect(messages(page).last()).toHaveAttribute("data-status", "pending");

    // <noscript><meta http-equiv="refresh" content="2"></noscript>: parsed as markup when scripting is off.
    await expect(page.locator('meta[http-equiv="refresh" i]')).toHaveCount(1);

    // No reload from the test: the page's own refresh must bring the finished reply.
    await expect(messages(page).last()).toHaveAttribute("data-status", "complete", { timeout: 10_000 });
    await expect(messages(page).last()).toContainText("A slow reply, word by word.");
    // Once nothing is pending the page stops refreshing itself.
    await expect(page.locator('meta[http-equiv="refresh" i]')).toHaveCount(0);
  });
});

test.describe("a brand-new visitor", () => {
  test("gets an httpOnly, SameSite=Lax session cookie on the first visit", async ({ page, context }) => {
    expect(await context.cookies()).toEqual([]);
    const response = await page.goto("/chats");
    expect(response?.status()).toBe(200);

    const header = (await response!.headerValue("set-cookie")) ?? "";
    expect(header).toMatch(/^parley_session=/);
    expect(header).toMatch(/;\s*HttpOnly/i);
    expect(header).toMatch(/;\s*SameSite=Lax/i);

    const cookie = (await context.cookies()).find((candidate) => candidate.name === "parley_session");
    expect(cookie, "the browser kept the parley_session cookie").toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Lax");
    // Scripts on the page cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain("parley_session");
    await expect(page.getByRole("heading", { name: "What can I help with?" })).toBeVisible();
  });
});
