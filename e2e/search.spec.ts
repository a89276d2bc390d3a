import type { Page } from "@playwright/test";
import { test, expect, signInGuest, type Guest } from "./support/fixtures";
import { expectNoViolations } from "./support/axe";
import { seedChatWith, seedEdit } from "./support/search-seed";

const results = (page: Page) => page.locator("ol.search-results > li");
const searchField = (page: Page) => page.getByRole("searchbox", { name: "Search your chats" });

/** A long chat where a message older than the newest page (MESSAGE_PAGE_SIZE) holds a rare word. */
async function seedLongChat(guest: Guest) {
  const contents = Array.from({ length: 90 }, (_, index) => `Filler line ${index} about nothing much.`);
  contents[30] = "We should ride the Zugspitze cablecar before the timetable changes.";
  const seeded = await seedChatWith(guest.userId, "Alpine trip", contents);
  return { chatId: seeded.chatId, foundId: seeded.messageIds[30], messageIds: seeded.messageIds };
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the GET form finds a word, and its result opens the chat at that old message", async ({
    page,
    guest,
  }) => {
    const { chatId, foundId } = await seedLongChat(guest);
    await page.goto("/search");
    await searchField(page).fill("zugspitze");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/\/search\?q=zugspitze$/);
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).locator("mark")).toHaveText(["Zugspitze"]);

    await results(page).getByRole("link").click();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/chats/${chatId}?at=${foundId}`);
    expect(new URL(page.url()).hash).toBe(`#m-${foundId}`);
    const found = page.locator(`#m-${foundId}`);
    await expect(found).toContainText("Zugspitze cablecar");
    await expect(found).toHaveClass(/message--found/);
    // The newest page would not hold it: this is the older page around it, with the way back.
    await expect(page.getByText("Filler line 89 about nothing much.")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Jump to the newest messages" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Show earlier messages" })).toBeVisible();
  });

  test("a message of a version no longer shown is not found, and its old link opens the chat at its newest", async ({
    page,
    guest,
  }) => {
    const { chatId, foundId, messageIds } = await seedLongChat(guest);
    // Editing the 21st message hides everything after it, the Zugspitze message included.
    const { editedId } = await seedEdit(
      guest.userId,
      chatId,
      messageIds[20],
      "We took the train to Garmisch.",
    );
    await page.goto("/search?q=zugspitze");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(results(page)).toHaveCount(0);

    await page.goto("/search?q=garmisch");
    await expect(results(page)).toHaveCount(1);
    await results(page).getByRole("link").click();
    expect(new URL(page.url()).search).toBe(`?at=${editedId}`);
    await expect(page.locator(`#m-${editedId}`)).toHaveClass(/message--found/);

    const opened = await page.goto(`/chats/${chatId}?at=${foundId}`);
    expect(opened?.status()).toBe(200);
    await expect(page.locator(`#m-${editedId}`)).toContainText("We took the train to Garmisch.");
    await expect(page.locator(`#m-${foundId}`)).toHaveCount(0);
    await expect(page.locator(".message--found")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Jump to the newest messages" })).toHaveCount(0);
  });

  test("Next results is a real link that pages through every hit once", async ({ page, guest }) => {
    for (let index = 0; index < 25; index += 1)
      await seedChatWith(guest.userId, `Fruit ${index}`, [`A kumquat, number ${index}.`]);
    await page.goto("/search?q=kumquat");
    const seen: string[] = [];
    for (let pages = 0; pages < 5; pages += 1) {
      const hrefs = await results(page)
        .locator("a")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
      seen.push(...hrefs);
      const next = page.getByRole("link", { name: "Next results →" });
      if ((await next.count()) === 0) break;
      const response = await page.goto((await next.getAttribute("href"))!);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("link", { name: "← Best results" })).toBeVisible();
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  test("bad input is a 400 with a clear message; operators and empty input are fine", async ({
    page,
    guest,
  }) => {
    await seedChatWith(guest.userId, "Phrases", ["red apple pie"]);
    let response = await page.goto(`/search?q=${"a".repeat(501)}`);
    expect(response?.status()).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("Search for at most 500 characters.");
    response = await page.goto("/search?q=apple%00pie");
    expect(response?.status()).toBe(400);
    await expect(page.getByRole("alert")).toContainText("NUL");
    response = await page.goto("/search?q=apple&after=not-a-cursor");
    expect(response?.status()).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("That page of results does not exist.");
    for (const query of ["", "   ", "& | ! : * ( )", "'\\\"", "apple:* & (pie", '"apple pie"']) {
      response = await page.goto(`/search?q=${encodeURIComponent(query)}`);
      expect(response?.status(), query).toBe(200);
    }
    await expect(results(page)).toHaveCount(1);
  });

  test("a visitor without a session sees an empty search, and another visitor none of the first one's chats", async ({
    page,
    guest,
    browser,
  }) => {
    await seedLongChat(guest);
    await page.goto("/search?q=zugspitze");
    await expect(results(page)).toHaveCount(1);

    const stranger = await browser.newContext({ javaScriptEnabled: false });
    const strangerPage = await stranger.newPage();
    const response = await strangerPage.goto("/search?q=zugspitze");
    expect(response?.status()).toBe(200);
    await expect(strangerPage.getByText("Nothing in your chats matches “zugspitze”.")).toBeVisible();
    expect(await strangerPage.locator("ol.search-results").count()).toBe(0);

    const other = await browser.newContext({ javaScriptEnabled: false });
    await signInGuest(other);
    const otherPage = await other.newPage();
    await otherPage.goto("/search?q=zugspitze");
    await expect(otherPage.getByText("Nothing in your chats matches “zugspitze”.")).toBeVisible();
    await otherPage.goto("/search?q=alpine");
    await expect(otherPage.locator("ol.search-results")).toHaveCount(0);
    await Promise.all([stranger.close(), other.close()]);
  });
});

test.describe("with JavaScript", () => {
  test("Ctrl+K opens search from a chat; the result opens the chat scrolled to the message", async ({
    page,
    guest,
  }) => {
    const { chatId, foundId } = await seedLongChat(guest);
    await page.goto(`/chats/${chatId}`);
    await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
    await page.keyboard.press("Control+k");
    await expect(page).toHaveURL(/\/search$/);
    await expect(searchField(page)).toBeFocused();
    await page.keyboard.type("zugsp");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/search\?q=zugsp$/);
    await expect(results(page)).toHaveCount(1);
    await results(page).getByRole("link").click();
    const found = page.locator(`#m-${foundId}`);
    await expect(found).toHaveClass(/message--found/);
    await expect(found).toBeInViewport();
    // Pressed again on the search page, Ctrl+K selects the field's text to type over it.
    await page.goBack();
    await expect(searchField(page)).toHaveValue("zugsp");
    await page.keyboard.press("Control+k");
    await expect(searchField(page)).toBeFocused();
    await page.keyboard.type("timetable");
    await expect(searchField(page)).toHaveValue("timetable");
  });

  test("a message holding HTML is shown as text in results: no element made, no script run", async ({
    page,
    guest,
  }) => {
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const payload = `<img src=x onerror=alert(1)> xsscanary <script>alert(2)</script> <a href="javascript:alert(3)">x</a>`;
    await seedChatWith(guest.userId, "<b onmouseover=alert(4)>xsscanary</b>", [payload]);
    await page.goto("/search?q=xsscanary");
    await expect(results(page)).toHaveCount(2);
    const list = page.locator("ol.search-results");
    await expect(list).toContainText("img src=x onerror=alert(1)> xsscanary <script>alert(2)</script>");
    await expect(list).toContainText("<b onmouseover=alert(4)>xsscanary</b>");
    // The only elements inside results are the page's own: links, spans, time and mark.
    const tags = await list.evaluate((element) => [
      ...new Set([...element.querySelectorAll("*")].map((node) => node.localName)),
    ]);
    expect(tags.sort()).toEqual(["a", "li", "mark", "span", "time"]);
    // The title's match, then the message result's title and snippet.
    await expect(list.locator("mark")).toHaveText(["xsscanary", "xsscanary", "xsscanary"]);
    await list.locator("li").first().hover();
    expect(dialogs).toBe(0);
  });
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the search page with results and the shortcuts help have no WCAG A/AA violations (${colorScheme})`, async ({
    page,
    guest,
  }) => {
    await page.emulateMedia({ colorScheme });
    await seedLongChat(guest);
    for (let index = 0; index < 22; index += 1)
      await seedChatWith(guest.userId, `Cablecar ${index}`, [`The cablecar number ${index}.`]);
    await page.goto("/search?q=cablecar");
    await expect(page.getByRole("link", { name: "Next results →" })).toBeVisible();
    await expectNoViolations(page);
    await page.locator("body").press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await expectNoViolations(page);
  });
}
