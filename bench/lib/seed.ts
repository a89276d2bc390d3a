import type { Kysely } from "kysely";
import { createDb } from "#db/client";
import { uuidv7 } from "#db/ids";
import { migrateToLatest } from "#db/migrate";
import type { Database, MessageRole } from "#db/schema";
import { createSessionCookie, newSessionId } from "#app/services/session-cookie.server";
import { seededRandom } from "./stats";

/**
 * The data set: `users` guest users with a live session each, `chatsPerUser` chats each; the
 * first `busyChats` users have one chat of `busyMessages` messages (their most recent chat,
 * the one the open-chat scenario reads); every other chat holds a few messages. Message text
 * is generated prose with markdown (lists, code), sized like real chat traffic (user turns
 * ~40–400 characters, assistant turns ~200–2,500).
 *
 * Rows go in with multi-row INSERTs through Kysely over the app's own schema types (a
 * schema change breaks this at compile time), which is ~100x faster than appending one
 * message at a time through the repositories; the rows are the same the repositories write.
 */
export interface SeedPlan {
  users: number;
  chatsPerUser: number;
  busyChats: number;
  busyMessages: number;
  regularMessagesMin: number;
  regularMessagesMax: number;
}

export interface SeededChat {
  id: string;
  userIndex: number;
  messages: number;
  /** A string only this chat's newest message contains. */
  marker: string;
}

export interface SeededUser {
  id: string;
  sessionId: string;
  /** The Cookie request header value (`parley_session=…`). */
  cookie: string;
  /** Chat ids, most recently active first. */
  chatIds: string[];
  /** A string only this user's most recent chat's title contains. */
  listMarker: string;
}

export interface Fixture {
  plan: SeedPlan;
  users: SeededUser[];
  busy: SeededChat[];
  counts: { users: number; chats: number; messages: number; messageBytes: number };
  seconds: number;
}

export const QUICK_PLAN: SeedPlan = {
  users: 100,
  chatsPerUser: 20,
  busyChats: 10,
  busyMessages: 200,
  regularMessagesMin: 2,
  regularMessagesMax: 12,
};

export const FULL_PLAN: SeedPlan = {
  users: 1000,
  chatsPerUser: 20,
  busyChats: 100,
  busyMessages: 200,
  regularMessagesMin: 2,
  regularMessagesMax: 16,
};

const WORDS = `the a postgres index query cache latency request server client browser message chat
reply model token stream version redis session cookie route loader action form fetcher
render markdown table list budget trip paris train hotel museum recipe flour butter oven
garden tomato soil water sunlight contract clause tenant landlord deposit invoice tax
refund python function loop array string error stack trace deploy docker kubernetes node
memory leak profile flame graph benchmark throughput percentile median tail outage retry
backoff timeout queue worker job schedule calendar meeting agenda notes summary draft
email letter essay paragraph sentence grammar translate french german spanish japanese
because however therefore although while when where which would could should might
quickly slowly carefully usually rarely often always never perhaps probably certainly`
  .split(/\s+/)
  .filter(Boolean);

const TITLES = [
  "Trip planning",
  "Postgres index question",
  "Birthday gift ideas",
  "Refactor the billing module",
  "Sourdough troubleshooting",
  "Cover letter draft",
  "Explain Redis eviction",
  "Garden layout",
  "Tenant rights",
  "Weekly meal plan",
  "Kubernetes memory limits",
  "Translate a letter",
];

function sentence(random: () => number, min: number, max: number): string {
  const count = min + Math.floor(random() * (max - min + 1));
  const words: string[] = [];
  for (let index = 0; index < count; index += 1) words.push(WORDS[Math.floor(random() * WORDS.length)]);
  const text = words.join(" ");
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, sentences: number): string {
  return Array.from({ length: sentences }, () => sentence(random, 6, 18)).join(" ");
}

export function userText(random: () => number): string {
  const roll = random();
  if (roll < 0.5) return sentence(random, 5, 20);
  if (roll < 0.9) return paragraph(random, 2 + Math.floor(random() * 3));
  return `${paragraph(random, 2)}\n\n\`\`\`\n${paragraph(random, 2)}\n\`\`\``;
}

export function assistantText(random: () => number): string {
  const parts: string[] = [paragraph(random, 2 + Math.floor(random() * 3))];
  const roll = random();
  if (roll < 0.4) {
    parts.push(
      Array.from({ length: 3 + Math.floor(random() * 4) }, () => `- ${sentence(random, 4, 12)}`).join("\n"),
    );
  } else if (roll < 0.6) {
    parts.push(
      "```ts\n" +
        Array.from(
          { length: 4 + Math.floor(random() * 8) },
          (_, line) => `const value${line} = compute(${line}); // ${sentence(random, 2, 6)}`,
        ).join("\n") +
        "\n```",
    );
  } else if (roll < 0.7) {
    parts.push(
      "| option | cost | note |\n| --- | --- | --- |\n" +
        Array.from(
          { length: 3 },
          () => `| ${sentence(random, 1, 2)} | ${Math.floor(random() * 100)} | ${sentence(random, 2, 5)} |`,
        ).join("\n"),
    );
  }
  if (random() < 0.6) parts.push(paragraph(random, 1 + Math.floor(random() * 3)));
  return parts.join("\n\n");
}

type MessageInsert = {
  id: string;
  chat_id: string;
  /** Each seeded chat is one branch: every message follows the one before it. */
  parent_id: string | null;
  role: MessageRole;
  content: string;
  status: "complete";
  client_id: string | null;
  model: string | null;
  created_at: Date;
  updated_at: Date;
};

async function insertInBatches<T>(
  rows: T[],
  size: number,
  insert: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += size) await insert(rows.slice(start, start + size));
}

