import { createClient } from "redis";
import { test, expect } from "./support/fixtures";
import {
  createAccount,
  expectSignedInAs,
  expectSignedOut,
  rowsOfUser,
  signInContext,
  uniqueEmail,
} from "./support/accounts";
import { CHAT_URL, chatIdOf, chatLink, expectReplyComplete, sendWithEnter } from "./support/chat";
import { e2eData } from "./support/database";
import { E2E_REDIS_URL } from "./support/environment";
import { setVisibility } from "./support/visibility";

/** Every hot-store key naming one of `ids` (a user, their chats, sessions and messages). */
async function keysNaming(ids: string[]): Promise<string[]> {
  const redis = createClient({ url: E2E_REDIS_URL });
  await redis.connect();
  try {
    const found: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: "parley:*", COUNT: 1000 }))
      for (const key of batch) if (ids.some((id) => key.includes(id))) found.push(key);
    return found;
  } finally {
    await redis.quit();
  }
}

test("deleting the account removes every row and cached entry of the user, and the other tab is signed out", async ({
  page,
  browser,
}) => {
  const account = await createAccount(uniqueEmail("delete-me"));
  await signInContext(page.context(), account);
  await page.goto("/chats");
  await sendWithEnter(page, "A chat that will be deleted");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  const firstChat = chatIdOf(page);
  await sendWithEnter(page, "A second message in it");
  await expectReplyComplete(page, 4);
  await page.goto("/projects/new");
  // Exact: the sidebar's rename field ("New name for …") is a label with "name" in it too.
  await page.getByLabel("Name", { exact: true }).fill("A project that will go too");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/project=/);

  const phoneContext = await browser.newContext();
  try {
    await signInContext(phoneContext, account);
    const phone = await phoneContext.newPage();
    await phone.goto(`/chats/${firstChat}`);
    await expectSignedInAs(phone, account.email);
    await expect(chatLink(phone, firstChat)).toBeVisible();

    const db = e2eData().database.db;
    const sessions = await db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", account.userId)
      .execute();
    const messages = await db.selectFrom("messages").select("id").where("chat_id", "=", firstChat).execute();
    const ids = [
      account.userId,
      firstChat,
      ...sessions.map((row) => row.id),
      ...messages.map((row) => row.id),
    ];
    // Pages at several versions, the session look-ups and the reply's progress are cached now.
    expect((await keysNaming(ids)).length).toBeGreaterThan(8);
    // The other tab goes to the background while the account is deleted: a reload of its
    // page in flight at that moment could cache it again (until its TTL, reachable by no
    // session), which is not what this test is about.
    await setVisibility(phone, "hidden");
    await phone.waitForLoadState("networkidle");

    await page.goto("/account");
    await page.getByLabel("Password", { exact: true }).fill("not my password");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByText("That is not your password.")).toBeVisible();
    expect((await rowsOfUser(account.userId)).users).toBe(1);
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/chats$/);
    await expectSignedOut(page);

    expect(await rowsOfUser(account.userId)).toEqual({
      users: 0,
      sessions: 0,
      chats: 0,
      projects: 0,
      messages: 0,
    });
    expect(await keysNaming(ids)).toEqual([]);
    // Back in front, the other tab checks at once and finds its session gone: its sidebar
    // empties and says so.
    await setVisibility(phone, "visible");
    await expectSignedOut(phone);
    await expect(chatLink(phone, firstChat)).toHaveCount(0);
    // Signing in with the deleted account's email and password is refused.
    await page.goto("/login");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  } finally {
    await phoneContext.close();
  }
});
