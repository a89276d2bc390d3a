/**
 * `npm run bench` (and `npm run bench -- --quick`): Parley's load benchmark. See bench/README.md.
 *
 * Builds the app if needed, starts a private Redis and a fresh Postgres database, seeds it,
 * then starts each server configuration in turn and drives it from separate processes
 * (autocannon, the tab simulator), all on 127.0.0.1. Writes bench/results/<timestamp>.json
 * and .md and prints the Markdown.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded } from "#server/build-if-needed";
import { startParley, startRemixServe, startServer, type RunningServer } from "./lib/app-process";
import { parseArgs, USAGE, type BenchArgs, type ScenarioName } from "./lib/args";
import { stopAllChildren } from "./lib/children";
import { collectMachine } from "./lib/machine";
import { freePort } from "./lib/ports";
import { prepareBenchDatabase, type BenchDatabase } from "./lib/postgres";
import { memory } from "./lib/process-stats";
import { rssAfterCollection } from "./profile/profiler";
import { startRedis, type RedisInstance } from "./lib/redis-instance";
import { baselineCommand } from "./lib/bundle";
import { renderMarkdown } from "./lib/report";
import { MB, NO_RESPONSE_CACHE, type BenchResults, type RequestRow } from "./lib/results";
import { FULL_PLAN, QUICK_PLAN, seedPostgres, type SeedPlan } from "./lib/seed";
import { startEmbeddedSeed } from "./lib/embedded-data";
import { runAccounting } from "./scenarios/accounting";
import {
  chatDataEntries,
  chatDocumentEntries,
  checkRoute,
  listDataEntries,
  listDocumentEntries,
  sendEntries,
  syncEntries,
} from "./scenarios/common";
import { SendSlots } from "./scenarios/send-slots";
import type { BenchContext } from "./scenarios/context";
import { runIdleTabs } from "./scenarios/idle-tabs";
import { runMix } from "./scenarios/mix";
import { measurePageWeight, runOpenChat } from "./scenarios/open-chat";
import { runProfiles } from "./scenarios/profile";
import { runSend } from "./scenarios/send";
import { runSync } from "./scenarios/sync";
import { renderSearchSection, runSearchBench } from "./scenarios/search";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SESSION_SECRET = "parley-bench-session-secret-not-for-production-0001";
const EMBEDDED_PLAN = (quick: boolean): SeedPlan => ({ ...QUICK_PLAN, users: quick ? 12 : 100 });

const started = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

let args: BenchArgs;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const want = (...names: ScenarioName[]) => names.some((name) => args.only.has(name));

const tmpDir = mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
const logDir = path.join(tmpDir, "logs");
mkdirSync(logDir, { recursive: true });
let redis: RedisInstance | null = null;
let db: BenchDatabase | null = null;
let interrupted = false;

async function cleanUp() {
  await stopAllChildren();
  await redis?.stop().catch(() => undefined);
  await db?.close().catch(() => undefined);
}

process.on("SIGINT", () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log("interrupted: stopping every process the bench started");
  void cleanUp().finally(() => process.exit(130));
});

function noteLogErrors(name: string, server: RunningServer, expected?: RegExp) {
  const errors = server.logErrors(expected);
  if (errors.count > 0) {
    resultsRef?.problems.push(
      `${name}: the server logged ${errors.count} error/warning lines, most often: ${errors.samples.join(" | ")}`,
    );
  }
}

let resultsRef: BenchResults | null = null;

/** The state of every route the scenarios use, from one probe each against Parley + Redis. */
async function probeRoutes(context: BenchContext, server: RunningServer): Promise<Record<string, string>> {
  const fixture = context.fixture;
  const marker = (entry: { marker?: string }) => entry.marker;
  const probes: Array<[string, Parameters<typeof checkRoute>[1], Parameters<typeof checkRoute>[2]]> = [
    ["sync check", syncEntries(fixture, 1)[0], { statuses: [200], reject: '"chat":null' }],
    ["chat document", chatDocumentEntries(fixture, 1)[0], { statuses: [200], marker }],
    ["chat data request", chatDataEntries(fixture, 1)[0], { statuses: [200], marker }],
    ["chat list document", listDocumentEntries(fixture, 1)[0], { statuses: [200], marker }],
    ["chat list data request", listDataEntries(fixture, 1)[0], { statuses: [200], marker }],
    [
      "send (no-JS form)",
      sendEntries(fixture, context.sendSlots.take(1), "form")[0],
      { statuses: [302, 303] },
    ],
    ["send (fetcher)", sendEntries(fixture, context.sendSlots.take(1), "fetcher")[0], { statuses: [200] }],
  ];
  const routes: Record<string, string> = {};
  for (const [label, entry, check] of probes) {
    const problem = await checkRoute(server, entry, check);
    routes[label] = problem ?? "ok";
    log(
      `  route ${label} (${entry.method} ${entry.path.replace(/[0-9a-f-]{36}/, ":id")}): ${problem ?? "ok"}`,
    );
  }
  return routes;
}

