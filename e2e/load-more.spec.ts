import { test, expect } from "./support/fixtures";
import { chatTitles, sidebar } from "./support/chat";

const COUNT = 60;
const title = (index: number) => `Paged chat ${String(index + 1).padStart(2, "0")}`;
const ALL = Array.from({ length: COUNT }, (_, index) => title(index));
/** Newest activity first: the last seeded chat leads. */
const NEWEST_FIRST = [...ALL].reverse();

test.describe("with JavaScript", () => {
  test("Load more appends every chat exactly once", async ({ page, guest }) => {
    await guest.seedChats(COUNT, title);
    await page.goto("/chats");
    const loadMore = sidebar(page).getByRole("link", { name: "Load more" });
    const firstPage = await chatTitles(page).count();
    expect(firstPage).toBeGreaterThan(0);
    expect(firstPage).toBeLessThan(COUNT);

    for (let clicks = 0; (await loadMore.count()) > 0; clicks += 1) {
      expect(clicks, "Load more keeps offering more").toBeLessThan(COUNT);
      const before = await chatTitles(page).count();
      await loadMore.click();
      // Appended in place, without a navigation.
      await expect.poll(() => chatTitles(page).count()).toBeGreaterThan(before);
      await expect(sidebar(page).getByRole("link", { name: "Loading…" })).toHaveCount(0);
    }
    await expect(page).toHaveURL(/\/chats$/);

    const shown = await chatTitles(page).allTextContents();
    expect(shown).toHaveLength(COUNT);
    expect(new Set(shown).size).toBe(COUNT);
    expect(shown).toEqual(NEWEST_FIRST);
  });

  test("appended pages stay whole while chats are created and touched elsewhere", async ({ page, guest }) => {
    const ids = await guest.seedChats(COUNT, title);
    await page.goto("/chats");
    const loadMore = sidebar(page).getByRole("link", { name: "Load more" });
    while ((await loadMore.count()) > 0) {
      const before = await chatTitles(page).count();
      await loadMore.click();
      await expect.poll(() => chatTitles(page).count()).toBeGreaterThan(before);
    }
    await expect(chatTitles(page)).toHaveCount(COUNT);

    // Seeded from outside this tab: it learns of them through the sync check and revalidates.
    await guest.seedChats(2, (index) => `Arrived later ${index + 1}`);
    const arrived = ["Arrived later 2", "Arrived later 1", ...NEWEST_FIRST];
    await expect.poll(() => chatTitles(page).allTextContents(), { timeout: 10_000 }).toEqual(arrived);

    // A message in an old chat moves it to the top; it shows once, and nothing goes missing.
    await guest.seedMessages(ids[4], 1, 2);
    const touched = [title(4), ...arrived.filter((name) => name !== title(4))];
    await expect.poll(() => chatTitles(page).allTextContents(), { timeout: 10_000 }).toEqual(touched);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the Load more links page through every chat exactly once", async ({ page, guest }) => {
    await guest.seedChats(COUNT, title);
    await page.goto("/chats");
    const pages: string[][] = [];
    for (;;) {
      expect(pages.length, "Load more keeps offering more").toBeLessThan(COUNT);
      pages.push(await chatTitles(page).allTextContents());
      const loadMore = sidebar(page).getByRole("link", { name: "Load more" });
      if ((await loadMore.count()) === 0) break;
      const href = await loadMore.getAttribute("href");
      expect(href).toMatch(/^\/chats\?cursor=/);
      const response = await page.goto(href!);
      expect(response?.status()).toBe(200);
      // Later pages offer the way back to the newest chats.
      await expect(sidebar(page).getByRole("link", { name: "← Newest chats" })).toBeVisible();
    }

    expect(pages.length).toBeGreaterThan(1);
    for (const titles of pages) expect(titles.length).toBeGreaterThan(0);
    const union = pages.flat();
    expect(union).toHaveLength(COUNT);
    expect(new Set(union).size).toBe(COUNT);
    expect(union).toEqual(NEWEST_FIRST);
  });
});
