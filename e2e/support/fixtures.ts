import { test as base, expect, type BrowserContext } from "@playwright/test";
import { uuidv7 } from "../../db/ids";
import { createSession } from "../../db/repositories/sessions";
import { createGuestUser } from "../../db/repositories/users";
import { createSessionCookie, newSessionId } from "../../app/services/session-cookie.server";
import { enqueueBehaviours, recordedRequests, resetFake, type Behaviour, type RecordedRequest } from "../fake-llm/control-client";
import { closeE2eData, e2eData } from "./database";
import { E2E_APP_URL, E2E_FAKE_LLM_URL, E2E_SESSION_SECRET } from "./environment";
import { acquireModelLock, type ModelAccess } from "./model-lock";

export type { ModelAccess } from "./model-lock";

export interface Guest {
  userId: string;
  /** Seeds `count` chats (oldest first, one message each) the way the app stores them. */
  seedChats(count: number, title?: (index: number) => string): Promise<string[]>;
}

/** Signs a context in as a new guest: a user and session row, and the signed cookie. */
export async function signInGuest(context: BrowserContext, baseUrl = E2E_APP_URL): Promise<Guest> {
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
  await context.addCookies([
    { name: pair.slice(0, separator), value: pair.slice(separator + 1), url: baseUrl, httpOnly: true, sameSite: "Lax" },
  ]);
  return {
    userId,
    async seedChats(count, title = (index) => `Seeded chat ${index + 1}`) {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const chatId = uuidv7();
        await chats.createChat({ id: chatId, userId, title: title(index), titleSource: "derived" }, [
          { id: uuidv7(), chatId: "", role: "user", content: `Message in ${title(index)}`, status: "complete", clientId: uuidv7() },
        ]);
        ids.push(chatId);
      }
      return ids;
    },
  };
}

/** The fake model as a test sees it. `enqueue` needs `test.use({ modelAccess: "exclusive" })`. */
export interface FakeModel {
  enqueue(...behaviours: Behaviour[]): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
}

/**
 * Takes the fake model for a test (see model-lock.ts): exclusively, starting from an empty
 * queue with no request from another test still arriving; or shared, for the default reply.
 */
export async function holdFakeModel(access: ModelAccess): Promise<{ model: FakeModel; release(): Promise<void> }> {
  const unlock = await acquireModelLock(access);
  const exclusive = access === "exclusive";
  if (exclusive) {
    // A reply or title request of a test that just ended may still be on its way: wait for quiet.
    await resetFake(E2E_FAKE_LLM_URL);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      if ((await recordedRequests(E2E_FAKE_LLM_URL)).length === 0) break;
      await resetFake(E2E_FAKE_LLM_URL);
    }
  }
  return {
    model: {
      async enqueue(...behaviours) {
        if (!exclusive) throw new Error('Scripting the fake model needs test.use({ modelAccess: "exclusive" }).');
        await enqueueBehaviours(E2E_FAKE_LLM_URL, behaviours);
      },
      requests: () => recordedRequests(E2E_FAKE_LLM_URL),
    },
    async release() {
      try {
        if (exclusive) await resetFake(E2E_FAKE_LLM_URL);
      } finally {
        unlock();
      }
    },
  };
}

export const test = base.extend<{ guest: Guest; modelAccess: ModelAccess; fakeModel: FakeModel }>({
  guest: async ({ context }, use) => {
    await use(await signInGuest(context));
  },
  /** How the test uses the fake model; "shared" (the default reply) unless a spec says otherwise. */
  modelAccess: ["shared", { option: true }],
  fakeModel: [
    async ({ modelAccess }, use) => {
      const held = await holdFakeModel(modelAccess);
      try {
        await use(held.model);
      } finally {
        await held.release();
      }
    },
    { auto: true },
  ],
});

test.afterAll(async () => {
  await closeE2eData();
});

export { expect };
