import { request as requests, type APIRequestContext, type APIResponse } from "@playwright/test";
import pg from "pg";
import { startPgBouncer, type TestPgBouncer } from "#db/testing/pgbouncer";
import { startPrivatePostgres, type PrivatePostgres } from "#db/testing/private-postgres";
import { startAppInstance, type AppInstance } from "./support/app-instance";
import { extraInstancePort } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * Postgres restarted (`pg_ctl restart -m fast`) and then stopped for a while under app
 * instances serving a steady load of sends and reads, one connected directly and one through a
 * PgBouncer in transaction mode. The Postgres is the test's own (initdb in
 * a temporary directory, a free port), so the shared one is never touched. What must hold:
 * - no acknowledged send is lost: every send answered with its redirect is in Postgres after;
 * - every failure is a 503 with Retry-After that says so (no 500, no dropped connection);
 * - the same process recovers by itself (the pool drops the dead connections);
 * - /readyz answers 503 while Postgres is down and 200 once it is back; /healthz keeps its answer.
 */
test.describe.configure({ mode: "serial" });

/** This instance's port, and the next one for the instance behind PgBouncer. */
const PORT = extraInstancePort(60); // and PORT + 1
const WORKERS = 6;
const NOT_ANSWERING = "The database is not answering; nothing was saved, try again in a moment.";

let postgres: PrivatePostgres;
let bouncer: TestPgBouncer;
/** The same Postgres, directly and through a PgBouncer in transaction mode. */
const instances: Partial<Record<Via, AppInstance>> = {};
type Via = "directly" | "through PgBouncer";
const contexts: APIRequestContext[] = [];

async function visitor(instance: AppInstance): Promise<APIRequestContext> {
  const context = await requests.newContext({ baseURL: instance.url });
  contexts.push(context);
  return context;
}

const sendForm = (content: string) => ({
  intent: "send",
  content,
  clientId: crypto.randomUUID().replaceAll("-", ""),
});

async function storedContents(): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: postgres.url("parley") });
  await client.connect();
  try {
    const { rows } = await client.query<{ content: string }>(
      "select content from messages where role = 'user'",
    );
    return new Set(rows.map((row) => row.content));
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  postgres = await startPrivatePostgres();
  const admin = new pg.Client({ connectionString: postgres.url() });
  await admin.connect();
  await admin.query("create database parley");
  await admin.end();
  bouncer = await startPgBouncer({ host: "127.0.0.1", port: postgres.port });
  // No Redis and a 1 s cache: reads need Postgres during the restart, as writes do.
  const common = { REDIS_URL: "", CACHE_TTL_SECONDS: "1", LLM_BASE_URL: "" };
  // One after the other: two processes starting at once on a busy machine can miss the 30 s start-up limit.
  instances.directly = await startAppInstance(
    PORT,
    { ...common, DATABASE_URL: postgres.url("parley") },
    { echo: false },
  );
  instances["through PgBouncer"] = await startAppInstance(
    PORT + 1,
    {
      ...common,
      DATABASE_URL: bouncer.through(postgres.url("parley")),
      DB_POOLER: "pgbouncer",
      MIGRATION_DATABASE_URL: postgres.url("parley"),
    },
    { echo: false },
  );
});

test.afterAll(async () => {
  for (const context of contexts) await context.dispose();
  await Promise.all(Object.values(instances).map((instance) => instance.stop()));
  await bouncer?.stop();
  await postgres?.destroy();
});