async function main(): Promise<BenchResults> {
  const quick = args.quick;
  log(`Parley bench (${quick ? "quick" : "full"}), temporary files in ${tmpDir}`);
  redis = await startRedis(logDir, root);
  log(
    `private redis ${redis.version} at ${redis.url}${redis.shared ? " (shared instance: no redis-server binary)" : ""}`,
  );
  db = await prepareBenchDatabase(args.adminUrl, args.dbName);
  log(`database ${db.name} (Postgres ${db.version}) created`);
  const machine = collectMachine(root, { postgres: db.version, redis: redis.version });

  // PGlite is seeded in its own process (or copied from the cache) while the app builds and
  // Postgres is seeded: nothing is measured yet, so the two may share the CPU.
  const embeddedSeed = want("open-chat")
    ? startEmbeddedSeed(root, EMBEDDED_PLAN(quick), SESSION_SECRET, tmpDir, logDir)
    : null;
  buildIfNeeded(root, (message) => log(message));

  const plan = quick ? QUICK_PLAN : FULL_PLAN;
  const fixture = await seedPostgres(db.url, plan, SESSION_SECRET);
  log(
    `seeded Postgres: ${fixture.counts.users} users, ${fixture.counts.chats} chats, ${fixture.counts.messages} messages in ${fixture.seconds.toFixed(1)} s`,
  );
  let embedded: BenchContext["embedded"] = null;
  if (embeddedSeed) {
    const data = await embeddedSeed();
    embedded = { dataDir: data.dataDir, fixture: data.fixture };
    log(
      `PGlite ${data.cached ? "copied from the cache" : "seeded"}: ${data.fixture.counts.chats} chats, ${data.fixture.counts.messages} messages`,
    );
  }

  const durationSec = args.durationSec ?? (quick ? 2 : 8);
  const results: BenchResults = {
    version: 1,
    mode: quick ? "quick" : "full",
    startedAt: new Date().toISOString(),
    finishedAt: "",
    wallSeconds: 0,
    machine,
    dataset: {
      postgres: { plan, counts: fixture.counts, seedSeconds: fixture.seconds },
      embedded: embedded
        ? {
            plan: embedded.fixture.plan,
            counts: embedded.fixture.counts,
            seedSeconds: embedded.fixture.seconds,
          }
        : undefined,
    },
    settings: {
      connections: args.connections,
      durationSec,
      warmupSec: quick ? 0.5 : 2,
      scenarios: [...args.only],
      acceptEncoding: "gzip, deflate",
      llm: "offline provider (LLM_OFFLINE_DELAY_MS default)",
    },
    routes: {},
    rows: [],
    pageWeights: [],
    accounting: [],
    tabs: [],
    servers: [],
    problems: [],
  };
  resultsRef = results;
  const context: BenchContext = {
    root,
    logDir,
    tmpDir,
    quick,
    sessionSecret: SESSION_SECRET,
    redis,
    db,
    fixture,
    embedded,
    deadRedisUrl: `redis://127.0.0.1:${await freePort()}`,
    load: {
      connections: args.connections,
      durationSec,
      warmupSec: quick ? 0.5 : 2,
      idleWaitMs: quick ? 1_000 : 20_000,
    },
    results,
    sendSlots: new SendSlots(fixture),
    log,
    tabCounts: args.tabs ?? (quick ? [1000] : [1000, 5000]),
    parleyExtra: args.keepAliveMs ? { KEEP_ALIVE_TIMEOUT_MS: String(args.keepAliveMs) } : undefined,
  };
  const paths = { root, logDir };
  const appDir = path.join(tmpDir, "app");
  const withRedis = {
    databaseUrl: db.url,
    redisUrl: redis.url,
    sessionSecret: SESSION_SECRET,
    dataDir: appDir,
    extra: context.parleyExtra,
  };
  const rows = results.rows;
  const available = (label: string) => results.routes[label] === "ok";

  const serverPhase = async (
    name: string,
    start: () => Promise<RunningServer>,
    body: (server: RunningServer) => Promise<void>,
    /** Log lines that are this configuration's point (e.g. "redis unavailable" with the cache down). */
    expectedLog?: RegExp,
  ) => {
    let server: RunningServer | null = null;
    let entry: BenchResults["servers"][number] | null = null;
    try {
      server = await start();
      log(`${name}: up (started in ${(server.startMs / 1000).toFixed(1)} s, pid ${server.pid})`);
      await body(server);
      const mem = memory(server.pid);
      // Read after the RSS above, which is the figure: the collection changes what it reads.
      const collected = server.inspectorUrl ? await rssAfterCollection(paths, server) : Number.NaN;
      entry = {
        name: server.name,
        startMs: server.startMs,
        rssMBAtEnd: mem.rss / MB,
        rssMBAfterCollection: Number.isFinite(collected) ? collected / MB : undefined,
        peakRssMB: mem.peakRss / MB,
      };
      log(
        `${name}: RSS at the end ${(mem.rss / MB).toFixed(0)} MB${Number.isFinite(collected) ? `, ${(collected / MB).toFixed(0)} MB once V8 collected all it could` : ""}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${name}: error: ${message}`);
      results.problems.push(`${name}: ${message.split("\n")[0]}`);
    } finally {
      if (server) {
        noteLogErrors(name, server, expectedLog);
        const stopped = await server.stop(quick ? 1_500 : 5_000);
        entry ??= { name: server.name, startMs: server.startMs };
        entry.stopMs = stopped.ms;
        entry.killed = stopped.killed;
        results.servers.push(entry);
        if (stopped.killed) {
          results.problems.push(
            `${name}: did not exit within ${quick ? 1.5 : 5} s of SIGTERM and was killed (SIGKILL)`,
          );
          log(`${name}: did not exit on SIGTERM; killed`);
        }
      }
    }
  };

  // 1. Parley's own server, Postgres + Redis: the main configuration.
  if (want("open-chat", "sync", "mix", "send", "accounting")) {
    await serverPhase(
      "Parley + Redis",
      // With an inspector, to read what the RSS after the run would be after a full collection.
      () => startParley("parley-redis", withRedis, paths, { inspect: true }),
      async (server) => {
        results.routes = await probeRoutes(context, server);
        const cpu = { redis: true, postgres: true };
        if (want("open-chat")) {
          log("open a chat / list chats: Parley + Redis");
          rows.push(
            ...(await runOpenChat(context, server, {
              variant: "Parley + Redis",
              fixture,
              includeList: true,
              cpu,
            })),
          );
          const weight = await measurePageWeight(server, fixture, "Parley + Redis");
          if (weight) results.pageWeights.push(weight);
        }
        if (want("sync")) {
          log("sync check: Parley's fast path");
          rows.push(await runSync(context, server, { variant: "Parley + Redis", fixture, cpu }));
        }
        if (want("mix")) {
          log("read-heavy mix");
          results.mix = await runMix(context, server, available);
        }
        if (want("send")) {
          log("send a message");
          rows.push(await runSend(context, server, "form"));
          if (!quick) rows.push(await runSend(context, server, "fetcher"));
        }
      },
    );
  }

  // 1b. The same with the response cache turned off: every page a miss ("cold (miss)" in the
  // goals). The setting is passed whether or not this build has the cache; without one, both
  // configurations measure the same thing, and the report says the hit ratio was not exposed.
  if (want("open-chat")) {
    await serverPhase(
      "Parley + Redis, response cache off",
      () =>
        startParley(
          "parley-redis-no-response-cache",
          { ...withRedis, extra: { RESPONSE_CACHE_MAX_BYTES: "0" } },
          paths,
        ),
      async (server) => {
        log("open a chat / list chats: Parley + Redis, response cache off");
        rows.push(
          ...(await runOpenChat(context, server, {
            variant: NO_RESPONSE_CACHE,
            fixture,
            includeList: true,
            cpu: { redis: true, postgres: true },
          })),
        );
      },
    );
  }

  // 2. The sync check's ceiling and its remix-serve twin.
  if (want("sync")) {
    const bareCommand = await baselineCommand(root, "bench/baselines/bare-sync-server.ts", tmpDir, log);
    const cacheKeyPrefix = await db!.cacheKeyPrefix();
    await serverPhase(
      "bare node:http sync server",
      () =>
        startServer(
          {
            name: "bare-sync",
            command: bareCommand,
            env: {
              NODE_ENV: "production",
              REDIS_URL: redis!.url,
              SESSION_SECRET,
              CACHE_KEY_PREFIX: cacheKeyPrefix,
            },
          },
          paths,
        ),
      async (server) => {
        rows.push(
          await runSync(context, server, {
            variant: "bare node:http ceiling",
            fixture,
            cpu: { redis: true },
          }),
        );
      },
    );
    await serverPhase(
      "remix-serve",
      () => startRemixServe("remix-serve", withRedis, paths),
      async (server) => {
        rows.push(
          await runSync(context, server, {
            variant: "remix-serve resource route",
            fixture,
            cpu: { redis: true, postgres: true },
          }),
        );
      },
    );
  }

  // 3. The cache down, and the embedded default.
  if (want("open-chat")) {
    await serverPhase(
      "Parley, cache down",
      () => startParley("parley-no-cache", { ...withRedis, redisUrl: context.deadRedisUrl }, paths),
      async (server) => {
        const variant = "Postgres only (cache down)";
        rows.push(
          ...(await runOpenChat(context, server, {
            variant,
            fixture,
            includeList: !quick,
            cpu: { postgres: true },
          })),
        );
        if (!quick) rows.push(await runSync(context, server, { variant, fixture, cpu: { postgres: true } }));
      },
      /hot store: redis unavailable/,
    );
  }

  // Servers that are only *started* here are started while the accounting phase runs: it only
  // counts (nothing in it is timed), so their start-up CPU costs no figure, and the run is
  // shorter. They sit idle until their phase.
  const early = <T>(promise: Promise<T>) => {
    promise.catch(() => undefined);
    return promise;
  };
  const embeddedStart =
    want("open-chat") && embedded
      ? early(
          startParley("parley-embedded", { sessionSecret: SESSION_SECRET, dataDir: embedded.dataDir }, paths),
        )
      : null;
  const tabsStart =
    quick && want("tabs")
      ? early(startParley(`parley-tabs-${context.tabCounts[0]}`, withRedis, paths, { inspect: true }))
      : null;

  // 4. Statements and round trips per request, counted at the wire.
  if (want("accounting", "send", "mix")) {
    log("cost per request at the wire (counting proxies)");
    const accounting = await runAccounting(context, available);
    results.accounting = accounting.rows;
    if (accounting.mix && results.mix) Object.assign(results.mix, accounting.mix);
  }

  // 5. The embedded default.
  if (embeddedStart && embedded) {
    const fixtureEmbedded = embedded.fixture;
    await serverPhase(
      "Parley, embedded",
      () => embeddedStart,
      async (server) => {
        const variant = "embedded (PGlite, in-process cache)";
        rows.push(
          ...(await runOpenChat(context, server, {
            variant,
            fixture: fixtureEmbedded,
            includeList: !quick,
            cpu: {},
          })),
        );
        if (!quick) rows.push(await runSync(context, server, { variant, fixture: fixtureEmbedded, cpu: {} }));
      },
    );
  }

  // 6. Where each route's CPU goes (V8 profiles).
  if (want("profile")) {
    log("per-route CPU profiles");
    results.profiles = await runProfiles(context);
  }

  // 7. Idle tabs.
  if (want("tabs")) {
    log("idle tabs");
    results.tabs = await runIdleTabs(context, tabsStart);
  }

  collectProblems(results);
  return results;
}

