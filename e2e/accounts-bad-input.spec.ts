import { test, expect } from "./support/fixtures";
import { createAccount, PASSWORD, postForm, signInContext, uniqueEmail } from "./support/accounts";
import { e2eData } from "./support/database";

const MALFORMED = "Enter an email address like name@example.com.";
const NUL_PASSWORD = "Passwords cannot contain a NUL character.";
const LONG_PASSWORD = "Passwords can be at most 1,024 characters.";
const LONG_EMAIL = "Emails can be at most 254 characters.";

/** A NUL byte, an over-long value and a malformed email, in every field of every account form. */
function credentialCases(email: string): Array<[string, Record<string, string>, string]> {
  return [
    ["NUL in the email", { email: "ada\0@example.com", password: PASSWORD }, MALFORMED],
    ["malformed email", { email: "ada at example dot com", password: PASSWORD }, MALFORMED],
    ["over-long email", { email: `${"a".repeat(300)}@example.com`, password: PASSWORD }, LONG_EMAIL],
    ["NUL in the password", { email, password: "correct horse\0battery" }, NUL_PASSWORD],
    ["over-long password", { email, password: "p".repeat(1_025) }, LONG_PASSWORD],
    [
      "NUL in the return address",
      { email, password: PASSWORD, redirectTo: "/chats\0" },
      "Invalid return address.",
    ],
    [
      "over-long return address",
      { email, password: PASSWORD, redirectTo: `/${"a".repeat(2_100)}` },
      "Invalid return address.",
    ],
  ];
}

test("every sign-up and sign-in field answers bad input with a 400 and a message for the field, and stores nothing", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const email = uniqueEmail("bad-input");
  try {
    for (const url of ["/join", "/login"]) {
      for (const [name, form, message] of credentialCases(email)) {
        // As a document (no JavaScript) and as the page's script sends it (Remix's .data request).
        for (const target of [url, `${url}.data`]) {
          const response = await postForm(context.request, target, form);
          expect(response.status(), `${target} ${name}`).toBe(400);
          expect(await response.text(), `${target} ${name}`).toContain(message);
        }
      }
    }
    // Nothing stored: no account with the well-formed email, and no guest behind the cookie
    // (counting every user would count the other worker's tests too).
    expect(await usersWithEmail(email)).toBe(0);
    const session = (await context.cookies()).find((cookie) => cookie.name === "parley_session");
    expect(session ? sessionUserOf(session.value) : undefined).toBeUndefined();
  } finally {
    await context.close();
  }
});

test("every account-page form answers bad input with a 400 and a message for the field, and changes nothing", async ({
  page,
}) => {
  const account = await createAccount(uniqueEmail("bad-account-input"));
  await signInContext(page.context(), account);
  const cases: Array<[string, Record<string, string>, string]> = [
    [
      "NUL in a session handle",
      { intent: "end-session", session: `${"A".repeat(21)}\0` },
      "Unknown session.",
    ],
    ["over-long session handle", { intent: "end-session", session: "A".repeat(5_000) }, "Unknown session."],
    [
      "NUL in the current password",
      { intent: "change-password", currentPassword: "a\0b", newPassword: `${PASSWORD}!` },
      NUL_PASSWORD,
    ],
    [
      "over-long new password",
      { intent: "change-password", currentPassword: PASSWORD, newPassword: "n".repeat(1_025) },
      LONG_PASSWORD,
    ],
    ["NUL in the deletion password", { intent: "delete-account", password: `${PASSWORD}\0` }, NUL_PASSWORD],
    ["over-long deletion password", { intent: "delete-account", password: "d".repeat(1_025) }, LONG_PASSWORD],
    ["an unknown intent", { intent: "make-me-admin" }, "Unknown action."],
    ["no intent at all", { password: PASSWORD }, "Unknown action."],
  ];
  for (const [name, form, message] of cases) {
    for (const target of ["/account", "/account.data"]) {
      const response = await postForm(page.request, target, form);
      expect(response.status(), `${target} ${name}`).toBe(400);
      expect(await response.text(), `${target} ${name}`).toContain(message);
    }
  }
  // Still the same account, with the same password and its one session.
  expect((await postForm(page.request, "/account", { intent: "end-other-sessions" })).status()).toBe(302);
  await page.goto("/account");
  await expect(page.getByText(`Signed in as ${account.email}.`)).toBeVisible();
});

async function usersWithEmail(email: string): Promise<number> {
  const rows = await e2eData()
    .database.db.selectFrom("users")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .execute();
  return rows.length;
}

/** The user a (signed) session cookie names, if any: its payload is base64 JSON before the signature. */
function sessionUserOf(value: string): string | undefined {
  const payload = decodeURIComponent(value).split(".")[0];
  return (JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as { u?: string }).u;
}
