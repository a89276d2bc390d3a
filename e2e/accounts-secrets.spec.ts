import { startAppInstance } from "./support/app-instance";
import { test, expect } from "./support/fixtures";
import {
  expectSignedInAs,
  expectSignedOut,
  accountBar,
  submitCredentials,
  uniqueEmail,
} from "./support/accounts";
import { e2eData } from "./support/database";
import { extraInstancePort } from "./support/environment";

/**
 * Every account flow on an instance that logs everything (LOG_LEVEL=debug, stdout and stderr
 * kept), every response the browser and the test receive kept too: no password, typed right
 * or wrong, and no hash appears in any of them.
 */
test("no response or log line ever holds a password or its hash", async ({ browser }) => {
  test.setTimeout(90_000);
  const instance = await startAppInstance(extraInstancePort(31), { LOG_LEVEL: "debug" });
  const context = await browser.newContext({ baseURL: instance.url });
  const seen: string[] = [];
  context.on("response", async (response) => {
    seen.push(JSON.stringify(await response.allHeaders()));
    seen.push(await response.text().catch(() => ""));
  });
  const keep = async (response: {
    headersArray(): { name: string; value: string }[];
    text(): Promise<string>;
  }) => {
    seen.push(JSON.stringify(response.headersArray()), await response.text());
  };
  const email = uniqueEmail("secrets");
  const first = "first secret passphrase 1";
  const second = "second secret passphrase 2";
  const wrongs = ["wrong secret passphrase 3", "wrong secret passphrase 4", "wrong secret passphrase 5"];
  const overLong = `over-long-${"Z".repeat(1_100)}`;
  const hashes: string[] = [];
  const hashOf = async () =>
    (
      await e2eData()
        .database.db.selectFrom("users")
        .select("password_hash")
        .where("email", "=", email)
        .executeTakeFirstOrThrow()
    ).password_hash ?? "";
  try {
    const page = await context.newPage();
    await page.goto("/join");
    await submitCredentials(page, email, first, "Sign up");
    await expectSignedInAs(page, email);
    hashes.push(await hashOf());
    await accountBar(page).getByRole("button", { name: "Sign out" }).click();
    await expectSignedOut(page);

    await page.goto("/login");
    await submitCredentials(page, email, wrongs[0], "Sign in");
    await expect(page.getByRole("alert")).toBeVisible();
    await submitCredentials(page, uniqueEmail("unknown"), wrongs[1], "Sign in");
    await expect(page.getByRole("alert")).toBeVisible();
    await submitCredentials(page, email, first, "Sign in");
    await expectSignedInAs(page, email);

    await page.goto("/account");
    await page.getByLabel("Current password").fill(wrongs[2]);
    await page.getByLabel("New password").fill(second);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password.")).toBeVisible();
    await page.getByLabel("Current password").fill(first);
    await page.getByLabel("New password").fill(second);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toBeVisible();
    hashes.push(await hashOf());

    // Refusals of bad input, sent as a script would (signing in and up from a browser with no session).
    const stranger = await browser.newContext({ baseURL: instance.url });
    for (const [request, url, form] of [
      [stranger.request, "/login", { email, password: overLong }],
      [stranger.request, "/join", { email: uniqueEmail("long"), password: overLong }],
      [
        context.request,
        "/account",
        { intent: "change-password", currentPassword: second, newPassword: overLong },
      ],
      [context.request, "/account", { intent: "delete-account", password: wrongs[0] }],
    ] as const) {
      const response = await request.post(url, { form: { ...form }, maxRedirects: 0 });
      expect(response.status(), url).toBe(400);
      await keep(response);
    }
    await stranger.close();

    await page.goto("/account");
    await page.getByLabel("Password", { exact: true }).fill(second);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expectSignedOut(page);
  } finally {
    await context.close();
    await instance.stop();
  }

  const log = instance.output();
  // The log did record the flows (so finding nothing in it means something).
  expect(log).toContain("account created userId=");
  expect(log).toContain("sign-in refused");
  expect(log).toContain("password changed userId=");
  expect(log).toContain("method=POST url=/login status=400");
  expect(hashes.every((hash) => hash.startsWith("$argon2id$"))).toBe(true);
  const secrets = [first, second, ...wrongs, overLong, ...hashes];
  const encodings = (secret: string) => [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
  const haystacks = { log, responses: seen.join("\n") };
  for (const [where, text] of Object.entries(haystacks)) {
    for (const secret of secrets)
      for (const form of encodings(secret))
        expect(text.includes(form), `${where}: ${form.slice(0, 40)}…`).toBe(false);
    expect(text.includes("$argon2"), `${where}: an argon2 hash`).toBe(false);
  }
  expect(seen.length).toBeGreaterThan(20);
});