function collectProblems(results: BenchResults) {
  for (const [route, state] of Object.entries(results.routes)) {
    if (state !== "ok") results.problems.push(`route "${route}": ${state}`);
  }
  for (const row of results.rows as RequestRow[]) {
    if (row.status === "error") results.problems.push(`${row.name} [${row.variant}]: ${row.note}`);
    if (row.status === "ok" && row.note) results.problems.push(`${row.name} [${row.variant}]: ${row.note}`);
    if (row.status === "ok" && (row.foreignCores ?? 0) > 0.25) {
      results.problems.push(
        `${row.name} [${row.variant}]: other processes kept ${row.foreignCores?.toFixed(2)} cores busy during the run: treat this figure as noisy (busiest: ${row.busiestOthers?.join("; ") || "short-lived processes that had exited by the end"})`,
      );
    }
    if (row.status === "ok" && (row.generatorCores ?? 0) > 0.9) {
      results.problems.push(
        `${row.name} [${row.variant}]: the load generator used ${row.generatorCores?.toFixed(2)} cores: the figure may be the generator's limit, not the server's`,
      );
    }
  }
  for (const row of results.tabs) {
    if (row.status !== "ok" || row.note)
      results.problems.push(`${row.tabs} tabs, ${row.design}: ${row.note ?? row.status}`);
    if ((row.foreignCores ?? 0) > 0.25) {
      results.problems.push(
        `${row.tabs} tabs, ${row.design}: other processes kept ${row.foreignCores?.toFixed(2)} cores busy during the window (busiest: ${row.busiestOthers?.join("; ") || "short-lived processes that had exited by the end"})`,
      );
    }
    if ((row.skippedPolls ?? 0) > 0)
      results.problems.push(
        `${row.tabs} tabs, ${row.design}: ${row.skippedPolls} polls skipped (a tab's previous poll had not completed)`,
      );
    if ((row.warmupSkippedPolls ?? 0) > 0) {
      results.problems.push(
        `${row.tabs} tabs, ${row.design}: ${row.warmupSkippedPolls} polls skipped during the warm-up, while the tabs opened their connections`,
      );
    }
  }
  if (results.mix && results.mix.status !== "ok")
    results.problems.push(`mix: ${results.mix.note ?? results.mix.status}`);
}

