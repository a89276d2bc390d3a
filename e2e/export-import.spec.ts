import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect, signInGuest, type Guest } from "./support/fixtures";
import { chatTitles, messages, readMessages } from "./support/chat";
import { uuidv7 } from "#db/ids";
import { e2eData } from "./support/database";
import { startAppInstance } from "./support/app-instance";
import { E2E_EMBEDDED_URL, extraInstancePort } from "./support/environment";

/** Exports (a chat as Markdown or JSON, everything as JSON) and imports (Parley's and ChatGPT's files). */

const CHATGPT_FIXTURE = "e2e/fixtures/chatgpt-branches.json";

async function importFile(page: Page, file: string) {
  await page.goto("/import");
  await page.getByLabel(/^File/).setInputFiles(file);
  await page.getByRole("button", { name: "Import" }).click();
}

/** Each chat's title and messages (role and text), newest activity first, from Postgres. */
async function storedChats(guest: Guest) {
  const { chats } = e2eData();
  return Promise.all(
    (await guest.chatIds()).map(async (chatId) => {
      const chat = await chats.getChat(guest.userId, chatId);
      const conversation = await chats.visibleBranchMessages(guest.userId, chatId);
      return {
        title: chat?.title,
        messages: conversation.map((message) => `${message.role}: ${message.content}`),
      };
    }),
  );
}

test("a chat downloads as Markdown and JSON; everything exports and imports into another visitor unchanged", async ({
  page,
  guest,
  browser,
}, testInfo) => {
  const [lyon, notes] = await guest.seedChats(
    2,
    (index) => ["Trip to Lyon", "Notes: “quotes” / slashes"][index],
  );
  await guest.seedMessages(lyon, 5);
  await guest.seedMessages(notes, 3);

  await page.goto(`/chats/${notes}`);
  const exports = page.getByRole("navigation", { name: "Export this chat" });
  const [markdown] = await Promise.all([
    page.waitForEvent("download"),
    exports.getByRole("link", { name: "Markdown" }).click(),
  ]);
  expect(markdown.suggestedFilename()).toBe("Notes “quotes” slashes.md");
  const markdownText = await readFile(await markdown.path(), "utf8");
  expect(markdownText).toContain("# Notes: “quotes” / slashes");
  expect(markdownText).toMatch(/## You · \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\nMessage in Notes/);
  expect(markdownText).toContain("Message 003");
  const [json] = await Promise.all([
    page.waitForEvent("download"),
    exports.getByRole("link", { name: "JSON" }).click(),
  ]);
  const chatDocument = JSON.parse(await readFile(await json.path(), "utf8"));
  expect(chatDocument).toMatchObject({ format: "parley.chats", version: 1 });
  expect(chatDocument.chats).toHaveLength(1);
  expect(chatDocument.chats[0].messages).toHaveLength(4);

  await page.goto("/account");
  const [everything] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export all" }).click(),
  ]);
  expect(everything.suggestedFilename()).toMatch(/^parley-export-\d{4}-\d\d-\d\d\.json$/);
  const exportFile = testInfo.outputPath("export.json");
  await everything.saveAs(exportFile);

  const otherContext = await browser.newContext();
  try {
    const other = await signInGuest(otherContext);
    const otherPage = await otherContext.newPage();
    await importFile(otherPage, exportFile);
    await expect(otherPage.getByText("Imported 2 of 2 chats.")).toBeVisible();
    await expect(chatTitles(otherPage)).toHaveText(["Notes: “quotes” / slashes", "Trip to Lyon"]);
    expect(await storedChats(other)).toEqual(await storedChats(guest));

    await otherPage.getByRole("link", { name: "Trip to Lyon" }).click();
    // The link is followed by script: wait for the chat, not just for the click.
    await expect(otherPage.getByRole("heading", { name: "Trip to Lyon" })).toBeVisible();
    await expect(messages(otherPage)).toHaveCount(6);
    expect((await readMessages(otherPage)).map((row) => row.text)).toEqual([
      "Message in Trip to Lyon",
      "Message 001",
      "Message 002",
      "Message 003",
      "Message 004",
      "Message 005",
    ]);
    // Another tab of the importer learns of the new chats through the sync check.
    const secondTab = await otherContext.newPage();
    await secondTab.goto("/chats");
    await expect(chatTitles(secondTab)).toHaveCount(2);
    await secondTab.close();

    await otherPage.screenshot({ path: testInfo.outputPath("imported-chat.png") });
  } finally {
    await otherContext.close();
  }
});

