import pg from "pg";
import { startPgBouncer, type TestPgBouncer } from "#db/testing/pgbouncer";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import {
  accountBar,
  expectSignedInAs,
  expectSignedOut,
  PASSWORD,
  submitCredentials,
  uniqueEmail,
} from "./support/accounts";
import { startAppInstance, type AppInstance } from "./support/app-instance";
import { CHAT_URL, expectReplyComplete, readMessages, renameOpenChat, sendWithEnter } from "./support/chat";
import { extraInstancePort } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * Parley behind PgBouncer in transaction-pooling mode, configured as the README says:
 * DATABASE_URL through PgBouncer with DB_POOLER=pgbouncer, migrations on a direct
 * MIGRATION_DATABASE_URL, the Postgres-side limits set on the database. A person signs up,
 * chats (with the fake model's replies), renames, signs out and in again: every request's
 * statements go through PgBouncer, where no session state survives between transactions.
 */
const PORT = extraInstancePort(62);

let bouncer: TestPgBouncer;
let database: { url: string; drop(): Promise<void> };
let instance: AppInstance;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  database = await createEmptyPostgresDatabase();
  const name = new URL(database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  // What an operator does behind PgBouncer (the values are Parley's defaults).
  await admin.query(`alter database ${name} set statement_timeout = '3s'`);
  await admin.query(`alter database ${name} set lock_timeout = '2s'`);
  await admin.query(`alter database ${name} set idle_in_transaction_session_timeout = '10s'`);
  await admin.end();
  const target = new URL(database.url);
  bouncer = await startPgBouncer({ host: target.hostname, port: Number(target.port || 5432) });
  instance = await startAppInstance(PORT, {
    DATABASE_URL: bouncer.through(database.url),
    DB_POOLER: "pgbouncer",
    MIGRATION_DATABASE_URL: database.url,
  });
});

test.afterAll(async () => {
  await instance?.stop();
  await bouncer?.stop();
  await database?.drop();
});

test("sign up, chat, rename, sign out and in again, all through PgBouncer in transaction mode", async ({
  page,
}) => {
  const name = new URL(database.url).pathname.slice(1);
  const before = await bouncer.transactions(name);
  const email = uniqueEmail("pgbouncer");

  await page.goto(`${instance.url}/chats`);
  await sendWithEnter(page, "First, as a guest");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  const chatUrl = page.url();

  await accountBar(page).getByRole("link", { name: "Sign up" }).click();
  await submitCredentials(page, email, PASSWORD, "Sign up");
  await expectSignedInAs(page, email);
  // The guest's chat came along.
  await page.goto(chatUrl);
  await sendWithEnter(page, "Second, signed in");
  await expectReplyComplete(page, 4);
  await renameOpenChat(page, "Pooled chat");

  await accountBar(page).getByRole("button", { name: "Sign out" }).click();
  await expectSignedOut(page);
  await accountBar(page).getByRole("link", { name: "Sign in" }).click();
  await submitCredentials(page, email, PASSWORD, "Sign in");
  await expectSignedInAs(page, email);
  await page.getByRole("link", { name: "Pooled chat" }).click();
  await expect(page).toHaveURL(chatUrl);
  await expectReplyComplete(page, 4);
  const texts = (await readMessages(page)).filter((row) => row.who === "You said").map((row) => row.text);
  expect(texts).toEqual(["First, as a guest", "Second, signed in"]);

  // The statements went through PgBouncer, which refused nothing and logged no error.
  await expect.poll(() => bouncer.transactions(name), { timeout: 5_000 }).toBeGreaterThan(before + 20);
  expect(bouncer.log()).not.toMatch(/unsupported startup parameter|pooler error/);
  // The limits set on the database reached the pooled connections: no warning at start.
  expect(instance.errorLog()).not.toMatch(/Postgres-side limits|unhandled server error|request failed/);
});
