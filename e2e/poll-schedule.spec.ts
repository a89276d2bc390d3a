import type { Page } from "@playwright/test";
import { setVisibility } from "./support/visibility";
import { expect, test } from "./support/fixtures";

/**
 * When a tab asks the sync check, on the page's own (fake) clock: every 2 s while its person
 * was active in the last minute, every 15 s when idle, every 60 s when away (no input for ten
 * minutes), never while hidden, and at once on
 * coming back (activity after idling, showing the tab, focus, the network returning). Loader
 * data is fetched again only when a version changed. The requests themselves are real.
 */

const isSync = (url: string) => new URL(url).pathname === "/resources/sync";
// Single fetch: a revalidation asks for the route's data at `<path>.data`.
const isLoaderData = (url: string) => new URL(url).pathname.endsWith(".data");

type Tab = ReturnType<typeof watch>;

/** Counts the tab's sync checks and loader-data requests, and knows how many are still out. */
function watch(page: Page) {
  const counts = { sync: 0, data: 0 };
  let outstanding = 0;
  page.on("request", (request) => {
    if (isSync(request.url())) counts.sync += 1;
    else if (isLoaderData(request.url())) counts.data += 1;
    else return;
    outstanding += 1;
  });
  const settled = (request: { url(): string }) => {
    if (isSync(request.url()) || isLoaderData(request.url())) outstanding -= 1;
  };
  page.on("requestfinished", settled);
  page.on("requestfailed", settled);
  return {
    page,
    counts,
    outstanding: () => outstanding,
    reset: () => Object.assign(counts, { sync: 0, data: 0 }),
  };
}

/**
 * Moves the page's clock in steps (half a second unless the interval under test is long). The
 * clock stands still between steps while a request is out, so a slow machine sees the same
 * schedule as a fast one. Each step costs real time, so minutes of a 60 s schedule go in 2 s
 * steps: in half-second steps the whole test took longer than its timeout on a busy machine.
 */
async function advance({ page, outstanding }: Tab, ms: number, stepMs = 500) {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await page.clock.runFor(stepMs);
    await page.waitForTimeout(10);
    await expect.poll(outstanding, { intervals: [10] }).toBe(0);
    // Let the page act on the answer (schedule the next check) before time moves on.
    await page.waitForTimeout(10);
  }
}

/**
 * Waits until no check is out and the page has taken the answer in: a check that starts while
 * another is in flight is skipped on purpose (the one in flight is as fresh).
 */
async function settle({ page, outstanding }: Tab) {
  await expect.poll(outstanding, { intervals: [10] }).toBe(0);
  await page.waitForTimeout(100);
}

/**
 * Fires `event` until it makes the tab check (the clock stands still, so nothing else can):
 * retried only in case it met a check still in flight.
 */
async function expectCheckOn(tab: Tab, event: () => Promise<unknown>) {
  await expect(async () => {
    await settle(tab);
    tab.reset();
    await event();
    await expect.poll(() => tab.counts.sync, { timeout: 1_000 }).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 10_000 });
}

async function openChat(page: Page, chatId: string): Promise<Tab> {
  await page.clock.install();
  const tab = watch(page);
  await page.goto(`/chats/${chatId}`);
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
  tab.reset();
  return tab;
}

test("a visible tab checks every 2 s while its person is active, every 15 s when idle, every 60 s when away, and reloads data only on a change", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1, () => "Before");
  const tab = await openChat(page, chatId);
  const { counts, reset } = tab;

  await advance(tab, 20_000);
  expect(counts.sync).toBeGreaterThanOrEqual(9);
  expect(counts.sync).toBeLessThanOrEqual(11);
  expect(counts.data, "nothing changed, so no loader ran again").toBe(0);

  // A minute after the last activity the tab is idle.
  await advance(tab, 45_000, 1_000);
  reset();
  await advance(tab, 60_000, 1_000);
  expect(counts.sync).toBeGreaterThanOrEqual(3);
  expect(counts.sync).toBeLessThanOrEqual(5);
  expect(counts.data).toBe(0);

  // Ten minutes without input: the tab is away, and asks once a minute.
  await page.clock.fastForward(9 * 60_000);
  await settle(tab);
  reset();
  await advance(tab, 120_000, 2_000);
  expect(counts.sync).toBeGreaterThanOrEqual(2);
  expect(counts.sync).toBeLessThanOrEqual(3);
  expect(counts.data).toBe(0);

  // The person comes back: one check at once, without waiting out the away interval.
  await settle(tab);
  reset();
  await page.keyboard.press("Shift");
  await expect.poll(() => counts.sync).toBe(1);

  // A change made elsewhere shows within one active interval, through one revalidation.
  const renamed = await page.request.post(`/chats/${chatId}`, {
    form: { intent: "rename", title: "After", via: "fetcher" },
  });
  expect(renamed.ok()).toBe(true);
  reset();
  await advance(tab, 2_000);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("After");
  expect(counts.data).toBeGreaterThanOrEqual(1);
});

test("a hidden tab makes no requests, and checks at once when shown, on focus and when the network returns", async ({
  page,
  context,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1);
  const tab = await openChat(page, chatId);
  const { counts, reset } = tab;

  await setVisibility(page, "hidden");
  reset();
  await advance(tab, 60_000);
  expect(counts.sync, "a hidden tab stays silent").toBe(0);

  await setVisibility(page, "visible");
  await expect.poll(() => counts.sync).toBe(1);

  await expectCheckOn(tab, () => page.evaluate(() => window.dispatchEvent(new Event("focus"))));
  await expectCheckOn(tab, async () => {
    await context.setOffline(true);
    await context.setOffline(false);
  });
});
