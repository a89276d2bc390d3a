import { test, expect } from "./support/fixtures";

/**
 * Postgres compares uuids regardless of case, but URLs and cache keys do not: every id is
 * lower-cased at the boundary, and a page asked for in another spelling redirects to its
 * canonical URL, so no spelling of a URL can show what writes no longer keep fresh.
 */
test("an upper-case chat URL redirects to the canonical one, and reads and writes through either agree", async ({
  page,
  guest,
}) => {
  const [chatId, otherId] = await guest.seedChats(2, (index) => `Spelled chat ${index + 1}`);
  const upper = chatId.toUpperCase();

  // Warm the caches through both spellings, then rename through the lower-case URL.
  const redirect = await page.request.get(`/chats/${upper}?before=`, { maxRedirects: 0 });
  expect(redirect.status()).toBe(301);
  expect(redirect.headers().location).toBe(`/chats/${chatId}?before=`);
  await page.goto(`/chats/${upper}`);
  expect(new URL(page.url()).pathname).toBe(`/chats/${chatId}`);
  const rename = await page.request.post(`/chats/${chatId}`, {
    form: { intent: "rename", title: "Renamed in lower case" },
    maxRedirects: 0,
  });
  expect(rename.status()).toBe(302);
  await page.goto(`/chats/${upper}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Renamed in lower case");

  // The sync check and the actions take either spelling as the same chat.
  const sync = await page.request.get(`/resources/sync?chat=${otherId.toUpperCase()}`);
  expect((await sync.json()).chat).toEqual(expect.any(Number));
  const remove = await page.request.post(`/chats/${otherId.toUpperCase()}`, {
    form: { intent: "delete" },
    maxRedirects: 0,
  });
  expect(remove.status()).toBe(302);
  expect((await page.request.get(`/chats/${otherId}`)).status()).toBe(404);
  expect((await page.request.get(`/chats/${otherId.toUpperCase()}`, { maxRedirects: 0 })).status()).toBe(301);
  expect((await page.request.get(`/chats/${otherId.toUpperCase()}`)).status()).toBe(404);
  const [upperSync, lowerSync] = await Promise.all(
    [otherId.toUpperCase(), otherId].map(async (id) =>
      (await page.request.get(`/resources/sync?chat=${id}`)).json(),
    ),
  );
  expect(upperSync).toEqual(lowerSync);
});
