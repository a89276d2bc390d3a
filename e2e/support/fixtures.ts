import { test as base, expect, type BrowserContext } from "@playwright/test";
import { uuidv7 } from "#db/ids";
import { createSession } from "#db/repositories/sessions";
import { createGuestUser } from "#db/repositories/users";
import { createSessionCookie, newSessionId } from "#app/services/session-cookie.server";
import { closeE2eData, e2eData } from "./database";
import { E2E_APP_URL, E2E_SESSION_SECRET } from "./environment";

export interface Guest {
  userId: string;
  /** Seeds `count` chats (oldest first, one message each) the way the app stores them. */
  seedChats(count: number, title?: (index: number) => string): Promise<string[]>;
  /** Appends `count` complete messages, "Message 001" onwards, the person's and Parley's in turn. */
  seedMessages(chatId: string, count: number, startAt?: number): Promise<void>;
  /** The ids of this guest's chats in Postgres (the truth, not the cache), newest activity first. */
  chatIds(): Promise<string[]>;
}

/** Signs a context in as a new guest: a user and session row, and the signed cookie. */
export async function signInGuest(context: BrowserContext, baseUrl = E2E_APP_URL): Promise<Guest> {
  const { cookie, ...guest } = await createGuest();
  await context.addCookies([{ ...cookie, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
  return guest;
}

/** A new guest (a user and session row) and its signed session cookie, for a client of the test's own. */
export async function createGuest(): Promise<Guest & { cookie: { name: string; value: string } }> {
  const { database, chats } = e2eData();
  const userId = uuidv7();
  const sessionId = newSessionId();
  await database.db.transaction().execute(async (trx) => {
    await createGuestUser(trx, userId);
    await createSession(trx, { id: sessionId, userId, expiresAt: new Date(Date.now() + 86_400_000) });
  });
  const header = await createSessionCookie(E2E_SESSION_SECRET, false).serialize({ s: sessionId, u: userId });
  const [pair] = header.split(";");
  const separator = pair.indexOf("=");
  const cookie = { name: pair.slice(0, separator), value: pair.slice(separator + 1) };
  return {
    cookie,
    userId,
    async seedChats(count, title = (index) => `Seeded chat ${index + 1}`) {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const chatId = uuidv7();
        await chats.createChat({ id: chatId, userId, title: title(index), titleSource: "derived" }, [
          {
            id: uuidv7(),
            chatId: "",
            role: "user",
            content: `Message in ${title(index)}`,
            status: "complete",
            clientId: uuidv7(),
          },
        ]);
        ids.push(chatId);
      }
      return ids;
    },
    async seedMessages(chatId, count, startAt = 1) {
      const batch = Array.from({ length: count }, (_, index) => {
        const fromPerson = (startAt + index) % 2 === 1;
        return {
          id: uuidv7(),
          chatId,
          role: fromPerson ? ("user" as const) : ("assistant" as const),
          content: `Message ${String(startAt + index).padStart(3, "0")}`,
          status: "complete" as const,
          clientId: fromPerson ? uuidv7() : null,
        };
      });
      const outcome = await chats.appendMessages(userId, chatId, batch);
      if (outcome.kind !== "appended") throw new Error(`Could not seed messages: ${outcome.kind}`);
    },
    async chatIds() {
      // Every chat, pinned and archived ones too (the sidebar's paged query leaves those out).
      const rows = await database.db
        .selectFrom("chats")
        .select("id")
        .where("user_id", "=", userId)
        .orderBy("updated_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map((chat) => chat.id);
    },
  };
}

export const test = base.extend<{ guest: Guest }>({
  guest: async ({ context }, use) => {
    await use(await signInGuest(context));
  },
});

test.afterAll(async () => {
  await closeE2eData();
});

export { expect };
