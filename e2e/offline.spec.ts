import { expect, test } from "./support/fixtures";
import {
  CHAT_URL,
  chatIdOf,
  chatLink,
  composer,
  expectReplyComplete,
  messages,
  openChatMenu,
  sidebar,
} from "./support/chat";

/**
 * With JavaScript, a submission that cannot reach the server leaves the page and the person's
 * work where they are, says so, and goes through once the network is back (stored once).
 */
const UNREACHABLE =
  "Parley could not reach the server, so nothing was saved. Check your connection and try again.";

test("offline: a message stays in the box with a clear error, then sends once the network is back", async ({
  page,
  context,
  guest,
}) => {
  const [otherChat] = await guest.seedChats(1, () => "Another chat");
  await page.goto("/chats");
  await composer(page).fill("First message");
  await composer(page).press("Enter");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  const chatUrl = page.url();

  await context.setOffline(true);
  await composer(page).fill("Sent while offline");
  await composer(page).press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(composer(page)).toHaveValue("Sent while offline");
  await expect(messages(page)).toHaveCount(2);
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);

  // A rename made offline is rolled back, with the same reason.
  const title = await page.getByRole("heading", { level: 1 }).innerText();
  const menu = await openChatMenu(page, title);
  await menu.getByRole("button", { name: "Rename" }).click();
  await sidebar(page)
    .getByRole("textbox", { name: `New name for ${title}` })
    .fill("Renamed offline");
  await sidebar(page)
    .getByRole("textbox", { name: `New name for ${title}` })
    .press("Enter");
  await expect(sidebar(page).getByRole("alert")).toContainText(UNREACHABLE);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  // Following a link offline says so instead of blaming the server.
  await chatLink(page, otherChat).click();
  await expect(page.getByRole("heading", { name: "Could not reach Parley" })).toBeVisible();
  await expect(page.getByText("Request id")).toHaveCount(0);

  await context.setOffline(false);
  await page.goto(chatUrl);
  await expect(messages(page)).toHaveCount(2);
  await composer(page).fill("Sent while offline");
  await composer(page).press("Enter");
  await expectReplyComplete(page, 4);
  await expect(messages(page).filter({ hasText: "Sent while offline" })).toHaveCount(1);
});

test("offline: the new-chat box keeps its text and the page stays", async ({ page, context, guest }) => {
  await page.goto("/chats");
  await context.setOffline(true);
  await composer(page).fill("A first message, offline");
  await composer(page).press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(composer(page)).toHaveValue("A first message, offline");
  await expect(page).toHaveURL(/\/chats(\?index)?$/);
  expect(await guest.chatIds(), "nothing reached the server").toEqual([]);

  await context.setOffline(false);
  await composer(page).press("Enter");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  expect(await guest.chatIds()).toEqual([chatIdOf(page)]);
});
