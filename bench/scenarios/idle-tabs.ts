import { startParley, startServer, type RunningServer } from "#bench/lib/app-process";
import { tryProbe } from "#bench/lib/http";
import { waitForIdleMachine } from "#bench/lib/autocannon-run";
import { baselineCommand } from "#bench/lib/bundle";
import {
  busiestOthers,
  cpuSeconds,
  machineBusySeconds,
  memory,
  openSockets,
  snapshotProcesses,
} from "#bench/lib/process-stats";
import { MB, type TabsRow } from "#bench/lib/results";
import { createMessageWriter } from "#bench/lib/writer";
import { createTabSessions } from "#bench/lib/tab-sessions";
import { rssAfterCollection, settledRssAfterCollection } from "#bench/profile/profiler";
import { TabsProcess } from "#bench/tabs/tabs-process";
import { paths, type BenchContext } from "./context";

/**
 * Many visible tabs, each watching one chat: Parley's polling (active: every 2 s; idle:
 * backed off to 15 s; away: 60 s) against the design it replaces, one held SSE connection per tab with a
 * 15 s heartbeat (bench/baselines/sse-server.ts). Each configuration gets a fresh server.
 *
 * Per configuration: start the tabs; after a ramp, sample the server (CPU, RSS, sockets);
 * then write one new message and measure the window until every tab has seen it (the push,
 * versus each tab's next poll), at least `window` long; sample again.
 *
 * All tabs belong to one user and watch one chat, so that one write is news to every tab;
 * the per-request work (cookie check, one Redis MGET) is the same as for distinct users.
 * "Seen" for Parley means the sync check answered a higher version; the tab would then make
 * one data request to render the message (its cost is the "chat data request" row).
 */
