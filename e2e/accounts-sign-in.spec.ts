import { startAppInstance } from "./support/app-instance";
import { extraInstancePort } from "./support/environment";
import { test, expect } from "./support/fixtures";
import {
  accountBar,
  createAccount,
  expectSignedInAs,
  expectSignedOut,
  PASSWORD,
  postForm,
  signInContext,
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

const WRONG = "That email and password do not match an account.";

test.describe("with JavaScript", () => {
  test("sign up, sign out and sign in again; the sidebar says who is signed in", async ({ page }) => {
    const email = uniqueEmail("js");
    await page.goto("/chats");
    await expectSignedOut(page);
    await accountBar(page).getByRole("link", { name: "Sign up" }).click();
    await expect(page).toHaveURL(/\/join$/);
    // Typed with spaces and capitals: stored trimmed and in lower case.
    const signUp = page.waitForRequest(
      (request) => request.method() === "POST" && request.url().includes("/join.data"),
    );
    await submitCredentials(page, ` ${email.toUpperCase()} `, PASSWORD, "Sign up");
    await signUp; // sent by the page's script, not as a document
    await expect(page).toHaveURL(/\/chats$/);
    await expectSignedInAs(page, email);

    await accountBar(page).getByRole("button", { name: "Sign out" }).click();
    await expectSignedOut(page);

    await accountBar(page).getByRole("link", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await submitCredentials(page, email, "not the password", "Sign in");
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    await submitCredentials(page, email.toUpperCase(), PASSWORD, "Sign in");
    await expect(page).toHaveURL(/\/chats$/);
    await expectSignedInAs(page, email);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up, sign out and sign in again with plain form posts", async ({ page }) => {
    const email = uniqueEmail("nojs");
    const taken = await createAccount(uniqueEmail("taken"));
    await page.goto("/join");
    await submitCredentials(page, taken.email, PASSWORD, "Sign up");
    await expect(
      page.getByText("This email cannot be used to sign up. If you have an account, sign in."),
    ).toBeVisible();
    // The refused form keeps the email (never the password).
    await expect(page.getByLabel("Email")).toHaveValue(taken.email);
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
    await submitCredentials(page, email, PASSWORD, "Sign up");
    await expect(page).toHaveURL(/\/chats$/);
    await expectSignedInAs(page, email);

    await accountBar(page).getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/chats$/);
    await expectSignedOut(page);

    await page.goto("/login");
    await submitCredentials(page, uniqueEmail("nobody"), PASSWORD, "Sign in");
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    await submitCredentials(page, email, PASSWORD, "Sign in");
    await expect(page).toHaveURL(/\/chats$/);
    await expectSignedInAs(page, email);
    // Signed in, the sign-in page sends you on.
    await page.goto("/login");
    await expect(page).toHaveURL(/\/chats$/);
  });
});

test("a second browser signs in to the same account, sees the same chats, and each sees the other's changes by the sync check", async ({
  page,
  browser,
}) => {
  const account = await createAccount(uniqueEmail("two-devices"));
  await signInContext(page.context(), account);
  await page.goto("/chats");
  await expectSignedInAs(page, account.email);
  await sendWithEnter(page, "Written on the laptop");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  const firstChat = chatIdOf(page);

  const phoneContext = await browser.newContext();
  try {
    const phone = await phoneContext.newPage();
    await phone.goto("/login");
    await submitCredentials(phone, account.email, PASSWORD, "Sign in");
    await expectSignedInAs(phone, account.email);
    await expect(chatLink(phone, firstChat)).toBeVisible();

    // A rename on the phone reaches the laptop's sidebar without a reload.
    await phone.goto(`/chats/${firstChat}`);
    await renameOpenChat(phone, "Renamed on the phone");
    await expect(chatLink(page, firstChat)).toHaveText("Renamed on the phone");

    // A new chat on the laptop reaches the phone's sidebar.
    await page.goto("/chats");
    await sendWithEnter(page, "A second chat, from the laptop");
    await expect(page).toHaveURL(CHAT_URL);
    await expect(chatLink(phone, chatIdOf(page))).toBeVisible();
  } finally {
    await phoneContext.close();
  }
});

test("an unknown email is refused in the same words, with the same status and in about the same time as a wrong password", async ({
  request,
}) => {
  // One account per wrong password: the sign-in throttle delays a sixth failure for one email.
  const accounts = await Promise.all(Array.from({ length: 7 }, () => createAccount(uniqueEmail("timing"))));
  const attempt = async (email: string) => {
    const started = performance.now();
    const response = await postForm(request, "/login", { email, password: "not the password" });
    const elapsed = performance.now() - started;
    return { status: response.status(), text: await response.text(), elapsed };
  };
  const wrongPassword: number[] = [];
  const unknownEmail: number[] = [];
  // Interleaved, so a busy moment on the machine falls on both.
  for (const account of accounts) {
    const wrong = await attempt(account.email);
    const unknown = await attempt(uniqueEmail("unknown"));
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.text).toContain(WRONG);
    expect(unknown.text).toContain(WRONG);
    wrongPassword.push(wrong.elapsed);
    unknownEmail.push(unknown.elapsed);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  // Both pay for one argon2 verification; without the dummy hash an unknown email answered
  // in a fraction of a wrong password's time (seen: 20 ms against 70 ms).
  expect(median(unknownEmail)).toBeGreaterThan(0.6 * median(wrongPassword));
  expect(median(unknownEmail)).toBeLessThan(1.6 * median(wrongPassword));
});

test("the sign-in form is throttled: repeated wrong passwords get a 429 with Retry-After, and the right password from another address still works", async ({
  browser,
}) => {
  // Addresses come from X-Forwarded-For here, as behind a proxy; four failures an hour per address.
  const instance = await startAppInstance(extraInstancePort(33), {
    TRUST_PROXY: "true",
    SIGNIN_FAILURES_PER_IP_PER_HOUR: "4",
  });
  const account = await createAccount(uniqueEmail("throttled"));
  const guesser = await browser.newContext({
    baseURL: instance.url,
    extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.7" },
  });
  const owner = await browser.newContext({
    baseURL: instance.url,
    extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.9" },
  });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await postForm(guesser.request, "/login", {
        email: account.email,
        password: `guess ${attempt}`,
      });
      expect(wrong.status()).toBe(400);
    }
    const page = await guesser.newPage();
    await page.goto("/login");
    await submitCredentials(page, account.email, "guess 4", "Sign in");
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    // The fifth, in the form: refused before any password work, the reason next to the email.
    await submitCredentials(page, account.email, "guess 5", "Sign in");
    await expect(
      page.getByText(/^Too many sign-in attempts\. Try again in \d+ (minutes?|hour)\.$/),
    ).toBeVisible();
    const refused = await postForm(guesser.request, "/login", { email: account.email, password: PASSWORD });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused.headers()["set-cookie"]).toBeUndefined();
    const signedIn = await postForm(owner.request, "/login", { email: account.email, password: PASSWORD });
    expect(signedIn.status()).toBe(302);
  } finally {
    await guesser.close();
    await owner.close();
    await instance.stop();
  }
});
