import type { APIRequestContext, APIResponse } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import {
  composer,
  expectReplyComplete,
  messages,
  reloadUntilReplyComplete,
  sendButton,
} from "./support/chat";
import { flushRedisDatabase } from "./support/fresh-stores";
import { E2E_REDIS_URL } from "./support/environment";

/**
 * The response cache (server/response-cache, decision 0024): a chat page or the chat list is
 * kept per user under the versions it was rendered at, and served again only while they hold.
 * Every response says `X-Parley-Cache: miss` (rendered and kept) or `hit` (served from the
 * copy); responses the cache does not take carry no such header.
 */
async function load(request: APIRequestContext, url: string, headers: Record<string, string> = {}) {
  const response = await request.get(url, { headers, maxRedirects: 0 });
  return { response, cache: response.headers()["x-parley-cache"], body: await response.text() };
}

/**
 * Loads until the page is served from the cache: a first load may find the session's look-up
 * or a version missing from the hot store (and fills it), the next renders and keeps the page.
 */
async function warm(request: APIRequestContext, url: string) {
  await load(request, url);
  await load(request, url);
  const third = await load(request, url);
  expect(third.cache, `${url} is served from the cache once kept`).toBe("hit");
  return third;
}

const nonceOf = (response: APIResponse) =>
  /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"])?.[1];
const clientIdsOf = (body: string) =>
  [...body.matchAll(/name="clientId" value="([0-9a-f]{32})"/g)].map((m) => m[1]);

test("a kept chat page is served with its own nonce, client ids and request id each time", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1, () => "Kept page");
  const url = `/chats/${chatId}`;
  // Another address of the page, so the model list is in the hot store (a page waits for it).
  await load(page.request, `${url}?first=1`);
  const first = await load(page.request, url);
  expect(first.cache).toBe("miss");
  const loads = [first, await load(page.request, url), await load(page.request, url)];
  expect(loads.map((one) => one.cache)).toEqual(["miss", "hit", "hit"]);
  const nonces = loads.map((one) => nonceOf(one.response));
  expect(new Set(nonces).size).toBe(3);
  loads.forEach((one, index) => {
    // Every inline script carries this response's nonce, and no other.
    const scriptNonces = [...one.body.matchAll(/<script[^>]*\snonce="([^"]+)"/g)].map((m) => m[1]);
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(new Set(scriptNonces)).toEqual(new Set([nonces[index]]));
    expect(one.body).toContain("Kept page");
  });
  const drafts = loads.map((one) => clientIdsOf(one.body)[0]);
  expect(new Set(drafts).size).toBe(3);
  // The draft's id in the markup is the one in the hydration data, per load.
  loads.forEach((one, index) => expect(one.body.split(drafts[index]).length - 1).toBeGreaterThan(1));
  // Apart from those values, a served copy is the page as rendered.
  const masked = loads.map((one, index) =>
    one.body
      .replaceAll(nonces[index]!, "NONCE")
      .replaceAll(/[0-9a-f]{32}/g, "ID")
      .replaceAll(/[A-Za-z0-9_-]{16}/g, "R"),
  );
  expect(masked[1]).toBe(masked[0]);
  expect(masked[2]).toBe(masked[0]);

  // A client without gzip gets the same page, uncompressed.
  const plain = await load(page.request, url, { "Accept-Encoding": "identity" });
  expect(plain.cache).toBe("hit");
  expect(plain.response.headers()["content-encoding"]).toBeUndefined();
  expect(plain.body).toContain("Kept page");

  // The data request of the same page (single fetch) is kept too, with fresh client ids.
  const dataUrl = `${url}.data`;
  const data = [await load(page.request, dataUrl), await load(page.request, dataUrl)];
  expect(data.map((one) => one.cache)).toEqual(["miss", "hit"]);
  const dataIds = data.map((one) => new Set(one.body.match(/[0-9a-f]{32}/g)));
  expect([...dataIds[0]].filter((id) => dataIds[1].has(id))).toEqual([]);
});

test("a first visit, a cookie with no user yet, and other pages are never cached", async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const first = await load(context.request, "/chats");
    expect(first.response.status()).toBe(200);
    expect(first.response.headers()["set-cookie"]).toBeTruthy();
    expect(first.cache).toBeUndefined();
    // The cookie names a session but no user (nothing written yet): still rendered each time.
    const again = await load(context.request, "/chats");
    expect(again.cache).toBeUndefined();
  } finally {
    await context.close();
  }
});

