import { startParley, type RunningServer } from "#bench/lib/app-process";
import { runLoad } from "#bench/lib/autocannon-run";
import { tryProbe } from "#bench/lib/http";
import type { LoadEntry } from "#bench/lib/load-types";
import type { AccountingRow, MixResult } from "#bench/lib/results";
import {
  BackgroundStatements,
  emptyPgCounts,
  emptyRedisCounts,
  startPgProxy,
  startRedisProxy,
  waitForWireQuiet,
  type CountingProxy,
  type PgCounts,
  type RedisCounts,
} from "#bench/lib/wire-counter";
import { paths, type BenchContext } from "./context";
import {
  chatDataEntries,
  chatDocumentEntries,
  listDataEntries,
  listDocumentEntries,
  mixEntries,
  sendEntries,
  syncEntries,
} from "./common";
import { mixParts, PAGE_VIEW_LABELS } from "./mix";

/**
 * What each request costs in Postgres statements and Redis commands, counted at the wire by
 * transparent proxies (see lib/wire-counter.ts) in front of a separate Parley instance. The
 * proxies add latency, so nothing here is timed; only counted. Requests are sent one at a
 * time, and after each the bench waits until the wire is quiet, so background work (reply
 * generation, cache refills) is attributed to the request that caused it.
 *
 * First the read-heavy mix, counted while Redis is still warm from the load phases (a steady
 * state). Then the bench's Redis is flushed: "first view" is a cold cache for that chat or
 * list (and for the session look-up), "repeat view" the same request again, warm.
 */
/** Longer than the reply sweeper's 5 s interval, so one of its reads is seen. */
const BACKGROUND_WATCH_MS = 5_500;

interface Proxies {
  pg: CountingProxy<PgCounts>;
  redis: CountingProxy<RedisCounts>;
}

interface Totals {
  pg: PgCounts;
  redis: RedisCounts;
  /** Background statements (the app's own timers) seen in the same windows, counted apart. */
  pgBackground: number;
}

function emptyTotals(): Totals {
  return { pg: emptyPgCounts(), redis: emptyRedisCounts(), pgBackground: 0 };
}

function add(total: Totals, proxies: Proxies) {
  const pg = proxies.pg.counts();
  const redis = proxies.redis.counts();
  total.pgBackground += proxies.pg.background().statements;
  total.pg.statements += pg.statements;
  total.pg.roundTrips += pg.roundTrips;
  total.pg.transactions += pg.transactions;
  for (const [kind, count] of Object.entries(pg.byKind))
    total.pg.byKind[kind] = (total.pg.byKind[kind] ?? 0) + count;
  for (const [text, count] of Object.entries(pg.texts))
    total.pg.texts[text] = (total.pg.texts[text] ?? 0) + count;
  total.redis.commands += redis.commands;
  total.redis.roundTrips += redis.roundTrips;
  for (const [name, count] of Object.entries(redis.byCommand))
    total.redis.byCommand[name] = (total.redis.byCommand[name] ?? 0) + count;
}

function perRequest(
  name: string,
  samples: number,
  total: Totals,
  statuses: Record<string, number>,
  expected: number[],
): AccountingRow {
  const per = (value: number) => value / samples;
  const scale = (record: Record<string, number>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, per(value)]));
  const unexpected = Object.keys(statuses).filter((code) => !expected.includes(Number(code)));
  return {
    name,
    status: "ok",
    note: unexpected.length ? `unexpected responses: ${JSON.stringify(statuses)}` : undefined,
    statusCodes: statuses,
    samples,
    pgStatements: per(total.pg.statements),
    pgRoundTrips: per(total.pg.roundTrips),
    pgTransactions: per(total.pg.transactions),
    pgBackgroundStatements: per(total.pgBackground),
    redisCommands: per(total.redis.commands),
    redisRoundTrips: per(total.redis.roundTrips),
    pgByKind: scale(total.pg.byKind),
    redisByCommand: scale(total.redis.byCommand),
    topStatements: Object.entries(total.pg.texts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([text, count]) => [text, per(count)] as [string, number]),
  };
}

