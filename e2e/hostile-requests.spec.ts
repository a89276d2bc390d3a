import type { APIRequestContext } from "@playwright/test";
import pg from "pg";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { startAppInstance } from "./support/app-instance";
import { e2eData } from "./support/database";
import { E2E_APP_PORT } from "./support/environment";
import { rawRequest } from "./support/raw-http";
import { expect, test } from "./support/fixtures";

/**
 * Requests from an attacker rather than a browser, each of which answered 500 (and sometimes
 * stored half of a change) before: they get a 4xx that says what was wrong, and nothing is
 * stored.
 */
const NUL = "\u0000";
const noInternals = /\n\s+at |node_modules|TypeError|invalid byte sequence/;

test.describe("requests the server cannot make sense of", () => {
  const cases = [
    { name: "a Host with a space", head: "GET /chats HTTP/1.1\r\nHost: a b\r\n", status: 400 },
    { name: "an unclosed IPv6 Host", head: "GET /chats HTTP/1.1\r\nHost: [::1\r\n", status: 400 },
    { name: "a Host with credentials", head: "GET /chats HTTP/1.1\r\nHost: user@x\r\n", status: 400 },
    { name: "a target of //[", head: "GET //[ HTTP/1.1\r\nHost: localhost\r\n", status: 400 },
    { name: "a target of //a:99999/", head: "GET //a:99999/ HTTP/1.1\r\nHost: localhost\r\n", status: 400 },
    {
      name: "an absolute target for another host",
      head: "GET http://evil.example/chats HTTP/1.1\r\nHost: localhost\r\n",
      status: 400,
    },
    { name: "TRACE", head: "TRACE /chats HTTP/1.1\r\nHost: localhost\r\n", status: 405 },
    { name: "CONNECT", head: "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n", status: 405 },
  ];
  for (const { name, head, status } of cases) {
    test(`${name} gets a ${status} that says why`, async () => {
      const answer = await rawRequest(E2E_APP_PORT, `${head}Connection: close\r\n\r\n`);
      expect(answer.status).toBe(status);
      expect(answer.body).toContain(`Not accepted (${status})`);
      expect(answer.body).not.toMatch(noInternals);
      if (status === 405) expect(answer.headers.allow).toBe("GET, HEAD, POST");
    });
  }
});

/** Posts a form the way a page without JavaScript does, with the context's cookie. */
function post(request: APIRequestContext, path: string, form: Record<string, string>) {
  return request.post(path, { form, maxRedirects: 0 });
}

async function expectRefused(response: Awaited<ReturnType<typeof post>>, status: number, text: RegExp) {
  expect(response.status()).toBe(status);
  const body = await response.text();
  expect(body).toMatch(text);
  expect(body).not.toMatch(noInternals);
}

test("text with a NUL byte is refused next to its field in every form, and nothing is stored", async ({
  page,
  guest,
}) => {
  const { db } = e2eData().database;
  const [chatId] = await guest.seedChats(1, () => "Untouched chat");
  const created = await post(page.request, "/projects/new", { name: "Untouched project", icon: "🧪" });
  expect(created.status()).toBe(302);
  const projectId = new URL(created.headers().location, "http://x").searchParams.get("project") ?? "";
  const [message] = await db.selectFrom("messages").select("id").where("chat_id", "=", chatId).execute();
  const stored = () =>
    Promise.all([
      db.selectFrom("chats").select(["title"]).where("user_id", "=", guest.userId).execute(),
      db.selectFrom("messages").select(["content"]).where("chat_id", "=", chatId).execute(),
      db
        .selectFrom("projects")
        .select(["name", "icon", "instructions"])
        .where("user_id", "=", guest.userId)
        .execute(),
    ]);
  const before = await stored();

  const refusals: Array<[string, string, Record<string, string>]> = [
    ["a message", `/chats/${chatId}`, { intent: "send", content: `a${NUL}b`, clientId: "nul-message-0001" }],
    ["an edit", `/chats/${chatId}`, { intent: "edit", messageId: message.id, content: `a${NUL}b` }],
    ["a rename", `/chats/${chatId}`, { intent: "rename", title: `a${NUL}b` }],
    ["a new chat", "/chats?index", { intent: "send", content: `a${NUL}b`, clientId: "nul-new-chat-0001" }],
    ["a project name", "/projects/new", { name: `a${NUL}b`, icon: "🧪" }],
    ["a project emoji", "/projects/new", { name: "Emoji", icon: NUL }],
    ["project instructions", "/projects/new", { name: "Text", icon: "🧪", instructions: `a${NUL}b` }],
    ["an edited project", `/projects/${projectId}`, { intent: "save", name: `a${NUL}b`, icon: "🧪" }],
  ];
  for (const [what, path, form] of refusals) {
    const response = await post(page.request, path, form);
    expect(response.status(), what).toBe(400);
    const body = await response.text();
    expect(body, what).toContain("U+0000");
    expect(body, what).not.toMatch(noInternals);
  }
  expect(await stored()).toEqual(before);
});

