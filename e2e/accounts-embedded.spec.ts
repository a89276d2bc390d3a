import { test, expect } from "./support/fixtures";
import {
  accountBar,
  expectSignedInAs,
  expectSignedOut,
  PASSWORD,
  submitCredentials,
  uniqueEmail,
} from "./support/accounts";
import {
  CHAT_URL,
  chatIdOf,
  chatLink,
  expectReplyComplete,
  renameOpenChat,
  sendWithEnter,
} from "./support/chat";
import { E2E_EMBEDDED_URL } from "./support/environment";

/** Accounts on the zero-configuration default: PGlite and the in-process store, one process. */
test.use({ baseURL: E2E_EMBEDDED_URL });

test("on the embedded default, guests keep their chats by signing up and by signing in, and a second browser follows along", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("embedded");
  await page.goto("/chats");
  await sendWithEnter(page, "Started as a guest on the embedded default");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  const keptChat = chatIdOf(page);
  await page.goto("/join");
  await submitCredentials(page, email, PASSWORD, "Sign up");
  await expectSignedInAs(page, email);
  await expect(chatLink(page, keptChat)).toBeVisible();

  const other = await browser.newContext({ baseURL: E2E_EMBEDDED_URL });
  try {
    const second = await other.newPage();
    await second.goto("/chats");
    await sendWithEnter(second, "Another guest, about to sign in");
    await expect(second).toHaveURL(CHAT_URL);
    await expectReplyComplete(second, 2);
    const movedChat = chatIdOf(second);
    await accountBar(second).getByRole("link", { name: "Sign in" }).click();
    await submitCredentials(second, email, PASSWORD, "Sign in");
    await expectSignedInAs(second, email);
    await expect(chatLink(second, keptChat)).toBeVisible();
    await expect(chatLink(second, movedChat)).toBeVisible();
    // The first browser sees the moved chat, and a rename there reaches the second, by the sync check.
    await expect(chatLink(page, movedChat)).toBeVisible();
    await page.goto(`/chats/${keptChat}`);
    await renameOpenChat(page, "Renamed on the embedded default");
    await expect(chatLink(second, keptChat)).toHaveText("Renamed on the embedded default");

    // Signed out from the account page, the second browser is refused at once.
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByRole("status")).toHaveText("Every other session is signed out.");
    await expectSignedOut(second);
    await expect(chatLink(second, keptChat)).toHaveCount(0);
  } finally {
    await other.close();
  }
});