test("someone else's chat does not export", async ({ page, guest, browser }) => {
  const [chatId] = await guest.seedChats(1);
  expect((await page.request.get(`/chats/${chatId}/export.md`)).status()).toBe(200);
  const stranger = await browser.newContext();
  try {
    await signInGuest(stranger);
    for (const suffix of ["md", "json"]) {
      const response = await stranger.request.get(`/chats/${chatId}/export.${suffix}`);
      expect(response.status()).toBe(404);
      expect(await response.text()).not.toContain("Message in");
    }
    const all = await (await stranger.request.get("/export.json")).json();
    expect(all.chats).toEqual([]);
    expect((await page.request.get("/chats/not-an-id/export.json")).status()).toBe(404);
  } finally {
    await stranger.close();
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("ChatGPT's conversations.json imports the path to current_node only, and a second import adds nothing", async ({
    page,
    guest,
  }, testInfo) => {
    await importFile(page, CHATGPT_FIXTURE);
    await expect(page).toHaveURL(/\/import\?started=/);
    // A tiny file is imported before the page is drawn, or the page reloads itself until it is.
    await expect(page.getByText("Imported 2 of 2 chats.")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("import-page.png") });
    const stored = await storedChats(guest);
    expect(stored).toEqual([
      { title: "Greetings", messages: ["user: Hello again, edited", "assistant: Hi again!"] },
      {
        title: "Trip to Lyon",
        messages: [
          "user: How long is the train from Paris to Lyon?",
          "assistant: About **two hours** by TGV.",
          "user: And the price?",
          "assistant: Usually between 30 and 90 euros.",
        ],
      },
    ]);

    await importFile(page, CHATGPT_FIXTURE);
    await expect(page.getByText("Imported 0 of 2 chats (2 already here, left as they were).")).toBeVisible();
    expect(await storedChats(guest)).toEqual(stored);
  });

  test("a truncated file is refused with where it ends, and leaves nothing behind", async ({
    page,
    guest,
  }, testInfo) => {
    const whole = await readFile(CHATGPT_FIXTURE, "utf8");
    const cut = testInfo.outputPath("cut.json");
    await writeFile(cut, whole.slice(0, 6000));
    await importFile(page, cut);
    await expect(page.getByRole("alert")).toHaveText(
      /^Not JSON: the file ends unexpectedly at byte 6,000, in the middle of a value\./,
    );
    expect(await guest.chatIds()).toEqual([]);
    await expect(page.getByRole("heading", { name: "Your imports" })).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("import-refused.png") });
  });
});

test("bad uploads get a 4xx that says why, never a 500", async ({ page, guest }) => {
  const post = (name: string, buffer: Buffer) =>
    page.request.post("/import", {
      multipart: { file: { name, mimeType: "application/json", buffer } },
      maxRedirects: 0,
    });
  const notJson = await post("x.json", Buffer.from("<html>"));
  expect(notJson.status()).toBe(400);
  expect(await notJson.text()).toContain("Not JSON: the file starts with");
  const noMapping = await post("x.json", Buffer.from('[{"title":"a"}]'));
  expect(noMapping.status()).toBe(422);
  expect(await noMapping.text()).toContain("conversations.json: item 1 has no mapping.");
  const tooLarge = await post("big.json", Buffer.alloc(51 * 1024 * 1024, 0x20));
  expect(tooLarge.status()).toBe(413);
  expect(await tooLarge.text()).toContain("larger than this server's import limit of 50 MB");
  expect(await guest.chatIds()).toEqual([]);
});

test("an import counts as one new chat against CHATS_PER_HOUR", async ({ browser }) => {
  const limited = await startAppInstance(extraInstancePort(45), { CHATS_PER_HOUR: "1" });
  const context = await browser.newContext({ baseURL: limited.url });
  try {
    const guest = await signInGuest(context, limited.url);
    const page = await context.newPage();
    await importFile(page, CHATGPT_FIXTURE);
    await expect(page.getByText("Imported 2 of 2 chats.")).toBeVisible();
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      importFile(page, CHATGPT_FIXTURE),
    ]);
    expect(answer.status()).toBe(429);
    expect(Number(await answer.headerValue("retry-after"))).toBeGreaterThan(3500);
    await expect(page.getByRole("alert")).toHaveText(/^You have reached the limit of 1 new chat an hour\./);
    expect(await guest.chatIds()).toHaveLength(2);
  } finally {
    await context.close();
    await limited.stop();
  }
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("the import page follows a running import until it ends", async ({ page, guest }, testInfo) => {
      const { db } = e2eData().database;
      const id = uuidv7();
      await db
        .insertInto("imports")
        .values({ id, user_id: guest.userId, status: "running", source: "chatgpt", total_chats: 3000 })
        .execute();
      await db.updateTable("imports").set({ imported_chats: 120 }).where("id", "=", id).execute();
      await page.goto("/import");
      await expect(page.getByRole("status")).toHaveText("Imported 120 of 3,000 chats…");
      await expect(page.getByRole("button", { name: "Import" })).toBeDisabled();
      if (!javaScriptEnabled) await page.screenshot({ path: testInfo.outputPath("import-running.png") });
      await db
        .updateTable("imports")
        .set({ imported_chats: 2990, skipped_chats: 10, status: "done" })
        .where("id", "=", id)
        .execute();
      // By revalidation with JavaScript, by the page reloading itself without.
      await expect(
        page.getByText("Imported 2,990 of 3,000 chats (10 already here, left as they were)."),
      ).toBeVisible();
      await expect(page.getByRole("button", { name: "Import" })).toBeEnabled();
    });
  });
}

test.describe("on the embedded default", () => {
  test.use({ baseURL: E2E_EMBEDDED_URL });

  test("a new visitor imports ChatGPT's file and exports it again", async ({ page }) => {
    await importFile(page, path.resolve(CHATGPT_FIXTURE));
    await expect(page.getByText("Imported 2 of 2 chats.")).toBeVisible();
    await expect(chatTitles(page)).toHaveText(["Greetings", "Trip to Lyon"]);
    const everything = await (await page.request.get("/export.json")).json();
    expect(everything.chats.map((chat: { title: string }) => chat.title).sort()).toEqual([
      "Greetings",
      "Trip to Lyon",
    ]);
  });
});
