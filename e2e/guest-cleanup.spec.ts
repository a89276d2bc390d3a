import { request as requests, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { startAppInstance } from "./support/app-instance";
import { E2E_APP_PORT } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * A running instance deletes, on its own, guests who have nothing left (here: their only chat
 * deleted) once the grace period has passed, and keeps those who wrote something. Short
 * settings (a run every second, two seconds of grace) and a database of its own.
 */
const PORT = E2E_APP_PORT + 8;

const newChatForm = (content: string) => ({
  intent: "send",
  content,
  clientId: crypto.randomUUID().replaceAll("-", ""),
});

test("guests with nothing left are deleted by the running instance, writers are kept", async () => {
  test.setTimeout(60_000);
  const database = await createEmptyPostgresDatabase();
  const instance = await startAppInstance(
    PORT,
    {
      DATABASE_URL: database.url,
      REDIS_URL: "",
      CLEANUP_INTERVAL_SECONDS: "1",
      CLEANUP_GUEST_GRACE_SECONDS: "2",
    },
    { echo: false },
  );
  const client = new pg.Client({ connectionString: database.url });
  const contexts: APIRequestContext[] = [];
  const startChat = async (content: string) => {
    const guest = await requests.newContext({ baseURL: instance.url });
    contexts.push(guest);
    const created = await guest.post("/chats?index", { form: newChatForm(content), maxRedirects: 0 });
    expect(created.status()).toBe(302);
    return { guest, chatPath: created.headers().location };
  };
  try {
    await client.connect();
    const users = async () => (await client.query<{ id: string }>("select id from users")).rows.length;

    const writer = await startChat("I stay");
    for (let index = 0; index < 5; index += 1) {
      const { guest, chatPath } = await startChat(`Gone soon ${index}`);
      const deleted = await guest.post(chatPath, {
        form: { intent: "delete", redirectTo: "/chats" },
        maxRedirects: 0,
      });
      expect(deleted.status()).toBe(302);
    }
    expect(await users()).toBe(6);

    await expect.poll(users, { timeout: 15_000 }).toBe(1);
    expect((await writer.guest.get(writer.chatPath)).status()).toBe(200);
  } finally {
    for (const context of contexts) await context.dispose();
    await client.end();
    await instance.stop();
    await database.drop();
  }
});
