import { test, expect } from "./support/fixtures";
import { chatIdOf } from "./support/chat";

test("a signed-in guest starts a chat and sees the model's reply", async ({ page, guest }) => {
  await page.goto("/chats");
  await page.getByRole("textbox", { name: "Message" }).fill("Hello from the smoke test");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("article", { name: "Parley said" })).toContainText(
    "Hello from the fake model.",
  );
  // Stored under the session the guest signed in with, not a new visitor's.
  expect(await guest.chatIds()).toEqual([chatIdOf(page)]);
});
