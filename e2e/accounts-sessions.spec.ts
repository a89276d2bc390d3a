import type { Browser, BrowserContext } from "@playwright/test";
import { startAppInstance } from "./support/app-instance";
import { test, expect } from "./support/fixtures";
import {
  createAccount,
  expectSignedOut,
  PASSWORD,
  postForm,
  seedChatsFor,
  signInContext,
  uniqueEmail,
  type Account,
} from "./support/accounts";
import { chatLink } from "./support/chat";
import { extraInstancePort } from "./support/environment";

const FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";

/** Another browser, signed in to `account`. */
async function otherBrowser(browser: Browser, account: Account, userAgent?: string): Promise<BrowserContext> {
  const context = await browser.newContext(userAgent ? { userAgent } : {});
  await signInContext(context, account);
  return context;
}

test("a session signed out from the account page is refused at once by the other browser and by a second instance", async ({
  page,
  browser,
}) => {
  const account = await createAccount(uniqueEmail("sessions"));
  const [chatId] = await seedChatsFor(account.userId, ["Shared chat"]);
  await signInContext(page.context(), account);
  const laptop = await otherBrowser(browser, account, FIREFOX_ON_WINDOWS);
  const second = await startAppInstance(extraInstancePort(30));
  try {
    const laptopPage = await laptop.newPage();
    await laptopPage.goto(`/chats/${chatId}`);
    await expect(chatLink(laptopPage, chatId)).toBeVisible();
    // Both instances have the laptop's session look-up cached.
    for (const origin of ["", second.url]) {
      expect((await laptop.request.get(`${origin}/chats/${chatId}`)).status()).toBe(200);
      expect(
        await (await laptop.request.get(`${origin}/resources/sync?chat=${chatId}`)).json(),
      ).toMatchObject({
        chat: expect.any(Number),
      });
    }

    await page.goto("/account");
    const sessions = page.getByRole("region", { name: "Where you are signed in" }).getByRole("listitem");
    await expect(sessions).toHaveCount(2);
    await expect(sessions.filter({ hasText: "This browser" })).toContainText("Chrome on Linux");
    await page.getByRole("button", { name: /^Sign out Firefox on Windows/ }).click();
    await expect(page.getByRole("status")).toHaveText("That session is signed out.");
    const endedAt = Date.now();
    await expect(sessions).toHaveCount(1);

    for (const origin of ["", second.url]) {
      await expect
        .poll(async () => (await laptop.request.get(`${origin}/chats/${chatId}`)).status(), {
          intervals: [50],
          timeout: 2_000,
        })
        .toBe(404);
      await expect
        .poll(async () => (await laptop.request.get(`${origin}/resources/sync?chat=${chatId}`)).json(), {
          intervals: [50],
          timeout: 2_000,
        })
        .toEqual({ list: 0, chat: null });
    }
    expect(Date.now() - endedAt).toBeLessThan(1_500);
    // The laptop's open page learns it by its next sync check: signed out, nothing shown.
    await expectSignedOut(laptopPage);
    await expect(chatLink(laptopPage, chatId)).toHaveCount(0);
  } finally {
    await second.stop();
    await laptop.close();
  }
});

test("signing out everywhere else, and changing the password, end every other session but this one", async ({
  page,
  browser,
}) => {
  const account = await createAccount(uniqueEmail("everywhere"));
  await signInContext(page.context(), account);
  const others = [await otherBrowser(browser, account), await otherBrowser(browser, account)];
  const signedIn = async (context: BrowserContext) =>
    (await context.request.get("/account")).text().then((html) => html.includes("Signed in as"));
  try {
    expect(await Promise.all(others.map(signedIn))).toEqual([true, true]);
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByRole("status")).toHaveText("Every other session is signed out.");
    await expect
      .poll(() => Promise.all(others.map(signedIn)), { intervals: [100], timeout: 2_000 })
      .toEqual([false, false]);
    expect(await signedIn(page.context())).toBe(true);

    for (const context of others) await signInContext(context, account);
    expect(await Promise.all(others.map(signedIn))).toEqual([true, true]);
    const newPassword = `${PASSWORD} and more`;
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "Your password is changed, and every other session is signed out.",
    );
    await expect
      .poll(() => Promise.all(others.map(signedIn)), { intervals: [100], timeout: 2_000 })
      .toEqual([false, false]);
    expect(await signedIn(page.context())).toBe(true);

    const fresh = others[0];
    expect(
      (await postForm(fresh.request, "/login", { email: account.email, password: PASSWORD })).status(),
    ).toBe(400);
    expect(
      (await postForm(fresh.request, "/login", { email: account.email, password: newPassword })).status(),
    ).toBe(302);
  } finally {
    for (const context of others) await context.close();
  }
});
