import { startAppInstance } from "./support/app-instance";
import { chatIdOf } from "./support/chat";
import { E2E_EMBEDDED_URL, E2E_OPERATOR_TOKEN, extraInstancePort } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * /metrics for Prometheus: behind the operator token on Parley's own port, or without one on
 * METRICS_PORT. Labels are route patterns, never raw URLs, so a chat id never becomes a series.
 */
const authorized = { Authorization: `Bearer ${E2E_OPERATOR_TOKEN}` };

/**
 * The value of a sample (`name{labels} value`), summed over every line that matches; 0 before
 * anything was recorded under those labels (only where `orZero`), else an error.
 */
function sampleSum(text: string, name: string, labels: Record<string, string> = {}, orZero = false): number {
  let sum = 0;
  let found = orZero;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    found = true;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  if (!found) throw new Error(`no sample ${name} ${JSON.stringify(labels)}`);
  return sum;
}

test("metrics need the operator token on the app's own port", async ({ request }) => {
  for (const authorization of [undefined, "Bearer wrong-token", `Basic ${E2E_OPERATOR_TOKEN}`]) {
    const refused = await request.get("/metrics", {
      headers: authorization ? { Authorization: authorization } : {},
    });
    expect(refused.status(), authorization).toBe(401);
    expect(await refused.text()).not.toContain("parley_");
  }
  // Where no token is configured, the path does not exist.
  const embedded = await request.get(`${E2E_EMBEDDED_URL}/metrics`, {
    headers: { Authorization: "Bearer anything-at-all" },
  });
  expect(embedded.status()).toBe(404);
});

test("requests, sync checks, replies and the runtime show up by route pattern", async ({ page, request }) => {
  const before = await (await request.get("/metrics", { headers: authorized })).text();
  const chatRequests = (text: string, orZero = false) =>
    sampleSum(text, "parley_http_request_duration_seconds_count", { route: "/chats/:chatId" }, orZero);
  const repliesDone = (text: string, orZero = false) =>
    sampleSum(text, "parley_replies_finished_total", { outcome: "complete" }, orZero);

  await page.goto("/chats");
  await page.getByRole("textbox", { name: "Message" }).fill("Counted by the metrics");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("article", { name: "Parley said" })).toContainText(
    "Hello from the fake model.",
  );
  const chatId = chatIdOf(page);
  await page.reload();
  await expect(page.getByRole("article", { name: "Parley said" })).toBeVisible();

  const response = await request.get("/metrics", { headers: authorized });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  expect(response.headers()["cache-control"]).toBe("no-store");
  const after = await response.text();

  expect(chatRequests(after)).toBeGreaterThan(chatRequests(before, true));
  expect(after).not.toContain(chatId);
  expect(sampleSum(after, "parley_sync_checks_total")).toBeGreaterThan(0);
  expect(repliesDone(after)).toBeGreaterThan(repliesDone(before, true));
  expect(sampleSum(after, "parley_provider_first_token_seconds_count")).toBeGreaterThan(0);
  expect(sampleSum(after, "parley_replies_pending")).toBeGreaterThanOrEqual(0);
  expect(sampleSum(after, "parley_cache_reads_total", { result: "hit" })).toBeGreaterThan(0);
  expect(sampleSum(after, "parley_hot_store_up", { kind: "redis" })).toBe(1);
  expect(sampleSum(after, "parley_pg_pool_clients", { state: "total" })).toBeGreaterThan(0);
  expect(sampleSum(after, "parley_pg_pool_clients", { state: "waiting" })).toBe(0);
  expect(sampleSum(after, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThanOrEqual(0);
  expect(sampleSum(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
});

test("made-up paths and methods share one label each", async ({ request }) => {
  for (let index = 0; index < 5; index++) await request.get(`/no-such-page-${index}`);
  await request.fetch("/chats", { method: "PATCH" });
  const text = await (await request.get("/metrics", { headers: authorized })).text();
  expect(text).not.toContain("no-such-page");
  expect(text).not.toContain('method="PATCH"');
  expect(sampleSum(text, "parley_http_request_duration_seconds_count", { method: "other" })).toBeGreaterThan(
    0,
  );
});

test("METRICS_PORT serves the metrics without a token, and nothing else", async ({ request }) => {
  const port = extraInstancePort(65);
  const metricsPort = extraInstancePort(66);
  const instance = await startAppInstance(port, { METRICS_PORT: String(metricsPort), OPERATOR_TOKEN: "" });
  try {
    const metrics = await request.get(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status()).toBe(200);
    expect(await metrics.text()).toContain("parley_http_request_duration_seconds");
    expect((await request.get(`http://127.0.0.1:${metricsPort}/chats`)).status()).toBe(404);
    // The app's own port has no token set, so /metrics is an unknown page there.
    expect((await request.get(`${instance.url}/metrics`)).status()).toBe(404);
  } finally {
    await instance.stop();
  }
});
