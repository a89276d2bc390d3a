import { test, expect, signInGuest } from "./support/fixtures";
import {
  createAccount,
  expectSignedInAs,
  PASSWORD,
  postForm,
  rowsOfUser,
  seedChatsFor,
  submitCredentials,
  uniqueEmail,
} from "./support/accounts";
import { chatLink, chatTitles, sidebar } from "./support/chat";
import { e2eData } from "./support/database";

/**
 * Guests keep their chats: signing up turns the guest into the account, signing in moves the
 * guest's chats into it. Both start from the session on the server; no form field can name
 * whose chats move.
 */
test("a guest with chats signs up: the same user keeps the chats", async ({ page, guest }) => {
  const chatIds = await guest.seedChats(2, (index) => `Guest chat ${index + 1}`);
  await page.goto("/chats");
  await expect(chatTitles(page)).toHaveText(["Guest chat 2", "Guest chat 1"]);
  const email = uniqueEmail("convert");
  await page.goto("/join");
  await submitCredentials(page, email, PASSWORD, "Sign up");
  await expectSignedInAs(page, email);
  await expect(chatTitles(page)).toHaveText(["Guest chat 2", "Guest chat 1"]);
  const user = await e2eData()
    .database.db.selectFrom("users")
    .select(["id", "email", "is_guest"])
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  expect(user).toEqual({ id: guest.userId, email, is_guest: false });
  expect((await guest.chatIds()).sort()).toEqual([...chatIds].sort());
});

test("a guest with chats signs in to an existing account: the chats move in, and the old guest cookie opens nothing", async ({
  page,
  context,
  browser,
  guest,
}) => {
  const account = await createAccount(uniqueEmail("merge"));
  const accountChat = (await seedChatsFor(account.userId, ["The account's own chat"]))[0];
  const guestChats = await guest.seedChats(2, (index) => `Made as a guest ${index + 1}`);
  const guestCookies = await context.cookies();
  await page.goto("/chats");
  await expect(chatTitles(page)).toHaveText(["Made as a guest 2", "Made as a guest 1"]);

  await page.goto("/login");
  await submitCredentials(page, account.email, PASSWORD, "Sign in");
  await expectSignedInAs(page, account.email);
  for (const chatId of [...guestChats, accountChat]) await expect(chatLink(page, chatId)).toBeVisible();
  expect(await rowsOfUser(guest.userId)).toEqual({
    users: 0,
    sessions: 0,
    chats: 0,
    projects: 0,
    messages: 0,
  });
  expect(await rowsOfUser(account.userId)).toMatchObject({ chats: 3, sessions: 1 });

  // The cookie the guest had before signing in, replayed in a fresh browser: nothing opens.
  const replay = await browser.newContext();
  try {
    await replay.addCookies(guestCookies);
    const stale = await replay.newPage();
    await stale.goto("/chats");
    await expect(sidebar(stale).getByText("No chats yet.")).toBeVisible();
    await expect(stale.getByText("Made as a guest")).toHaveCount(0);
    expect((await stale.goto(`/chats/${guestChats[0]}`))?.status()).toBe(404);
    expect(await (await stale.request.get(`/resources/sync?chat=${guestChats[0]}`)).json()).toEqual({
      list: 0,
      chat: null,
    });
  } finally {
    await replay.close();
  }
});

test("no field of any account form can claim another person's user, guest or chats", async ({
  browser,
  guest: victim,
}) => {
  const victimChats = await victim.seedChats(2, (index) => `Victim's chat ${index + 1}`);
  const victimAccount = await createAccount(uniqueEmail("victim"));
  const victimAccountChats = await seedChatsFor(victimAccount.userId, ["Victim account's chat"]);
  const claims = {
    userId: victim.userId,
    guestId: victim.userId,
    fromUserId: victim.userId,
    accountId: victimAccount.userId,
    chatId: victimChats[0],
    chatIds: victimChats.join(","),
    sessionId: "a".repeat(32),
  };

  const context = await browser.newContext();
  try {
    const attacker = await signInGuest(context);
    await attacker.seedChats(1, () => "Attacker's own chat");
    const email = uniqueEmail("attacker");
    // Sign up, sign out, sign in, and every account-page form, each with the extra fields.
    expect(
      (await postForm(context.request, "/join", { email, password: PASSWORD, ...claims })).status(),
    ).toBe(302);
    expect((await postForm(context.request, "/logout", { ...claims })).status()).toBe(302);
    const signIn = await postForm(context.request, "/login", { email, password: PASSWORD, ...claims });
    expect(signIn.status()).toBe(302);
    const accountForms: Array<[Record<string, string>, number]> = [
      [{ intent: "end-other-sessions" }, 302],
      [{ intent: "end-session", session: "A".repeat(22) }, 404],
      [{ intent: "change-password", currentPassword: PASSWORD, newPassword: `${PASSWORD}!` }, 302],
    ];
    for (const [form, status] of accountForms) {
      const response = await postForm(context.request, "/account", { ...form, ...claims });
      expect(response.status(), form.intent).toBe(status);
    }
    // Deleting goes by the session alone: the attacker's own account (once their guest) goes, nothing else.
    const deletion = await postForm(context.request, "/account", {
      intent: "delete-account",
      password: `${PASSWORD}!`,
      ...claims,
    });
    expect(deletion.status()).toBe(302);
    expect(await rowsOfUser(attacker.userId)).toEqual({
      users: 0,
      sessions: 0,
      chats: 0,
      projects: 0,
      messages: 0,
    });
  } finally {
    await context.close();
  }

  expect((await victim.chatIds()).sort()).toEqual([...victimChats].sort());
  expect(await rowsOfUser(victim.userId)).toMatchObject({ users: 1, sessions: 1, chats: 2 });
  expect(await rowsOfUser(victimAccount.userId)).toMatchObject({ users: 1, chats: 1 });
  const owners = await e2eData()
    .database.db.selectFrom("chats")
    .select("user_id")
    .where("id", "in", [...victimChats, ...victimAccountChats])
    .execute();
  expect(owners.map((row) => row.user_id).sort()).toEqual(
    [victim.userId, victim.userId, victimAccount.userId].sort(),
  );
  // And the victim's account password still works.
  const check = await browser.newContext();
  try {
    expect(
      (await postForm(check.request, "/login", { email: victimAccount.email, password: PASSWORD })).status(),
    ).toBe(302);
  } finally {
    await check.close();
  }
});
