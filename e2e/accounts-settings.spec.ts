import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startAppInstance, type AppInstance } from "./support/app-instance";
import { test, expect, signInGuest } from "./support/fixtures";
import { expectSignedInAs, PASSWORD, postForm, submitCredentials, uniqueEmail } from "./support/accounts";
import { CHAT_URL, chatLink, expectReplyComplete, sendWithEnter } from "./support/chat";
import { e2eData } from "./support/database";
import { appEnvironment, extraInstancePort } from "./support/environment";

const run = promisify(execFile);

/** `npm run user:create`, as a self-hoster types it, against the e2e database. */
async function userCreate(email: string, password: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "parley-user-")), "password");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return run("npm", ["run", "--silent", "user:create", "--", "--email", email, "--password-file", file], {
    env: { ...process.env, ...appEnvironment(0) },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr,
    }),
  );
}

const countUsers = async () =>
  Number(
    (
      await e2eData()
        .database.db.selectFrom("users")
        .select((eb) => eb.fn.countAll<string>().as("count"))
        .executeTakeFirstOrThrow()
    ).count,
  );

/** A private family instance: SIGNUPS=closed GUESTS=off. */
test.describe("SIGNUPS=closed GUESTS=off", () => {
  let instance: AppInstance;
  test.beforeAll(async () => {
    instance = await startAppInstance(extraInstancePort(32), { SIGNUPS: "closed", GUESTS: "off" });
  });
  test.afterAll(async () => {
    await instance?.stop();
  });

  test("pages ask you to sign in, writes make no guest, and sign-ups are refused", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: instance.url });
    try {
      const page = await context.newPage();
      await page.goto("/chats");
      await expect(page).toHaveURL(/\/login\?redirectTo=%2Fchats$/);
      await expect(page.getByText("Sign in to use this Parley.")).toBeVisible();
      await expect(page.getByRole("link", { name: "Sign up" })).toHaveCount(0);

      const usersBefore = await countUsers();
      const write = await postForm(context.request, "/chats?index", {
        intent: "send",
        content: "Let me in",
        clientId: "closed-instance-write-1",
      });
      expect(write.status()).toBe(302);
      expect(write.headers().location).toBe("/login");
      const signUp = await postForm(context.request, "/join", {
        email: uniqueEmail("closed"),
        password: PASSWORD,
      });
      expect(signUp.status()).toBe(403);
      expect(await signUp.text()).toContain("Sign-ups are closed on this Parley.");
      expect(await countUsers()).toBe(usersBefore);

      await page.goto("/join");
      await expect(page.getByRole("heading", { name: "Sign-ups are closed" })).toBeVisible();
      await expect(page.getByLabel("Email")).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  test("an account made with npm run user:create signs in and chats", async ({ browser }) => {
    const email = uniqueEmail("family");
    const created = await userCreate(email.toUpperCase(), PASSWORD);
    expect(created).toMatchObject({ code: 0 });
    expect(created.output).toContain(`created the account ${email}`);
    expect(created.output).not.toContain(PASSWORD);
    const again = await userCreate(email, "another password");
    expect(again.code).toBe(1);
    expect(again.output).toContain("exists already");
    expect((await userCreate(uniqueEmail("short"), "short")).output).toContain("at least 8 characters");

    const context = await browser.newContext({ baseURL: instance.url });
    try {
      const page = await context.newPage();
      await page.goto("/chats");
      await submitCredentials(page, email, PASSWORD, "Sign in");
      await expect(page).toHaveURL(/\/chats$/);
      await expectSignedInAs(page, email);
      await sendWithEnter(page, "Hello from the family instance");
      await expect(page).toHaveURL(CHAT_URL);
      await expectReplyComplete(page, 2);
    } finally {
      await context.close();
    }
  });

  test("a guest from before guests were turned off is asked to sign in, and keeps the chats by signing in", async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: instance.url });
    try {
      const guest = await signInGuest(context, instance.url);
      const [chatId] = await guest.seedChats(1, () => "Made before the switch");
      const email = uniqueEmail("switch");
      expect((await userCreate(email, PASSWORD)).code).toBe(0);
      const page = await context.newPage();
      await page.goto(`/chats/${chatId}`);
      await expect(page).toHaveURL(/\/login\?redirectTo=/);
      await submitCredentials(page, email, PASSWORD, "Sign in");
      await expect(page).toHaveURL(new RegExp(`/chats/${chatId}$`));
      await expect(chatLink(page, chatId)).toHaveText("Made before the switch");
    } finally {
      await context.close();
    }
  });
});