/** `--only=search`: the search benchmark alone (no servers, no load), in a report of its own. */
async function searchOnly() {
  const search = await runSearchBench({ adminUrl: args.adminUrl, quick: args.quick, log });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const outDir = path.join(root, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  const markdown = `# Parley search benchmark: ${stamp} (${args.quick ? "quick" : "full"})\n\n${renderSearchSection(search)}\n`;
  writeFileSync(path.join(outDir, `${stamp}-search.json`), `${JSON.stringify(search, null, 2)}\n`);
  writeFileSync(path.join(outDir, `${stamp}-search.md`), markdown);
  console.log(`\n${markdown}`);
  log(`wrote bench/results/${stamp}-search.json and .md`);
}

/** Every scenario asked for, in one report. */
async function allScenarios() {
  const results = await main();
  if (want("search")) {
    log("search (repository level)");
    results.search = await runSearchBench({ adminUrl: args.adminUrl, quick: args.quick, log });
  }
  results.finishedAt = new Date().toISOString();
  results.wallSeconds = (performance.now() - started) / 1000;
  const stamp = results.startedAt.replace(/[:.]/g, "-");
  const outDir = path.join(root, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  const markdown = results.search
    ? `${renderMarkdown(results)}\n${renderSearchSection(results.search)}\n`
    : renderMarkdown(results);
  writeFileSync(path.join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(outDir, `${stamp}.md`), markdown);
  console.log(`\n${markdown}`);
  log(`wrote bench/results/${stamp}.json and .md`);
}

let exitCode = 0;
try {
  if (args.only.size === 1 && want("search")) await searchOnly();
  else await allScenarios();
} catch (error) {
  exitCode = 1;
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  console.error(`logs: ${logDir}`);
} finally {
  await cleanUp();
  if (!args.keepTmp && exitCode === 0) rmSync(tmpDir, { recursive: true, force: true });
  else console.log(`temporary files kept in ${tmpDir}`);
}
process.exit(exitCode);
