import { test, expect } from "./support/fixtures";
import { chatTitles, messageLog } from "./support/chat";

/**
 * Requests no form of Parley's sends, as a script or a proxy might: each gets a 4xx page that
 * says what was wrong (never a 500 or a stack trace), and nothing stored changes. They share
 * one keep-alive connection, so a refusal that left its body unread must not wedge the next.
 */
test.describe("submissions Parley's forms never make", () => {
  test("are refused with a 4xx and a reason, and change nothing", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(1, () => "Untouched chat");
    const asForm = "Send this form as application/x-www-form-urlencoded";
    const refusals = [
      {
        name: "JSON to the new-chat form",
        status: 415,
        reason: asForm,
        send: () => page.request.post("/chats?index", { data: { content: "as JSON" }, maxRedirects: 0 }),
      },
      {
        name: "DELETE on a chat",
        status: 405,
        reason: "only takes forms sent with POST",
        send: () => page.request.delete(`/chats/${chatId}`, { maxRedirects: 0 }),
      },
      {
        name: "a 2 MB message form",
        status: 413,
        reason: "This form is too large.",
        send: () =>
          page.request.post(`/chats/${chatId}`, {
            form: { intent: "send", content: "x".repeat(2_000_000), clientId: "oversized-form-0001" },
            maxRedirects: 0,
          }),
      },
      {
        name: "a broken multipart body",
        status: 400,
        reason: "This form could not be read.",
        send: () =>
          page.request.post(`/chats/${chatId}`, {
            headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
            data: "not multipart",
            maxRedirects: 0,
          }),
      },
      {
        name: "JSON to the new-project form",
        status: 415,
        reason: asForm,
        send: () => page.request.post("/projects/new", { data: { name: "as JSON" }, maxRedirects: 0 }),
      },
    ];
    for (const refusal of refusals) {
      const response = await refusal.send();
      expect(response.status(), refusal.name).toBe(refusal.status);
      const body = await response.text();
      expect(body, refusal.name).toContain(refusal.reason);
      expect(body, refusal.name).toContain(`Not accepted (${refusal.status})`);
      expect(body, `${refusal.name}: no stack trace`).not.toMatch(/\n\s+at |node_modules|TypeError/);
    }

    await page.goto(`/chats/${chatId}`);
    await expect(chatTitles(page)).toHaveText(["Untouched chat"]);
    await expect(messageLog(page).locator("article")).toHaveCount(1);
    await expect(messageLog(page).locator("article .message__plain")).toHaveText("Message in Untouched chat");
  });
});
