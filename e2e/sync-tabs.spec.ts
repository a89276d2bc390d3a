import type { Page } from "@playwright/test";
import { chatLink } from "./support/chat";
import { e2eData } from "./support/database";
import { expect, test } from "./support/fixtures";
import { setVisibility } from "./support/visibility";

/**
 * One sync poll per browser, not per tab: the visible tabs of one browser elect one that asks
 * the sync check for all of them (for its own chat and the chats the others show) and shares
 * the answers; closing or hiding it hands the polling to another visible tab. Real time, real
 * requests (the 2 s interval of an active person): expectations allow several intervals.
 */
const isSync = (url: string) => new URL(url).pathname === "/resources/sync";
const SYNC = { timeout: 10_000 };

function countSyncs(page: Page) {
  const counts = { sync: 0 };
  page.on("request", (request) => {
    if (isSync(request.url())) counts.sync += 1;
  });
  return counts;
}

async function openTab(context: import("@playwright/test").BrowserContext, url: string) {
  const page = await context.newPage();
  const counts = countSyncs(page);
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  expect(await page.evaluate(() => document.visibilityState)).toBe("visible");
  return { page, counts };
}

/** Waits past a few intervals and returns the tab that polled; the other must have stayed silent. */
async function leaderOf(tabs: Array<Awaited<ReturnType<typeof openTab>>>) {
  for (const tab of tabs) tab.counts.sync = 0;
  await tabs[0].page.waitForTimeout(5_000);
  const polling = tabs.filter((tab) => tab.counts.sync > 0);
  expect(polling, "exactly one tab polls").toHaveLength(1);
  expect(polling[0].counts.sync).toBeGreaterThanOrEqual(2);
  return polling[0];
}

test("of two tabs one polls for both, and closing it hands over to the other", async ({ context, guest }) => {
  const [chatId] = await guest.seedChats(1, () => "Watched by two tabs");
  const tabs = [await openTab(context, `/chats/${chatId}`), await openTab(context, `/chats/${chatId}`)];
  const leader = await leaderOf(tabs);
  const follower = tabs.find((tab) => tab !== leader)!;

  // A change made elsewhere reaches the silent tab through the leader's answers.
  await e2eData().chats.renameChat(guest.userId, chatId, "Renamed elsewhere", "user");
  await expect(follower.page.getByRole("heading", { level: 1 })).toHaveText("Renamed elsewhere", SYNC);
  await expect(leader.page.getByRole("heading", { level: 1 })).toHaveText("Renamed elsewhere", SYNC);

  await leader.page.close();
  follower.counts.sync = 0;
  await expect.poll(() => follower.counts.sync, SYNC).toBeGreaterThanOrEqual(2);
});

test("the leader polls for a chat only another tab shows, and a hidden leader hands over", async ({
  context,
  guest,
}) => {
  const [first, second] = await guest.seedChats(2, (index) => `Chat ${index + 1}`);
  const tabs = [await openTab(context, `/chats/${first}`), await openTab(context, `/chats/${second}`)];
  const leader = await leaderOf(tabs);
  const follower = tabs.find((tab) => tab !== leader)!;
  const followersChat = follower === tabs[0] ? first : second;

  await e2eData().chats.renameChat(guest.userId, followersChat, "Only the follower shows this", "user");
  await expect(follower.page.getByRole("heading", { level: 1 })).toHaveText(
    "Only the follower shows this",
    SYNC,
  );
  await expect(chatLink(leader.page, followersChat)).toHaveText("Only the follower shows this", SYNC);
  expect(follower.counts.sync, "the follower itself stayed silent").toBe(0);

  // Hidden, the leader steps down and asks nothing more; the visible tab takes over.
  await setVisibility(leader.page, "hidden");
  await leader.page.waitForTimeout(500);
  leader.counts.sync = 0;
  follower.counts.sync = 0;
  await follower.page.waitForTimeout(5_000);
  expect(leader.counts.sync, "a hidden tab polls nothing").toBe(0);
  expect(follower.counts.sync).toBeGreaterThanOrEqual(2);
});
