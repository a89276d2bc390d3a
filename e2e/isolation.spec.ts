import { test, expect, signInGuest } from "./support/fixtures";
import { chatLink, chatTitles, sidebar } from "./support/chat";
import { e2eData } from "./support/database";

test("another guest sees none of the first guest's chats and gets 404 on their URLs", async ({
  browser,
  page,
  guest,
}) => {
  const [firstId, secondId] = await guest.seedChats(2, (index) => `Private chat ${index + 1}`);
  await page.goto("/chats");
  await expect(chatLink(page, firstId)).toBeVisible();
  await expect(chatLink(page, secondId)).toBeVisible();

  const otherContext = await browser.newContext();
  try {
    await signInGuest(otherContext);
    const other = await otherContext.newPage();

    await other.goto("/chats");
    await expect(sidebar(other).getByText("No chats yet.")).toBeVisible();
    await expect(chatTitles(other)).toHaveCount(0);
    await expect(other.getByText("Private chat")).toHaveCount(0);

    const response = await other.goto(`/chats/${firstId}`);
    expect(response?.status()).toBe(404);
    await expect(other.getByRole("heading", { name: "Chat not found" })).toBeVisible();
    await expect(other.getByText("Private chat")).toHaveCount(0);
    await expect(other.getByRole("article")).toHaveCount(0);

    // The no-JS delete confirmation and the JSON pages are guarded the same way.
    expect((await other.goto(`/chats/${firstId}/delete`))?.status()).toBe(404);
    await expect(other.getByText("Private chat")).toHaveCount(0);
    const sync = await other.request.get(`/resources/sync?chat=${firstId}`);
    expect(await sync.json()).toMatchObject({ chat: null });

    // Writes to the first guest's chat are refused and change nothing.
    const rename = await other.request.post(`/chats/${firstId}`, {
      form: { intent: "rename", title: "Taken over", via: "fetcher" },
    });
    expect(rename.status()).toBe(404);
    const remove = await other.request.post(`/chats/${secondId}`, {
      form: { intent: "delete", via: "fetcher" },
    });
    expect(remove.status()).toBe(404);
    const send = await other.request.post(`/chats/${firstId}`, {
      form: { intent: "send", content: "Let me in", clientId: "isolation-client-id-1", via: "fetcher" },
    });
    expect(send.status()).toBe(404);
  } finally {
    await otherContext.close();
  }

  const chats = e2eData().chats;
  expect((await chats.getChat(guest.userId, firstId))?.title).toBe("Private chat 1");
  expect(await chats.getChat(guest.userId, secondId)).toBeDefined();
  const conversation = await chats.visibleBranchMessages(guest.userId, firstId);
  expect(conversation.map((message) => message.content)).toEqual(["Message in Private chat 1"]);

  await page.reload();
  await expect(chatLink(page, firstId)).toHaveText("Private chat 1");
  await expect(chatLink(page, secondId)).toHaveText("Private chat 2");
});

test("a visitor without a session gets 404 on a guest's chat URL", async ({ browser, guest }) => {
  const [chatId] = await guest.seedChats(1, () => "Nobody else's chat");
  const anonymous = await browser.newContext();
  try {
    const page = await anonymous.newPage();
    const response = await page.goto(`/chats/${chatId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Chat not found" })).toBeVisible();
    await expect(page.getByText("Nobody else's chat")).toHaveCount(0);
  } finally {
    await anonymous.close();
  }
});
