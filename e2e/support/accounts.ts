import { expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { insertAccount } from "#db/repositories/accounts";
import { uuidv7 } from "#db/ids";
import { hashPassword } from "#app/services/password.server";
import { sidebar } from "./chat";
import { e2eData } from "./database";
import { E2E_APP_URL } from "./environment";

/** Helpers for the account specs: unique emails, accounts made directly, and the sidebar's account bar. */
export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export interface Account {
  userId: string;
  email: string;
  password: string;
}

/** An account made the way `npm run user:create` makes one, with no session. */
export async function createAccount(email = uniqueEmail("account"), password = PASSWORD): Promise<Account> {
  const userId = uuidv7();
  await insertAccount(e2eData().database.db, {
    id: userId,
    email,
    passwordHash: await hashPassword(password),
  });
  return { userId, email, password };
}

/** Signs a browser context in through the sign-in action, as a form post without JavaScript would. */
export async function signInContext(context: BrowserContext, account: Account, baseUrl = E2E_APP_URL) {
  const response = await postForm(context.request, `${baseUrl}/login`, {
    email: account.email,
    password: account.password,
  });
  expect(response.status(), "sign-in answers with a redirect").toBe(302);
}

/** A form POST that does not follow the redirect. */
export function postForm(request: APIRequestContext, url: string, form: Record<string, string>) {
  return request.post(url, { form, maxRedirects: 0 });
}

/** The sidebar's account group: the email with Sign out, or Sign in / Sign up for a guest. */
export const accountBar = (page: Page) => sidebar(page).getByRole("group", { name: "Your account" });

export async function expectSignedInAs(page: Page, email: string): Promise<void> {
  await expect(accountBar(page).getByRole("link", { name: email })).toBeVisible();
  await expect(accountBar(page).getByRole("button", { name: "Sign out" })).toBeVisible();
}

export async function expectSignedOut(page: Page): Promise<void> {
  await expect(accountBar(page).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(accountBar(page).getByRole("button", { name: "Sign out" })).toHaveCount(0);
}

/** Fills and sends the sign-up or sign-in form on the page it is on. */
export async function submitCredentials(page: Page, email: string, password: string, button: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: button, exact: true }).click();
}

/** Chats (without messages) of any user, stored the way the app stores them. */
export async function seedChatsFor(userId: string, titles: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const title of titles) {
    const id = uuidv7();
    await e2eData().chats.createChat({ id, userId, title, titleSource: "derived" }, []);
    ids.push(id);
  }
  return ids;
}

/** How many rows of each kind a user still has, for "nothing of theirs is left". */
export async function rowsOfUser(userId: string) {
  const db = e2eData().database.db;
  const [users, sessions, chats, projects, messages] = await Promise.all([
    db.selectFrom("users").select("id").where("id", "=", userId).execute(),
    db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute(),
    db.selectFrom("chats").select("id").where("user_id", "=", userId).execute(),
    db.selectFrom("projects").select("id").where("user_id", "=", userId).execute(),
    db
      .selectFrom("messages")
      .innerJoin("chats", "chats.id", "messages.chat_id")
      .select("messages.id")
      .where("chats.user_id", "=", userId)
      .execute(),
  ]);
  return {
    users: users.length,
    sessions: sessions.length,
    chats: chats.length,
    projects: projects.length,
    messages: messages.length,
  };
}