async function send(server: RunningServer, entry: LoadEntry, uid: string) {
  return tryProbe(server.baseUrl + entry.path, {
    method: entry.method,
    headers: entry.headers,
    body: entry.body?.replace(/__UID__/g, uid),
    timeoutMs: 20_000,
  });
}

export async function runAccounting(
  context: BenchContext,
  available: (label: string) => boolean,
): Promise<{ rows: AccountingRow[]; mix: Partial<MixResult> | null }> {
  const rows: AccountingRow[] = [];
  const pgUrl = new URL(context.db.url);
  const redisUrl = new URL(context.redis.url);
  const background = new BackgroundStatements();
  const proxies: Proxies = {
    pg: await startPgProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) }, background),
    redis: await startRedisProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) }),
  };
  pgUrl.port = String(proxies.pg.port);
  redisUrl.port = String(proxies.redis.port);
  let server: RunningServer | null = null;
  let mix: Partial<MixResult> | null = null;
  try {
    server = await startParley(
      "parley-accounting",
      {
        databaseUrl: pgUrl.toString(),
        redisUrl: redisUrl.toString(),
        sessionSecret: context.sessionSecret,
        dataDir: context.tmpDir,
      },
      paths(context),
    );
    await waitForWireQuiet([proxies.pg, proxies.redis], 300, 5_000);
    // Learn the app's own background statements with no request in flight: the revocation
    // feed reads every 500 ms and the reply sweeper every 5 s, so the window covers both.
    proxies.pg.reset();
    await new Promise((resolve) => setTimeout(resolve, BACKGROUND_WATCH_MS));
    background.learn(Object.keys(proxies.pg.counts().texts));
    context.log(
      `  background statements learned while idle: ${background.size} (${proxies.pg.counts().statements} in ${BACKGROUND_WATCH_MS / 1000} s)`,
    );
    context.results.accountingBackground = Object.keys(proxies.pg.counts().texts);
    const fixture = context.fixture;

    // The mix first, while Redis is still warm from the load phases (a steady state).
    const { parts } = mixParts(
      fixture,
      context.quick,
      available,
      sendEntries(fixture, context.sendSlots.take(context.quick ? 100 : 500), "form"),
    );
    if (parts.some((part) => PAGE_VIEW_LABELS.has(part.label))) {
      // Warmed up like the load runs; counting starts with the measured run.
      const result = await runLoad(
        {
          baseUrl: server.baseUrl,
          connections: 4,
          durationSec: context.quick ? 1 : 8,
          warmupSec: context.quick ? 1 : 4,
          entries: mixEntries(parts),
        },
        server,
        paths(context),
        [],
        0,
        () => {
          proxies.pg.reset();
          proxies.redis.reset();
        },
      );
      // Steady state: replies started in the warm-up run into the window, replies started in
      // the window run past it; the two roughly cancel, so only a short settle here.
      await waitForWireQuiet([proxies.pg, proxies.redis], 300, 1_000);
      const pageViews = Object.entries(result.perLabel)
        .filter(([label]) => PAGE_VIEW_LABELS.has(label))
        .reduce((sum, [, stats]) => sum + stats.count, 0);
      const pg = proxies.pg.counts();
      const redis = proxies.redis.counts();
      mix = {
        accountingPageViews: pageViews,
        pgStatementsPerPageView: pageViews ? pg.statements / pageViews : undefined,
        pgRoundTripsPerPageView: pageViews ? pg.roundTrips / pageViews : undefined,
        redisCommandsPerPageView: pageViews ? redis.commands / pageViews : undefined,
      };
    }

    // Then one request at a time, from a cold cache (once the mix's replies have finished).
    await waitForWireQuiet([proxies.pg, proxies.redis], 600, context.quick ? 6_000 : 30_000);
    await context.redis.flush();
    const samples = context.quick ? 1 : 5;
    // Each kind reads its own chats/users, so one kind's first view never warms another's.
    const slice = <T>(list: T[], part: number) => list.slice(part * samples, (part + 1) * samples);
    const reads: Array<{ label: string; entries: LoadEntry[] }> = [
      { label: "sync check", entries: slice(syncEntries(fixture, fixture.users.length), 6) },
      { label: "chat document", entries: slice(chatDocumentEntries(fixture, fixture.busy.length), 0) },
      { label: "chat data request", entries: slice(chatDataEntries(fixture, fixture.busy.length), 1) },
      { label: "chat list document", entries: slice(listDocumentEntries(fixture, fixture.users.length), 2) },
      { label: "chat list data request", entries: slice(listDataEntries(fixture, fixture.users.length), 3) },
    ];
    for (const read of reads) {
      if (!available(read.label) || read.entries.length === 0) {
        rows.push({ name: read.label, status: "unavailable", note: "unavailable (see the load rows)" });
        continue;
      }
      for (const phase of ["first view", "repeat view"]) {
        const total = emptyTotals();
        const statuses: Record<string, number> = {};
        for (const entry of read.entries) {
          proxies.pg.reset();
          proxies.redis.reset();
          const response = await send(server, entry, "");
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          await waitForWireQuiet([proxies.pg, proxies.redis], 150, 5_000);
          add(total, proxies);
        }
        rows.push(perRequest(`${read.label} (${phase})`, read.entries.length, total, statuses, [200]));
      }
    }

    for (const via of context.quick ? (["form"] as const) : (["form", "fetcher"] as const)) {
      const label = via === "form" ? "send (no-JS form)" : "send (fetcher)";
      const name =
        via === "form" ? "send (no-JS form post), incl. its reply" : "send (fetcher post), incl. its reply";
      if (!available(label)) {
        rows.push({ name, status: "unavailable", note: "unavailable (see the load rows)" });
        continue;
      }
      const entries = sendEntries(fixture, context.sendSlots.take(context.quick ? 1 : 3), via);
      const total = emptyTotals();
      const statuses: Record<string, number> = {};
      const during = { pgStatements: 0, pgRoundTrips: 0, redisCommands: 0, redisRoundTrips: 0 };
      for (const [index, entry] of entries.entries()) {
        proxies.pg.reset();
        proxies.redis.reset();
        const response = await send(server, entry, `acct-${Date.now()}-${index}`);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const pg = proxies.pg.counts();
        const redis = proxies.redis.counts();
        during.pgStatements += pg.statements;
        during.pgRoundTrips += pg.roundTrips;
        during.redisCommands += redis.commands;
        during.redisRoundTrips += redis.roundTrips;
        await waitForWireQuiet([proxies.pg, proxies.redis], 600, 30_000);
        add(total, proxies);
      }
      const row = perRequest(name, entries.length, total, statuses, via === "form" ? [302, 303] : [200]);
      row.duringRequest = {
        pgStatements: during.pgStatements / entries.length,
        pgRoundTrips: during.pgRoundTrips / entries.length,
        redisCommands: during.redisCommands / entries.length,
        redisRoundTrips: during.redisRoundTrips / entries.length,
      };
      rows.push(row);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log(`  accounting: error: ${message}`);
    rows.push({ name: "accounting", status: "error", note: `error: ${message.split("\n")[0]}` });
  } finally {
    const errors = server?.logErrors();
    if (errors && errors.count > 0) {
      context.results.problems.push(
        `accounting server: logged ${errors.count} error/warning lines, most often: ${errors.samples.join(" | ")}`,
      );
    }
    await server?.stop();
    await proxies.pg.close();
    await proxies.redis.close();
  }
  for (const row of rows) {
    if (row.status === "ok") {
      context.log(
        `  ${row.name}: ${row.pgStatements?.toFixed(1)} pg statements (${row.pgTransactions?.toFixed(1)} txn), ${row.redisCommands?.toFixed(1)} redis commands in ${row.redisRoundTrips?.toFixed(1)} round trips`,
      );
    }
  }
  return { rows, mix };
}
