import type { Page, Route } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { chatLink, composer, openChatMenu, sidebar } from "./support/chat";

/** Holds the browser's POSTs to a chat until released, to see what the page shows meanwhile. */
async function holdPosts(page: Page, chatId: string): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.startsWith(`/chats/${chatId}`),
    async (route: Route) => {
      if (route.request().method() === "POST") await released;
      await route.fallback();
    },
  );
  return { release };
}

const deleteDialog = (page: Page) => page.getByRole("dialog", { name: "Delete chat?" });

/**
 * The server's answer to the page's next POST. A row goes at once (optimistically): wait for
 * the answer before a reload or a closed tab, which could abort the request on a slow machine.
 */
const nextPostAnswer = (page: Page) =>
  page.waitForResponse((response) => response.request().method() === "POST");

test.describe("with JavaScript", () => {
  test("an inline rename shows at once and survives a reload; Esc cancels", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(2, (index) => (index === 0 ? "Alpha chat" : "Beta chat"));
    await page.goto("/chats");

    // Esc: nothing changes, nothing is sent.
    await (await openChatMenu(page, "Alpha chat")).getByRole("button", { name: "Rename" }).click();
    const input = sidebar(page).getByRole("textbox", { name: "New name for Alpha chat" });
    await expect(input).toBeFocused();
    await input.fill("Never saved");
    await input.press("Escape");
    await expect(input).toHaveCount(0);
    await expect(chatLink(page, chatId)).toHaveText("Alpha chat");

    // Enter: the new name shows while the server is still deciding.
    const held = await holdPosts(page, chatId);
    await (await openChatMenu(page, "Alpha chat")).getByRole("button", { name: "Rename" }).click();
    await input.fill("Alpha renamed");
    const saved = nextPostAnswer(page);
    await input.press("Enter");
    await expect(chatLink(page, chatId)).toHaveText("Alpha renamed");
    held.release();
    expect((await saved).status()).toBe(200);
    await expect(chatLink(page, chatId)).toHaveText("Alpha renamed");
    await expect(sidebar(page).getByRole("alert")).toHaveCount(0);

    await page.reload();
    await expect(chatLink(page, chatId)).toHaveText("Alpha renamed");
    await expect(sidebar(page).getByText("Beta chat")).toBeVisible();
  });

  test("rename and delete work from the keyboard alone, and focus stays with the chat", async ({
    page,
    guest,
  }) => {
    const [chatId, otherId] = await guest.seedChats(2, (index) =>
      index === 0 ? "Keyboard chat" : "Other chat",
    );
    await page.goto("/chats");
    // Hydrated (the composer takes the focus then): before that the menu holds its no-JS form.
    await expect(composer(page)).toBeFocused();
    const options = (title: string) => sidebar(page).getByLabel(`Options for ${title}`, { exact: true });
    const press = async (...keys: string[]) => {
      for (const key of keys) await page.keyboard.press(key);
    };

    // Keys go one state at a time, as a person's do: each press waits for what the last one
    // opened (the menu's items are drawn when it opens, the dialog when Delete is pressed).
    const menuButton = (name: string) => sidebar(page).getByRole("button", { name });
    /** From the chat's focused Options button: opens its menu and tabs to `item`. */
    const openMenuAt = async (item: "Rename" | "Delete") => {
      await press("Enter");
      await expect(menuButton("Rename")).toBeVisible();
      await press("Tab");
      await expect(menuButton("Rename")).toBeFocused();
      // Delete comes after Rename, Pin and Archive.
      if (item === "Delete") await press("Tab", "Tab", "Tab");
      await expect(menuButton(item)).toBeFocused();
    };

    // Menu, Rename, type, Enter: the renamed chat's link keeps the focus.
    await options("Keyboard chat").focus();
    await openMenuAt("Rename");
    await press("Enter");
    await expect(sidebar(page).getByRole("textbox", { name: "New name for Keyboard chat" })).toBeFocused();
    await page.keyboard.type("Typed name");
    await press("Enter");
    await expect(chatLink(page, chatId)).toHaveText("Typed name");
    await expect(chatLink(page, chatId)).toBeFocused();

    // Esc in a rename returns to the chat's link too.
    await press("Tab");
    await expect(options("Typed name")).toBeFocused();
    await openMenuAt("Rename");
    await press("Enter");
    await expect(sidebar(page).getByRole("textbox", { name: "New name for Typed name" })).toBeFocused();
    await press("Escape");
    await expect(chatLink(page, chatId)).toBeFocused();
    await expect(chatLink(page, chatId)).toHaveText("Typed name");

    // Delete: the dialog opens on Cancel (Enter there deletes nothing); Esc too goes back to
    // the menu button.
    await press("Tab");
    await expect(options("Typed name")).toBeFocused();
    await openMenuAt("Delete");
    await press("Enter");
    await expect(deleteDialog(page).getByRole("button", { name: "Cancel" })).toBeFocused();
    await press("Enter");
    await expect(deleteDialog(page)).toHaveCount(0);
    await expect(options("Typed name")).toBeFocused();
    await openMenuAt("Delete");
    await press("Enter");
    await expect(deleteDialog(page).getByRole("button", { name: "Cancel" })).toBeFocused();
    await press("Escape");
    await expect(deleteDialog(page)).toHaveCount(0);
    await expect(options("Typed name")).toBeFocused();

    // Tab to the dialog's Delete and press Enter: gone.
    await openMenuAt("Delete");
    await press("Enter");
    await expect(deleteDialog(page).getByRole("button", { name: "Cancel" })).toBeFocused();
    await press("Tab");
    await expect(deleteDialog(page).getByRole("button", { name: "Delete" })).toBeFocused();
    const deleted = nextPostAnswer(page);
    await press("Enter");
    await expect(chatLink(page, chatId)).toHaveCount(0);
    await expect(
      chatLink(page, otherId),
      "the keyboard's place moves to the neighbouring chat",
    ).toBeFocused();
    await deleted;
    await page.reload();
    await expect(chatLink(page, chatId)).toHaveCount(0);
    await expect(sidebar(page).getByText("Other chat")).toBeVisible();
  });

  test("delete asks in a dialog, removes the chat and survives a reload", async ({ page, guest }) => {
    const [keptId, deletedId] = await guest.seedChats(2, (index) =>
      index === 0 ? "Kept chat" : "Deleted chat",
    );
    await page.goto("/chats");

    // Cancel keeps it.
    await (await openChatMenu(page, "Deleted chat")).getByRole("button", { name: "Delete" }).click();
    await expect(deleteDialog(page)).toBeVisible();
    await expect(deleteDialog(page)).toContainText("“Deleted chat” and all its messages will be deleted.");
    await deleteDialog(page).getByRole("button", { name: "Cancel" }).click();
    await expect(deleteDialog(page)).toHaveCount(0);
    await expect(chatLink(page, deletedId)).toBeVisible();

    await (await openChatMenu(page, "Deleted chat")).getByRole("button", { name: "Delete" }).click();
    const deleted = nextPostAnswer(page);
    await deleteDialog(page).getByRole("button", { name: "Delete" }).click();
    await expect(deleteDialog(page)).toHaveCount(0);
    await expect(chatLink(page, deletedId)).toHaveCount(0);
    await expect(page).toHaveURL(/\/chats$/);

    await deleted;
    await page.reload();
    await expect(chatLink(page, deletedId)).toHaveCount(0);
    await expect(chatLink(page, keptId)).toBeVisible();
    expect((await page.goto(`/chats/${deletedId}`))?.status()).toBe(404);
  });

  test("deleting the open chat lands on the new-chat screen", async ({ page, guest }) => {
    const [otherId, openId] = await guest.seedChats(2, (index) => (index === 0 ? "Other chat" : "Open chat"));
    await page.goto(`/chats/${openId}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Open chat");

    await (await openChatMenu(page, "Open chat")).getByRole("button", { name: "Delete" }).click();
    await deleteDialog(page).getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/chats$/);
    await expect(page.getByRole("heading", { name: "What can I help with?" })).toBeVisible();
    await expect(chatLink(page, openId)).toHaveCount(0);
    await expect(chatLink(page, otherId)).toBeVisible();

    await page.reload();
    await expect(chatLink(page, openId)).toHaveCount(0);
  });

  test("a rename the server refuses shows the reason and restores the name", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(1, () => "Keeps its name");
    await page.goto("/chats");
    await (await openChatMenu(page, "Keeps its name")).getByRole("button", { name: "Rename" }).click();
    // Blank names pass the input's `required` but not the server's trim-then-min(1).
    const input = sidebar(page).getByRole("textbox", { name: "New name for Keeps its name" });
    await input.fill("   ");
    const refused = nextPostAnswer(page);
    await input.press("Enter");
    expect((await refused).status()).toBe(400);
    await expect(sidebar(page).getByRole("alert")).toHaveText("Give the chat a name.");
    await expect(chatLink(page, chatId)).toHaveText("Keeps its name");

    await page.reload();
    await expect(chatLink(page, chatId)).toHaveText("Keeps its name");
    await expect(sidebar(page).getByRole("alert")).toHaveCount(0);
  });

  test("renaming a chat deleted meanwhile in another tab says why, then the chat goes", async ({
    context,
    page,
    guest,
  }) => {
    const [chatId] = await guest.seedChats(1, () => "Doomed chat");
    await page.goto("/chats");
    // This tab must not learn of the deletion from the sync poll before it acts.
    const blockSync = (route: Route) => route.abort();
    await page.route("**/resources/sync*", blockSync);

    const otherTab = await context.newPage();
    await otherTab.goto("/chats");
    await (await openChatMenu(otherTab, "Doomed chat")).getByRole("button", { name: "Delete" }).click();
    const deleted = nextPostAnswer(otherTab);
    await deleteDialog(otherTab).getByRole("button", { name: "Delete" }).click();
    await expect(chatLink(otherTab, chatId)).toHaveCount(0);
    expect((await deleted).ok()).toBe(true);
    await otherTab.close();

    await page.bringToFront();
    await expect(chatLink(page, chatId)).toHaveText("Doomed chat");
    await (await openChatMenu(page, "Doomed chat")).getByRole("button", { name: "Rename" }).click();
    const input = sidebar(page).getByRole("textbox", { name: "New name for Doomed chat" });
    await input.fill("Too late");
    const refused = nextPostAnswer(page);
    await input.press("Enter");
    expect((await refused).status()).toBe(404);
    // The person is told why the rename did not happen (not just left with a vanished chat).
    await expect(page.getByRole("alert")).toHaveText("This chat no longer exists.");

    // Then the stale item goes, without an error page.
    await page.unroute("**/resources/sync*", blockSync);
    await expect(chatLink(page, chatId)).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByRole("heading", { name: "What can I help with?" })).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the menu's rename form renames the chat", async ({ page, guest }) => {
    const [chatId] = await guest.seedChats(1, () => "Plain chat");
    await page.goto(`/chats/${chatId}`);
    await openChatMenu(page, "Plain chat");
    const input = sidebar(page).getByRole("textbox", { name: "New name for Plain chat" });
    await expect(input).toHaveValue("Plain chat");
    await input.fill("Plain renamed");
    await sidebar(page).getByRole("button", { name: "Rename" }).click();

    // Back where the form was sent from, renamed.
    await expect(page).toHaveURL(new RegExp(`/chats/${chatId}$`));
    await expect(chatLink(page, chatId)).toHaveText("Plain renamed");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plain renamed");
    await page.reload();
    await expect(chatLink(page, chatId)).toHaveText("Plain renamed");
  });

  test("Delete… opens a confirmation page that deletes the chat", async ({ page, guest }) => {
    const [keptId, deletedId] = await guest.seedChats(2, (index) => (index === 0 ? "Staying" : "Leaving"));
    await page.goto("/chats");

    // Cancel goes back to the chat, which is still there.
    await (await openChatMenu(page, "Leaving")).getByRole("link", { name: "Delete…" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${deletedId}/delete$`));
    await expect(page.getByRole("heading", { name: "Delete chat?" })).toBeVisible();
    await expect(page.getByText("“Leaving” and all its messages will be deleted.")).toBeVisible();
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page).toHaveURL(new RegExp(`/chats/${deletedId}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Leaving");

    await (await openChatMenu(page, "Leaving")).getByRole("link", { name: "Delete…" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/chats$/);
    await expect(chatLink(page, deletedId)).toHaveCount(0);
    await expect(chatLink(page, keptId)).toBeVisible();
    expect((await page.goto(`/chats/${deletedId}/delete`))?.status()).toBe(404);
  });
});
