import { createCluster } from "redis";
import { startPrivateCluster, type PrivateCluster } from "#db/hot-store/testing/private-cluster";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { startAppInstance, type AppInstance } from "./support/app-instance";
import { E2E_OPERATOR_TOKEN, extraInstancePort } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * Parley on a Redis Cluster (REDIS_CLUSTER_URLS, three masters started by this spec): a chat
 * works end to end, the cache is used (hits, keys on the cluster under the user's hash tag),
 * and nothing is refused for spanning slots. The instance has a database of its own: the cache
 * generation kept in Postgres follows the Redis it was last established for, and a cluster
 * sharing the other instances' database would move theirs under them (a new instance would
 * then take a generation the running ones do not know of).
 */
let cluster: PrivateCluster;
let instance: AppInstance;
let database: { url: string; drop(): Promise<void> };

test.beforeAll(async () => {
  test.setTimeout(60_000);
  cluster = await startPrivateCluster();
  database = await createEmptyPostgresDatabase();
  instance = await startAppInstance(
    extraInstancePort(63),
    // A generous command timeout: this spec checks that nothing is refused, not how fast a
    // loaded test machine answers.
    {
      DATABASE_URL: database.url,
      REDIS_URL: "",
      REDIS_CLUSTER_URLS: cluster.urls.join(","),
      REDIS_COMMAND_TIMEOUT_MS: "2000",
    },
    { echo: false },
  );
});

test.afterAll(async () => {
  await instance?.stop();
  await cluster?.stop();
  await database?.drop();
});

test("a chat works end to end on a Redis Cluster, from its cache", async ({ page, request }) => {
  const details = async () => {
    const response = await request.get(`${instance.url}/healthz/details`, {
      headers: { Authorization: `Bearer ${E2E_OPERATOR_TOKEN}` },
    });
    return (await response.json()) as { cache: string; cacheStats: { hits: number; errors: number } };
  };
  await expect
    .poll(async () => (await details()).cache, { message: "cache ok", timeout: 20_000 })
    .toBe("ok")
    .catch((error: unknown) => {
      throw new Error(`${String(error)}\ninstance output:\n${instance.output().slice(-3000)}`);
    });

  await page.goto(`${instance.url}/chats`);
  await page.getByRole("textbox", { name: "Message" }).fill("Hello from a Redis Cluster");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("article", { name: "Parley said" })).toContainText(
    "Hello from the fake model.",
  );
  const before = (await details()).cacheStats;
  await page.reload();
  await expect(page.getByRole("article", { name: "Parley said" })).toContainText(
    "Hello from the fake model.",
  );
  // The sidebar lists the chat under the title the model gave it.
  await expect(
    page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: "Fake chat title" }),
  ).toBeVisible();
  // The sync check answers from the cluster too.
  const sync = await page.request.get(`${instance.url}/resources/sync?chat=${page.url().split("/").pop()}`);
  expect(await sync.json()).toMatchObject({ list: expect.any(Number), chat: expect.any(Number) });

  const after = (await details()).cacheStats;
  expect(after.hits).toBeGreaterThan(before.hits);
  // Nothing failed once the cache generation was known (before it, the store refuses on purpose).
  expect(after.errors).toBe(before.errors);
  expect(instance.output()).not.toMatch(/CROSSSLOT|hot store: redis unavailable/);

  // The user's keys are on the cluster, under the generation and the user's hash tag.
  const raw = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  await raw.connect();
  try {
    const keys: string[] = [];
    for (const master of raw.masters) {
      const node = await raw.nodeClient(master);
      keys.push(...(await node.keys("parley:v1:g*")));
    }
    expect(keys.some((key) => /^parley:v1:g\d+:\{u:[0-9a-f-]{36}\}:ver:list$/.test(key))).toBe(true);
  } finally {
    raw.destroy();
  }
});
