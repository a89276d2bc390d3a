import type { APIRequestContext } from "@playwright/test";
import { startPrivateRedis } from "#db/hot-store/testing/private-redis";
import { startAppInstance } from "./support/app-instance";
import { extraInstancePort } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * The response cache across instances and through a Redis outage (decision 0024). Each
 * instance keeps its own copies; what keeps them honest is the versions, read from the hot
 * store (or Postgres) on every request. Instances on offsets 70 and 71.
 */
async function load(request: APIRequestContext, url: string) {
  const response = await request.get(url, { maxRedirects: 0 });
  return {
    status: response.status(),
    cache: response.headers()["x-parley-cache"],
    body: await response.text(),
  };
}

async function warm(request: APIRequestContext, url: string) {
  await load(request, url);
  await expect.poll(async () => (await load(request, url)).cache, { message: `${url} is kept` }).toBe("hit");
}

test("a page kept on one instance is not served after a write on another", async ({ page, guest }) => {
  const [chatId] = await guest.seedChats(1, () => "Seen everywhere");
  const other = await startAppInstance(extraInstancePort(70));
  try {
    const here = `/chats/${chatId}`;
    const there = `${other.url}/chats/${chatId}`;
    await warm(page.request, here);
    await warm(page.request, there);
    const rename = await page.request.post(there, {
      form: { intent: "rename", title: "Renamed over there" },
    });
    expect(rename.ok()).toBe(true);
    const after = await load(page.request, here);
    expect(after.cache).toBe("miss");
    expect(after.body).toContain("Renamed over there");
  } finally {
    await other.stop();
  }
});

test("while Redis is down nothing is served from the cache, and no write is hidden after", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1, () => "Through an outage");
  const redis = await startPrivateRedis();
  const instance = await startAppInstance(extraInstancePort(71), { REDIS_URL: redis.url });
  try {
    const url = `${instance.url}/chats/${chatId}`;
    await warm(page.request, url);

    await redis.kill();
    const rename = await page.request.post(url, {
      form: { intent: "rename", title: "Renamed in the outage" },
    });
    expect(rename.ok()).toBe(true);
    // Answered from Postgres, rendered afresh each time: never the kept copy.
    for (let index = 0; index < 3; index += 1) {
      const during = await load(page.request, url);
      expect(during.status).toBe(200);
      expect(during.cache).toBeUndefined();
      expect(during.body).toContain("Renamed in the outage");
    }

    // Back, and empty: the versions come from Postgres again, and the page is kept anew.
    await redis.restart();
    await expect.poll(async () => (await load(page.request, url)).cache, { timeout: 15_000 }).toBe("hit");
    expect((await load(page.request, url)).body).toContain("Renamed in the outage");
  } finally {
    await instance.stop();
    await redis.stop();
  }
});