export async function runIdleTabs(
  context: BenchContext,
  preStarted: Promise<RunningServer> | null = null,
): Promise<TabsRow[]> {
  const rows: TabsRow[] = [];
  const counts = context.tabCounts;
  const user = context.fixture.users[context.fixture.users.length - 1];
  const chatId = user.chatIds[0];
  const writer = createMessageWriter(context.db.url, context.redis.url);
  // One session per tab (one tab per person, the worst case), made once for the most tabs.
  const cookies = await createTabSessions(
    context.db.url,
    user.id,
    Math.max(...counts),
    context.sessionSecret,
  );
  try {
    for (const tabs of counts) {
      // A fresh server per configuration (so RSS is that configuration's); --quick shares one.
      let shared: RunningServer | null = null;
      for (const mode of pollModes(context.quick)) {
        const design = `Parley polling (${mode.name}, every ${mode.intervalMs / 1000} s)`;
        let server: RunningServer | null = shared;
        try {
          if (!server && preStarted && tabs === counts[0]) server = await preStarted;
          server ??= await startParley(
            `parley-tabs-${tabs}-${mode.name}`,
            {
              databaseUrl: context.db.url,
              redisUrl: context.redis.url,
              sessionSecret: context.sessionSecret,
              dataDir: context.tmpDir,
              extra: context.parleyExtra,
            },
            paths(context),
            { inspect: true },
          );
          if (context.quick) shared = server;
          const app = server;
          rows.push(
            await measureTabs(context, {
              tabs,
              design,
              intervalMs: mode.intervalMs,
              windowMs: mode.windowMs,
              rampMs: rampMs(mode),
              server: app,
              mode: "poll",
              path: `/resources/sync?chat=${chatId}`,
              cookie: user.cookie,
              cookies,
              trigger: async () => writer.append(user.id, chatId, `a new message for ${tabs} tabs`),
              versionBefore: () => chatVersionAt(app.baseUrl, chatId, user.cookie),
            }),
          );
        } catch (error) {
          rows.push(failedRow(tabs, design, mode.intervalMs, error, context));
        } finally {
          if (server) noteErrors(context, `${tabs} tabs, ${design}`, server, rows);
          if (!context.quick) await server?.stop();
        }
      }
      await shared?.stop();

      // The same polls answered by the bare node:http sync server (same cookie check, same
      // Redis MGET; a 65 s keep-alive, so every tab keeps its connection, the cheapest way to
      // poll): what polling itself costs, apart from Parley's fast path, as often as an active
      // tab, an idle one and one away.
      for (const bareMode of pollModes(context.quick)) {
        let bare: RunningServer | null = null;
        const bareDesign = `bare node:http polling (${bareMode.name}, every ${bareMode.intervalMs / 1000} s)`;
        try {
          bare = await startServer(
            {
              name: `bare-sync-tabs-${tabs}-${bareMode.name}`,
              command: await baselineCommand(
                context.root,
                "bench/baselines/bare-sync-server.ts",
                context.tmpDir,
                context.log,
              ),
              env: {
                NODE_ENV: "production",
                REDIS_URL: context.redis.url,
                SESSION_SECRET: context.sessionSecret,
                CACHE_KEY_PREFIX: await context.db.cacheKeyPrefix(),
              },
              inspect: true,
            },
            paths(context),
          );
          const bareServer = bare;
          rows.push(
            await measureTabs(context, {
              tabs,
              design: bareDesign,
              intervalMs: bareMode.intervalMs,
              windowMs: bareMode.windowMs,
              rampMs: rampMs(bareMode),
              server: bareServer,
              mode: "poll",
              path: `/resources/sync?chat=${chatId}`,
              cookie: user.cookie,
              cookies,
              trigger: async () => writer.append(user.id, chatId, `a new message for ${tabs} tabs (bare)`),
              versionBefore: () => chatVersionAt(bareServer.baseUrl, chatId, user.cookie),
            }),
          );
        } catch (error) {
          rows.push(failedRow(tabs, bareDesign, bareMode.intervalMs, error, context));
        } finally {
          if (bare) noteErrors(context, `${tabs} tabs, ${bareDesign}`, bare, rows);
          await bare?.stop();
        }
      }

      let sse: RunningServer | null = null;
      try {
        sse = await startServer(
          {
            name: `sse-baseline-${tabs}`,
            command: await baselineCommand(
              context.root,
              "bench/baselines/sse-server.ts",
              context.tmpDir,
              context.log,
            ),
            env: { NODE_ENV: "production", SESSION_SECRET: context.sessionSecret },
            inspect: true,
          },
          paths(context),
        );
        let sequence = 0;
        const sseServer = sse;
        rows.push(
          await measureTabs(context, {
            tabs,
            design: "held SSE connection (15 s heartbeat)",
            intervalMs: 15_000,
            windowMs: context.quick ? 3_000 : 30_000,
            rampMs: 1_000,
            server: sse,
            mode: "sse",
            path: "/events",
            cookie: user.cookie,
            cookies,
            connectSpreadMs: Math.max(1_000, tabs), // 1 connection per ms
            trigger: async () => {
              const result = await tryProbe(`${sseServer.baseUrl}/publish`, {
                method: "POST",
                body: JSON.stringify({ chat: chatId, message: `a new message for ${tabs} tabs` }),
              });
              sequence = (JSON.parse(result.body) as { sequence: number }).sequence;
            },
            versionBefore: async () => sequence + 1,
          }),
        );
      } catch (error) {
        rows.push(failedRow(tabs, "held SSE connection (15 s heartbeat)", 15_000, error, context));
      } finally {
        if (sse) noteErrors(context, `${tabs} tabs, held SSE connection`, sse, rows);
        await sse?.stop();
      }
    }
  } finally {
    await writer.close();
  }
  return rows;
}

/** The chat's version as a server's sync check answers it (the "unavailable" error marks the row so). */
async function chatVersionAt(baseUrl: string, chatId: string, cookie: string): Promise<number> {
  const probe = await tryProbe(`${baseUrl}/resources/sync?chat=${chatId}`, { headers: { Cookie: cookie } });
  const state = probe.status === 200 ? (JSON.parse(probe.body) as { chat: number | null }) : { chat: null };
  if (state.chat === null)
    throw new Error(`sync check unavailable: ${probe.status} ${probe.body.slice(0, 80)}`);
  return state.chat;
}

/** Server log errors during a configuration go into its row (and so into the problems list). */
function noteErrors(context: BenchContext, name: string, server: RunningServer, rows: TabsRow[]) {
  const errors = server.logErrors();
  const seen = (server as RunningServer & { reported?: number }).reported ?? 0;
  if (errors.count > seen) {
    const row = rows[rows.length - 1];
    const note = `the server logged ${errors.count - seen} error/warning lines, most often: ${errors.samples.join(" | ")}`;
    if (row) row.note = row.note ? `${row.note}; ${note}` : note;
    context.log(`  ${name}: ${note}`);
    (server as RunningServer & { reported?: number }).reported = errors.count;
  }
}

