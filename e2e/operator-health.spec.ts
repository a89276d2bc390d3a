import { E2E_EMBEDDED_URL, E2E_OPERATOR_TOKEN } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * /healthz tells anyone only whether Postgres and the cache answer; the cache counters are for
 * operators, behind OPERATOR_TOKEN, and do not exist where no token is configured.
 */
test("the public health check says only db and cache", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ db: "ok", cache: "ok" });
});

test("the operator details need the bearer token, and then show the cache counters", async ({ request }) => {
  for (const authorization of [undefined, "Bearer wrong-token", `Basic ${E2E_OPERATOR_TOKEN}`]) {
    const refused = await request.get("/healthz/details", {
      headers: authorization ? { Authorization: authorization } : {},
    });
    expect(refused.status(), authorization).toBe(401);
    expect(refused.headers()["www-authenticate"]).toBe("Bearer");
    expect(await refused.text()).not.toContain("hits");
  }
  const response = await request.get("/healthz/details", {
    headers: { Authorization: `Bearer ${E2E_OPERATOR_TOKEN}` },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toMatchObject({
    db: "ok",
    cache: "ok",
    cacheStats: { hits: expect.any(Number), misses: expect.any(Number), pendingVersions: 0 },
  });
});

test("without OPERATOR_TOKEN the details do not exist", async ({ request }) => {
  const response = await request.get(`${E2E_EMBEDDED_URL}/healthz/details`, {
    headers: { Authorization: "Bearer anything-at-all" },
  });
  expect(response.status()).toBe(404);
});