for (const via of ["directly", "through PgBouncer"] as const) {
  test(`a Postgres restart under load (${via}) loses no acknowledged send, fails only with 503s, and needs no app restart`, async () => {
    test.setTimeout(60_000);
    const instance = instances[via]!;
    type Outcome = {
      at: number;
      kind: "send" | "page" | "sync";
      status: number | "network";
      retryAfter?: string;
      /** For a 503: whether it says the database is not answering (or may have saved). */
      saysWhy?: boolean;
    };
    const outcomes: Outcome[] = [];
    const acknowledged: string[] = [];
    const started = performance.now();
    const now = () => Math.round(performance.now() - started);
    let running = true;

    async function record(kind: Outcome["kind"], response: APIResponse | null): Promise<void> {
      const status = response?.status() ?? "network";
      const saysWhy =
        status === 503
          ? /The database (is not answering|stopped answering)/.test(await response!.text())
          : undefined;
      outcomes.push({ at: now(), kind, status, retryAfter: response?.headers()["retry-after"], saysWhy });
    }

    async function worker(index: number) {
      const guest = await visitor(instance);
      const options = { timeout: 15_000 };
      for (let n = 0; running; n += 1) {
        const content = `restart load ${index}-${n} ${crypto.randomUUID()}`;
        const sent = await guest
          .post("/chats?index", { form: sendForm(content), maxRedirects: 0, ...options })
          .catch(() => null);
        await record("send", sent);
        if (sent?.status() !== 302) continue;
        acknowledged.push(content);
        const chatPath = sent.headers().location;
        await record("page", await guest.get(chatPath, options).catch(() => null));
        const sync = `/resources/sync?chat=${chatPath.split("/").pop()}`;
        await record("sync", await guest.get(sync, options).catch(() => null));
      }
    }

    const load = Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const restartAt = now();
    await postgres.restart();
    const restartedAt = now();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    running = false;
    await load;

    const unavailable = outcomes.filter((outcome) => outcome.status === 503);
    const otherFailures = outcomes.filter(
      (outcome) => outcome.status !== 503 && outcome.status !== 200 && outcome.status !== 302,
    );
    const stored = await storedContents();
    const lost = acknowledged.filter((content) => !stored.has(content));
    const window =
      unavailable.length > 0 ? `${unavailable[0].at}–${unavailable[unavailable.length - 1].at} ms` : "none";
    console.log(
      `Postgres restart ${via} (${restartAt}–${restartedAt} ms): ${outcomes.length} requests, ${acknowledged.length} acknowledged sends, ` +
        `${lost.length} lost, ${unavailable.length} answered 503 (${window}), ${otherFailures.length} other failures` +
        (otherFailures.length > 0
          ? `: ${JSON.stringify(otherFailures.slice(0, 5))}\ninstance log:\n${instance.errorLog().slice(-3000)}`
          : ""),
    );
    expect(lost, "acknowledged sends missing from Postgres").toEqual([]);
    expect(otherFailures, "failures other than 503").toEqual([]);
    for (const outcome of unavailable) {
      const what = `${outcome.kind} 503 at ${outcome.at} ms`;
      expect(outcome.retryAfter, what).toBe("5");
      expect(outcome.saysWhy, `${what} says the database is not answering`).toBe(true);
    }
    // Requests went on being served after the restart, by the same process.
    expect(
      outcomes.filter((outcome) => outcome.at > restartedAt + 1_000 && outcome.status === 302).length,
    ).toBeGreaterThan(0);
    expect(instance.errorLog()).not.toMatch(/unhandled server error|request failed/);
    if (via === "through PgBouncer") {
      // This database has no limits set on it: the instance behind PgBouncer said so at start.
      expect(instance.errorLog()).toMatch(/statement_timeout is off on pooled connections, not 3000 ms/);
    }
  });
}

test("with Postgres stopped, /readyz, pages and sends answer 503 with Retry-After, and 200 again once it is back", async () => {
  test.setTimeout(60_000);
  const instance = instances.directly!;
  const guest = await visitor(instance);
  const created = await guest.post("/chats?index", { form: sendForm("Before the stop"), maxRedirects: 0 });
  expect(created.status()).toBe(302);
  const chatPath = created.headers().location;
  expect((await guest.get("/readyz")).status()).toBe(200);

  await postgres.stop();
  try {
    // A readiness answer is remembered for a second: the next one after that says so.
    await expect
      .poll(async () => (await guest.get("/readyz")).status(), { timeout: 5_000, intervals: [250] })
      .toBe(503);
    const readyz = await guest.get("/readyz");
    expect(readyz.headers()["retry-after"]).toBe("5");
    expect(await readyz.text()).toContain("not ready");
    // /healthz keeps its answer and format.
    const health = await guest.get("/healthz");
    expect(health.status()).toBe(503);
    expect(await health.json()).toEqual({ db: "down", cache: "embedded" });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the chat's cached entries expire
    const page = await guest.get(chatPath);
    expect(page.status()).toBe(503);
    expect(page.headers()["retry-after"]).toBe("5");
    const pageText = await page.text();
    expect(pageText).toContain("Something went wrong (503)");
    expect(pageText).toContain(NOT_ANSWERING);
    const send = await guest.post("/chats?index", { form: sendForm("While stopped"), maxRedirects: 0 });
    expect(send.status()).toBe(503);
    expect(send.headers()["retry-after"]).toBe("5");
  } finally {
    await postgres.start();
  }
  await expect
    .poll(async () => (await guest.get("/readyz")).status(), { timeout: 5_000, intervals: [250] })
    .toBe(200);
  const again = await guest.post("/chats?index", { form: sendForm("After the stop"), maxRedirects: 0 });
  expect(again.status()).toBe(302);
  const stored = await storedContents();
  expect(stored.has("After the stop")).toBe(true);
  expect(stored.has("While stopped")).toBe(false);
  expect(instance.errorLog()).not.toMatch(/unhandled server error|request failed/);
});