function failedRow(
  tabs: number,
  design: string,
  intervalMs: number,
  error: unknown,
  context: BenchContext,
): TabsRow {
  const message = error instanceof Error ? error.message : String(error);
  context.log(`  ${tabs} tabs, ${design}: error: ${message}`);
  return {
    tabs,
    design,
    intervalMs,
    status: message.includes("unavailable") ? "unavailable" : "error",
    note: message.split("\n")[0],
  };
}

interface TabsSpec {
  tabs: number;
  design: string;
  intervalMs: number;
  windowMs: number;
  rampMs: number;
  server: RunningServer;
  mode: "poll" | "sse";
  path: string;
  cookie: string;
  cookies: string[];
  connectSpreadMs?: number;
  trigger(): Promise<void>;
  /** Poll: the chat version before the write. SSE: the event id the write will have. */
  versionBefore(): Promise<number>;
}

/**
 * Each server's RSS before its first tab opened, as read and after a forced collection once
 * settled (a server shared by two configurations keeps its first).
 */
const rssWithoutTabs = new WeakMap<RunningServer, { read: number; collected: number }>();

async function measureTabs(context: BenchContext, spec: TabsSpec): Promise<TabsRow> {
  await waitForIdleMachine(context.load.idleWaitMs);
  if (!rssWithoutTabs.has(spec.server)) {
    const read = memory(spec.server.pid).rss;
    rssWithoutTabs.set(spec.server, {
      read,
      collected: await settledRssAfterCollection(paths(context), spec.server),
    });
  }
  const rssNoTabs = rssWithoutTabs.get(spec.server) ?? { read: Number.NaN, collected: Number.NaN };
  const simulator = TabsProcess.spawn(paths(context), `tabs-${spec.mode}-${spec.tabs}`);
  try {
    const started = await simulator.start(
      {
        type: "start",
        mode: spec.mode,
        baseUrl: spec.server.baseUrl,
        path: spec.path,
        cookie: spec.cookie,
        cookies: spec.cookies.slice(0, spec.tabs),
        tabs: spec.tabs,
        intervalMs: spec.intervalMs,
        connectSpreadMs: spec.connectSpreadMs ?? 1_000,
        requestTimeoutMs: 10_000,
      },
      60_000,
    );
    if (spec.mode === "sse" && started.failed > 0)
      context.log(`  ${started.failed} SSE connections failed to open`);
    await sleep(spec.rampMs);
    const version = await spec.versionBefore();
    const statsBefore = await simulator.stats({ resetSamples: true });
    const cpuBefore = cpuSeconds(spec.server.pid);
    const redisBefore = context.redis.cpuSeconds();
    const machineBefore = machineBusySeconds();
    const processesBefore = snapshotProcesses();
    const windowStart = performance.now();
    await simulator.arm({
      afterVersion: spec.mode === "poll" ? version : 0,
      sseSequence: spec.mode === "sse" ? version : 0,
      timeoutMs: spec.intervalMs * 2 + 10_000,
    });
    const t0 = performance.timeOrigin + performance.now();
    await spec.trigger();
    const seen = await simulator.seen(t0, spec.intervalMs * 2 + 15_000);
    const remaining = spec.windowMs - (performance.now() - windowStart);
    if (remaining > 0) await sleep(remaining);
    const windowSec = (performance.now() - windowStart) / 1000;
    const cpu = cpuSeconds(spec.server.pid) - cpuBefore;
    const redisCpu = context.redis.cpuSeconds() - redisBefore;
    const machineBusy = machineBusySeconds() - machineBefore;
    const processesAfter = snapshotProcesses();
    const mem = memory(spec.server.pid);
    const sockets = openSockets(spec.server.pid);
    const statsAfter = await simulator.stats();
    // After the window's CPU was read: the collection is the bench's cost, not the tabs'.
    const rssCollected = await rssAfterCollection(paths(context), spec.server);
    const polls = statsAfter.pollsCompleted - statsBefore.pollsCompleted;
    const row: TabsRow = {
      tabs: spec.tabs,
      design: spec.design,
      intervalMs: spec.intervalMs,
      status: "ok",
      windowSec,
      serverRssMB: mem.rss / MB,
      serverRssNoTabsMB: rssNoTabs.read / MB,
      serverRssCollectedMB: rssCollected / MB,
      serverRssNoTabsCollectedMB: rssNoTabs.collected / MB,
      memoryPerTabKB: (rssCollected - rssNoTabs.collected) / spec.tabs / 1024,
      serverCpuSecPerMin: (cpu / windowSec) * 60,
      redisCpuSecPerMin: spec.mode === "poll" ? (redisCpu / windowSec) * 60 : undefined,
      requestsPerSec: spec.mode === "poll" ? polls / windowSec : undefined,
      skippedPolls: spec.mode === "poll" ? statsAfter.skippedPolls - statsBefore.skippedPolls : undefined,
      warmupSkippedPolls: spec.mode === "poll" ? statsBefore.skippedPolls : undefined,
      pollsCompleted: spec.mode === "poll" ? polls : undefined,
      errors: statsAfter.errors,
      errorSamples: statsAfter.errorSamples,
      openSockets: sockets,
      delayP50Ms: seen.delayMs.p50,
      delayP99Ms: seen.delayMs.p99,
      seen: seen.seen,
      pollLatency: statsAfter.pollLatencyMs,
      fireLagP99Ms: statsAfter.fireLagMs?.p99,
      generatorCpuSecPerMin: ((statsAfter.cpuSeconds - statsBefore.cpuSeconds) / windowSec) * 60,
      foreignCores:
        Math.max(
          0,
          machineBusy -
            cpu -
            (Number.isFinite(redisCpu) ? redisCpu : 0) -
            (statsAfter.cpuSeconds - statsBefore.cpuSeconds),
        ) / windowSec,
      busiestOthers: busiestOthers(
        processesBefore,
        processesAfter,
        windowSec,
        new Set([
          spec.server.pid,
          simulator.pid,
          process.pid,
          ...(context.redis.pid ? [context.redis.pid] : []),
        ]),
      ),
    };
    if (seen.timedOut) row.note = `only ${seen.seen} of ${spec.tabs} tabs saw the message before the timeout`;
    if (spec.mode === "sse" && started.connected < spec.tabs) {
      row.note = `${row.note ? `${row.note}; ` : ""}only ${started.connected} of ${spec.tabs} connections opened`;
    }
    context.log(
      `  ${spec.tabs} tabs, ${spec.design}: RSS ${row.serverRssMB?.toFixed(0)} MB (${row.serverRssCollectedMB?.toFixed(0)} MB collected, ${row.memoryPerTabKB?.toFixed(2)} kB/tab), ${row.serverCpuSecPerMin?.toFixed(2)} CPU s/min, ` +
        `${sockets} sockets, skipped ${row.skippedPolls ?? "-"} (${row.warmupSkippedPolls ?? "-"} while opening), delay p50 ${row.delayP50Ms?.toFixed(0)} ms p99 ${row.delayP99Ms?.toFixed(0)} ms (${seen.seen}/${spec.tabs} saw it)`,
    );
    return row;
  } finally {
    await simulator.stop();
  }
}