test("a redirect target that cannot be a Location header never leaves a change half done", async ({
  page,
  guest,
}) => {
  const { db } = e2eData().database;
  const [renamed, kept, deleted] = await guest.seedChats(3);
  const title = async (chatId: string) =>
    (await db.selectFrom("chats").select("title").where("id", "=", chatId).executeTakeFirst())?.title;

  // Outside Latin-1: renamed, and sent on to the same path, percent-encoded.
  const rename = await post(page.request, `/chats/${renamed}`, {
    intent: "rename",
    title: "Renamed",
    redirectTo: "/chats?q=€",
  });
  expect(rename.status()).toBe(302);
  expect(rename.headers().location).toBe("/chats?q=%E2%82%AC");
  expect(await title(renamed)).toBe("Renamed");

  // A NUL in the target: refused before anything is deleted.
  await expectRefused(
    await post(page.request, `/chats/${kept}`, { intent: "delete", redirectTo: `/chats${NUL}` }),
    400,
    /Invalid path/,
  );
  expect(await title(kept)).toBe("Seeded chat 2");

  const remove = await post(page.request, `/chats/${deleted}`, {
    intent: "delete",
    redirectTo: "/chats/日本",
  });
  expect(remove.status()).toBe(302);
  expect(remove.headers().location).toBe("/chats/%E6%97%A5%E6%9C%AC");
  expect(await title(deleted)).toBeUndefined();
});

test("a refused first write leaves no guest user or session behind", async ({ playwright }) => {
  // An instance on a database of its own: counting users is only meaningful there.
  const database = await createEmptyPostgresDatabase();
  const instance = await startAppInstance(
    E2E_APP_PORT + 20,
    { DATABASE_URL: database.url, REDIS_URL: "" },
    { echo: false },
  );
  const request = await playwright.request.newContext({ baseURL: instance.url });
  const count = async () => {
    const rows: number[] = [];
    for (const table of ["users", "sessions"]) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      rows.push(Number((await client.query(`select count(*) from ${table}`)).rows[0].count));
      await client.end();
    }
    return rows;
  };
  try {
    const refused = await post(request, "/chats?index", {
      intent: "send",
      content: `first${NUL}write`,
      clientId: "first-write-0001",
    });
    await expectRefused(refused, 400, /U\+0000/);
    await expectRefused(await post(request, "/projects/new", { name: NUL, icon: "🧪" }), 400, /U\+0000/);
    expect(await count()).toEqual([0, 0]);

    // The same write without the NUL does create the guest: the count above could have moved.
    const accepted = await post(request, "/chats?index", {
      intent: "send",
      content: "first write",
      clientId: "first-write-0002",
    });
    expect(accepted.status()).toBe(302);
    expect(await count()).toEqual([1, 1]);
  } finally {
    await request.dispose();
    await instance.stop();
    await database.drop();
  }
});