test("no write leaves a stale page: each one moves the page to a new key", async ({ page, guest }) => {
  const [chatId, otherId] = await guest.seedChats(2, (index) => `Written chat ${index + 1}`);
  const url = `/chats/${chatId}`;
  const post = async (path: string, form: Record<string, string>) => {
    const response = await page.request.post(path, { form, maxRedirects: 0 });
    expect(response.status(), `${form.intent ?? path} answered`).toBeLessThan(400);
  };
  const writes: Array<{ name: string; write: () => Promise<void>; shows: (body: string) => boolean }> = [
    {
      name: "rename",
      write: () => post(url, { intent: "rename", title: "Renamed while kept" }),
      shows: (body) => body.includes("Renamed while kept"),
    },
    {
      name: "pin",
      write: () => post(url, { intent: "pin" }),
      shows: (body) => body.includes('value="unpin"'),
    },
    {
      name: "archive",
      write: () => post(url, { intent: "archive" }),
      shows: (body) => body.includes('value="restore"'),
    },
    {
      name: "model",
      write: () => post(url, { intent: "model", model: "fake-model-b" }),
      shows: (body) => /<option[^>]*value="fake-model-b"[^>]*selected/.test(body),
    },
    {
      name: "project",
      write: () => post("/projects/new", { name: "Project made while kept", icon: "" }),
      shows: (body) => body.includes("Project made while kept"),
    },
    {
      // The guest becomes an account: the sidebar shows who is signed in.
      name: "account",
      write: () =>
        post("/join", { email: `kept-${guest.userId}@example.com`, password: "a long enough password 1" }),
      shows: (body) => body.includes(`kept-${guest.userId}@example.com`),
    },
    {
      name: "another chat renamed (the sidebar)",
      write: () => post(`/chats/${otherId}`, { intent: "rename", title: "Other chat renamed" }),
      shows: (body) => body.includes("Other chat renamed"),
    },
  ];
  for (const { name, write, shows } of writes) {
    const before = await warm(page.request, url);
    expect(shows(before.body), `${name}: not shown before`).toBe(false);
    await write();
    const after = await load(page.request, url);
    expect(after.cache, `${name}: rendered again`).not.toBe("hit");
    expect(shows(after.body), `${name}: shown after`).toBe(true);
  }
  // Delete: the kept page is never served again.
  await warm(page.request, url);
  await post(url, { intent: "delete" });
  expect((await load(page.request, url)).response.status()).toBe(404);
});

test("a reply is never cached while it is written, and its completion is shown", async ({ page, guest }) => {
  const [chatId] = await guest.seedChats(1, () => "Reply kept");
  const url = `/chats/${chatId}`;
  await warm(page.request, url);
  const send = await page.request.post(url, {
    form: { intent: "send", content: "Cache this reply", clientId: "a".repeat(32) },
    maxRedirects: 0,
  });
  expect(send.status()).toBe(302);
  // Until the reply is complete, every load renders afresh; then the complete page is kept.
  await expect
    .poll(async () => {
      const { cache, body } = await load(page.request, url);
      if (body.includes('data-status="pending"')) expect(cache).toBeUndefined();
      return body.includes("Cache this reply") && !body.includes('data-status="pending"');
    })
    .toBe(true);
  const kept = await warm(page.request, url);
  expect(kept.body).not.toContain('data-status="pending"');
  await page.goto(url);
  await expectReplyComplete(page, 3);
});

test("after the hot store is flushed, a write is still never hidden by a kept page", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1, () => "Flushed");
  const url = `/chats/${chatId}`;
  await warm(page.request, url);
  // Only this run's own Redis database (E2E_REDIS_DB).
  await flushRedisDatabase(E2E_REDIS_URL);
  const rename = await page.request.post(url, { form: { intent: "rename", title: "Renamed after flush" } });
  expect(rename.ok()).toBe(true);
  const after = await load(page.request, url);
  expect(after.body).toContain("Renamed after flush");
  expect(after.cache).not.toBe("hit");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("two loads of one kept page send with their own client ids, and both messages land", async ({
    page,
    context,
    guest,
  }) => {
    const [chatId] = await guest.seedChats(1, () => "Two loads");
    const url = `/chats/${chatId}`;
    await warm(page.request, url);
    const other = await context.newPage();
    await page.goto(url);
    await other.goto(url);
    const ids = await Promise.all(
      [page, other].map((one) => one.locator('.composer input[name="clientId"]').first().inputValue()),
    );
    expect(ids[0]).not.toBe(ids[1]);

    await composer(page).fill("Sent from the first load");
    await sendButton(page).click();
    await reloadUntilReplyComplete(page, 3);
    // The second load still shows the chat as it was before the first send: it is sent as is.
    await composer(other).fill("Sent from the second load");
    await sendButton(other).click();
    await reloadUntilReplyComplete(other, 5);
    await expect(messages(other).filter({ hasText: "Sent from the first load" })).toHaveCount(1);
    await expect(messages(other).filter({ hasText: "Sent from the second load" })).toHaveCount(1);
  });
});
