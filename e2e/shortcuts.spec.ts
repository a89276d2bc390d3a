import { test, expect } from "./support/fixtures";
import { composer } from "./support/chat";
import { seedChatWith } from "./support/search-seed";

test("? opens the shortcuts help as a modal dialog; Esc closes it and focus returns", async ({
  page,
  guest,
}) => {
  const { chatId } = await seedChatWith(guest.userId, "Shortcuts", ["Hello there"]);
  await page.goto(`/chats/${chatId}`);
  const link = page.getByRole("link", { name: "Search chats" });
  await link.focus();
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  for (const does of [
    "Search your chats",
    "Start a new chat",
    "Go to the message box",
    "Stop the reply being written",
  ])
    await expect(dialog).toContainText(does);
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  // Modal: the page behind does not take shortcuts while it is open.
  await page.keyboard.press("Control+k");
  await expect(page).toHaveURL(new RegExp(`/chats/${chatId}$`));
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(link).toBeFocused();
});

test("typing ?, / and k in the message box types them, and opens nothing", async ({ page, guest }) => {
  const { chatId } = await seedChatWith(guest.userId, "Typing", ["Hello there"]);
  await page.goto(`/chats/${chatId}`);
  await expect(composer(page)).toBeFocused();
  await page.keyboard.type("k? /k?");
  await expect(composer(page)).toHaveValue("k? /k?");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/chats/${chatId}$`));
});

test("Shift+Esc goes to the message box, Ctrl+Shift+O starts a new chat, / and Ctrl+K search", async ({
  page,
  guest,
}) => {
  const { chatId } = await seedChatWith(guest.userId, "Keys", ["Hello there"]);
  await page.goto(`/chats/${chatId}`);
  await page.getByRole("link", { name: "Search chats" }).focus();
  await page.keyboard.press("Shift+Escape");
  await expect(composer(page)).toBeFocused();

  await page.keyboard.press("Control+Shift+O");
  await expect(page).toHaveURL(/\/chats$/);
  await expect(composer(page)).toBeFocused();

  await page.getByRole("link", { name: "Search chats" }).focus();
  await page.keyboard.press("/");
  await expect(page).toHaveURL(/\/search$/);
  const field = page.getByRole("searchbox", { name: "Search your chats" });
  await expect(field).toBeFocused();
  // In the search field, / is text.
  await page.keyboard.type("a/b");
  await expect(field).toHaveValue("a/b");

  await page.goto(`/chats/${chatId}`);
  await expect(composer(page)).toBeFocused();
  await page.keyboard.press("Control+k");
  await expect(page).toHaveURL(/\/search$/);
  await expect(field).toBeFocused();
});