/**
 * How long the tabs run before the measured window: every tab opens its keep-alive connection
 * during its first interval (5,000 connections in 2 s is a connection storm, like a restart),
 * so the window starts after two intervals, when polls travel on warm connections. Skips
 * during this warm-up are reported apart from the window's.
 */
function warmupMs(intervalMs: number): number {
  return Math.min(2 * intervalMs, 6_000) + 1_000;
}

/**
 * How often a visible tab polls (app/hooks/useLiveSync.ts), and each mode's measured window.
 * Away = no input for ten minutes: every tab polls once before the window (its session's first
 * look-up, its first connection), and the window holds one interval; with Parley's keep-alive
 * at 20 s (the default), each poll comes on a new connection.
 */
function pollModes(quick: boolean) {
  return [
    { name: "active", intervalMs: 2_000, windowMs: quick ? 4_000 : 30_000 },
    { name: "idle", intervalMs: 15_000, windowMs: quick ? 15_000 : 45_000 },
    { name: "away", intervalMs: 60_000, windowMs: quick ? 60_000 : 75_000 },
  ];
}

/** Tabs away poll once before the window (one whole interval); the others warm up as above. */
function rampMs(mode: { name: string; intervalMs: number }): number {
  return mode.name === "away" ? mode.intervalMs + 1_000 : warmupMs(mode.intervalMs);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