/** Seeds an empty, migrated database (migrates it first). Same plan + seed = same data. */
export async function seedDatabase(
  db: Kysely<Database>,
  plan: SeedPlan,
  sessionSecret: string,
  seed = 1,
): Promise<Fixture> {
  const started = performance.now();
  await migrateToLatest(db);
  const random = seededRandom(seed);
  const cookie = createSessionCookie(sessionSecret, false);
  const now = Date.now();
  const DAY = 86_400_000;
  const users: SeededUser[] = [];
  const busy: SeededChat[] = [];
  let messageCount = 0;
  let messageBytes = 0;
  let chatCount = 0;

  // Users and sessions.
  const userRows: Array<{
    id: string;
    is_guest: boolean;
    list_version: number;
    created_at: Date;
    updated_at: Date;
  }> = [];
  const sessionRows: Array<{ id: string; user_id: string; expires_at: Date; created_at: Date }> = [];
  for (let index = 0; index < plan.users; index += 1) {
    const created = new Date(now - 60 * DAY + index * 1000);
    const id = uuidv7(created.getTime());
    const sessionId = newSessionId();
    userRows.push({
      id,
      is_guest: true,
      list_version: plan.chatsPerUser,
      created_at: created,
      updated_at: created,
    });
    sessionRows.push({
      id: sessionId,
      user_id: id,
      expires_at: new Date(now + 365 * DAY),
      created_at: created,
    });
    const header = (await cookie.serialize({ s: sessionId, u: id })).split(";")[0];
    users.push({ id, sessionId, cookie: header, chatIds: [], listMarker: `bench-u${index}-latest` });
  }
  await insertInBatches(userRows, 1000, (batch) => db.insertInto("users").values(batch).execute());
  await insertInBatches(sessionRows, 1000, (batch) => db.insertInto("sessions").values(batch).execute());

  // Chats and messages, user by user (keeps memory flat for the full plan).
  for (let userIndex = 0; userIndex < plan.users; userIndex += 1) {
    const user = users[userIndex];
    const chatRows: Array<{
      id: string;
      user_id: string;
      title: string;
      title_source: "derived";
      created_at: Date;
      updated_at: Date;
      version: number;
      active_leaf_id: string | null;
    }> = [];
    const messageRows: MessageInsert[] = [];
    for (let chatIndex = 0; chatIndex < plan.chatsPerUser; chatIndex += 1) {
      // chatIndex 0 is the most recently active chat.
      const isBusy = chatIndex === 0 && userIndex < plan.busyChats;
      const count = isBusy
        ? plan.busyMessages
        : plan.regularMessagesMin +
          Math.floor(random() * (plan.regularMessagesMax - plan.regularMessagesMin + 1));
      const lastActivity = now - (chatIndex * 2 + 1) * 3_600_000 - userIndex * 1000;
      const firstActivity = lastActivity - count * 60_000;
      const chatId = uuidv7(firstActivity);
      const title = `${TITLES[(userIndex + chatIndex) % TITLES.length]}${chatIndex === 0 ? ` ${user.listMarker}` : ` #${chatIndex}`}`;
      const marker = `bench-marker-${chatId.slice(-12)}`;
      chatRows.push({
        id: chatId,
        user_id: user.id,
        title,
        title_source: "derived",
        created_at: new Date(firstActivity),
        updated_at: new Date(lastActivity),
        version: count,
        active_leaf_id: null,
      });
      let parentId: string | null = null;
      for (let messageIndex = 0; messageIndex < count; messageIndex += 1) {
        const at = new Date(firstActivity + messageIndex * 60_000 + 1);
        const role: MessageRole = messageIndex % 2 === 0 ? "user" : "assistant";
        let content = role === "user" ? userText(random) : assistantText(random);
        if (messageIndex === count - 1) content = `${content}\n\n${marker}`;
        messageBytes += Buffer.byteLength(content);
        const id = uuidv7(at.getTime());
        messageRows.push({
          id,
          chat_id: chatId,
          parent_id: parentId,
          role,
          content,
          status: "complete",
          client_id: role === "user" ? `seed-${chatId.slice(-12)}-${messageIndex}` : null,
          model: role === "assistant" ? "offline-demo" : null,
          created_at: at,
          updated_at: at,
        });
        parentId = id;
      }
      chatRows[chatRows.length - 1].active_leaf_id = parentId;
      user.chatIds.push(chatId);
      if (isBusy) busy.push({ id: chatId, userIndex, messages: count, marker });
      chatCount += 1;
      messageCount += count;
    }
    await db.insertInto("chats").values(chatRows).execute();
    await insertInBatches(messageRows, 500, (batch) => db.insertInto("messages").values(batch).execute());
  }
  return {
    plan,
    users,
    busy,
    counts: { users: plan.users, chats: chatCount, messages: messageCount, messageBytes },
    seconds: (performance.now() - started) / 1000,
  };
}

/** Seeds Postgres at `databaseUrl` and refreshes the planner's statistics. */
export async function seedPostgres(
  databaseUrl: string,
  plan: SeedPlan,
  sessionSecret: string,
): Promise<Fixture> {
  const handle = createDb({ databaseUrl, maxConnections: 2 });
  try {
    const fixture = await seedDatabase(handle.db, plan, sessionSecret);
    const { sql } = await import("kysely");
    await sql`analyze`.execute(handle.db);
    return fixture;
  } finally {
    await handle.close();
  }
}

/** Seeds an embedded (PGlite) data directory; the app must not have it open. */
export async function seedPglite(dataDir: string, plan: SeedPlan, sessionSecret: string): Promise<Fixture> {
  const handle = createDb({ dataDir });
  try {
    return await seedDatabase(handle.db, plan, sessionSecret);
  } finally {
    await handle.close();
  }
}
