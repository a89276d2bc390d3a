import type { BrowserContext, Page } from "@playwright/test";
import { FAKE_TITLE } from "#e2e/fake-llm/fake-openai-server";
import {
  CHAT_URL,
  chatIdOf,
  chatLink,
  expectReplyComplete,
  messages,
  openChatMenu,
  renameOpenChat,
  sendWithEnter,
  sidebar,
} from "#e2e/support/chat";
import { extraInstancePort, proxyPort } from "#e2e/support/environment";
import { newMarker, scriptFakeModel } from "#e2e/support/fake-model";
import { expect, test } from "#e2e/support/fixtures";
import { startProxiedInstances, type ProxiedInstances } from "#e2e/support/proxied-instances";

/**
 * Two instances behind nginx (round-robin, no sticky sessions), the browser talking only to
 * nginx: two tabs of one person are each served by both instances, and still see each other's
 * changes through the sync check, the shared cache and Postgres.
 */
const SYNC = { timeout: 10_000 };
let proxied: ProxiedInstances;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  proxied = await startProxiedInstances(proxyPort(0), [extraInstancePort(34), extraInstancePort(35)]);
});
test.afterAll(async () => {
  await proxied?.stop();
});

const lastReply = (page: Page) => page.getByRole("article", { name: "Parley said" }).last();

/** Which instance answered each of the page's own requests (not its static assets). */
interface Served {
  instance: string;
  method: string;
  path: string;
}

function recordInstances(page: Page): Served[] {
  const served: Served[] = [];
  page.on("response", (response) => {
    const instance = response.headers()["x-parley-instance"];
    const url = new URL(response.url());
    if (!instance || url.pathname.startsWith("/build/") || url.pathname === "/favicon.ico") return;
    served.push({ instance, method: response.request().method(), path: url.pathname });
  });
  return served;
}

async function twoTabs(context: BrowserContext, path: string) {
  const one = await context.newPage();
  const other = await context.newPage();
  const servedOne = recordInstances(one);
  const servedOther = recordInstances(other);
  await one.goto(path);
  await other.goto(path);
  for (const tab of [one, other]) expect(await tab.evaluate(() => document.visibilityState)).toBe("visible");
  return { one, other, servedOne, servedOther };
}

/** Every instance answered some of these requests. */
function expectServedByBoth(served: Served[], what: string) {
  expect(new Set(served.map((request) => request.instance)), `${what}: every instance`).toEqual(
    new Set(proxied.ids),
  );
}

test("two tabs served by both instances see each other's chats, titles, messages, renames and deletes", async ({
  context,
  guest,
}) => {
  expect(guest.userId).toBeTruthy();
  const { one, other, servedOne, servedOther } = await twoTabs(context, "/chats");

  await sendWithEnter(one, "Hello through the proxy");
  await expect(one).toHaveURL(CHAT_URL);
  const chatId = chatIdOf(one);
  await expect(chatLink(other, chatId)).toBeVisible(SYNC);
  await expectReplyComplete(one, 2);
  // The model names the chat after its first reply, on whichever instance wrote the reply.
  await expect(chatLink(other, chatId)).toHaveText(FAKE_TITLE, SYNC);

  await chatLink(other, chatId).click();
  await expectReplyComplete(other, 2);
  await sendWithEnter(other, "Answered from the second tab");
  await expect(messages(one)).toHaveCount(4, SYNC);
  await expectReplyComplete(one, 4);

  await renameOpenChat(one, "Renamed behind nginx");
  await expect(chatLink(other, chatId)).toHaveText("Renamed behind nginx", SYNC);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Renamed behind nginx", SYNC);

  const menu = await openChatMenu(other, "Renamed behind nginx");
  await menu.getByRole("button", { name: "Delete" }).click();
  await other.getByRole("dialog", { name: "Delete chat?" }).getByRole("button", { name: "Delete" }).click();
  await expect(chatLink(other, chatId)).toHaveCount(0);
  await expect(chatLink(one, chatId)).toHaveCount(0, SYNC);
  await expect(one.getByRole("heading", { name: "Chat not found" })).toBeVisible(SYNC);

  // No stickiness: each tab's requests (pages, data, sync checks, writes) went to both instances.
  expectServedByBoth(servedOne, "the first tab");
  expectServedByBoth(servedOther, "the second tab");
  test.info().annotations.push({
    type: "instances",
    description: [servedOne, servedOther].map(describeServed).join("; "),
  });
  await expect(sidebar(one)).toBeVisible();
});

/** "ab12cd34: 10 GET, 2 POST / ef56…: …", for the report. */
function describeServed(served: Served[]): string {
  return proxied.ids
    .map((id) => {
      const mine = served.filter((request) => request.instance === id);
      const posts = mine.filter((request) => request.method === "POST").length;
      return `${id}: ${mine.length - posts} GET, ${posts} POST`;
    })
    .join(" / ");
}

test("a reply being written grows in the other tab, and its Stop ends it whichever instance writes it", async ({
  context,
  guest,
}) => {
  const marker = newMarker("proxy-hold");
  await scriptFakeModel(marker, { type: "hold", chunks: ["Held ", "through nginx"] });
  const [chatId] = await guest.seedChats(1, () => "Held reply");
  const { one, other, servedOne, servedOther } = await twoTabs(context, `/chats/${chatId}`);

  const sent = one.waitForResponse((response) => response.request().method() === "POST");
  await sendWithEnter(one, `Keep writing ${marker}`);
  const writer = (await sent).headers()["x-parley-instance"];
  await expect(lastReply(other)).toHaveAttribute("data-status", "pending", SYNC);
  await expect(lastReply(other)).toContainText("Held through nginx", SYNC);

  const stopped = other.waitForResponse((response) => response.request().method() === "POST");
  await other.getByRole("button", { name: "Stop the reply" }).click();
  const stopper = (await stopped).headers()["x-parley-instance"];
  await expect(lastReply(one)).toHaveAttribute("data-status", "stopped", SYNC);
  await expect(lastReply(one)).toContainText("Held through nginx");
  await expect(lastReply(other)).toHaveAttribute("data-status", "stopped", SYNC);
  test.info().annotations.push({
    type: "instances",
    description: `reply written by ${writer}, stopped through ${stopper} (${writer === stopper ? "same" : "other"} instance)`,
  });
  expectServedByBoth([...servedOne, ...servedOther], "the two tabs");
});

test("the origin check holds through the proxy: its own forms pass, another site's are refused", async ({
  context,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1, () => "Origin check");
  const post = (origin: string) =>
    context.request.post(`${proxied.url}/chats/${chatId}`, {
      form: { intent: "rename", title: `From ${origin}` },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
  // Each twice in a row, so that both instances (round-robin) answer each.
  const refused = [await post("http://evil.example"), await post("http://evil.example")];
  const accepted = [await post(proxied.url), await post(proxied.url)];
  for (const [responses, status] of [
    [refused, 403],
    [accepted, 302],
  ] as const) {
    expect(responses.map((response) => response.status())).toEqual([status, status]);
    expect(new Set(responses.map((response) => response.headers()["x-parley-instance"]))).toEqual(
      new Set(proxied.ids),
    );
  }
  expect(proxied.nginx.errorLog()).not.toContain("[error]");
});
