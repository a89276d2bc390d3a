import { sql, type Kysely } from "kysely";
import os from "node:os";
import pg from "pg";
import { createDb, type DbHandle } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { searchChats } from "#db/repositories/search";
import { searchTerms } from "#db/repositories/search-terms";
import type { Database } from "#db/schema";
import {
  searchQueries,
  seedSearchCorpus,
  SEARCH_FULL_PLAN,
  SEARCH_QUICK_PLAN,
  type SearchCorpusPlan,
} from "#bench/lib/search-corpus";
import { fmt, table } from "#bench/lib/report";
import type { SearchBenchResult, SearchDatabaseResult } from "#bench/lib/results";
import { cpuSeconds } from "#bench/lib/process-stats";
import { summarize } from "#bench/lib/stats";

/**
 * Search at the repository level: the query `db/repositories/search.ts` runs (ranking, the
 * keyset, the headlines), timed from the bench process, one at a time, on Postgres and on
 * PGlite, over one user's chats (docs/decisions/0014-search.md). No HTTP server is involved:
 * the page around the query costs what any page costs.
 */
const PAGE = 20;

/**
 * Timed one at a time. Wall time on a shared machine includes waiting for a core, so the CPU
 * each query cost is measured too: the Postgres backend's (one connection, read from /proc)
 * plus this process's (the client; all of PGlite, which runs in it), averaged over the run.
 */
async function measure(db: Kysely<Database>, userId: string, repetitions: number, backendPid: number | null) {
  const queries = searchQueries();
  const samples = new Map<string, number[]>();
  const hits = new Map<string, number[]>();
  let slowest = { text: "", ms: 0 };
  const time = async (text: string, after?: Parameters<typeof searchChats>[3]["after"]) => {
    const started = performance.now();
    const page = await searchChats(db, userId, searchTerms(text), { limit: PAGE, after });
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { text, ms };
    return { page, ms };
  };
  // Warm-up: every query once (plans, caches), untimed.
  for (const query of queries) await time(query.text);
  const cpuBefore = cpuNow(backendPid);
  const loadBefore = os.loadavg()[0];
  let timed = 0;
  for (let round = 0; round < repetitions; round += 1) {
    for (const query of queries) {
      const first = await time(query.text);
      timed += 1;
      const list = samples.get(query.kind) ?? [];
      list.push(first.ms);
      if (first.page.next) {
        list.push((await time(query.text, first.page.next)).ms);
        timed += 1;
      }
      samples.set(query.kind, list);
      if (round === 0) hits.set(query.kind, [...(hits.get(query.kind) ?? []), first.page.hits.length]);
    }
  }
  const cpuMsPerQuery = ((cpuNow(backendPid) - cpuBefore) * 1000) / timed;
  const loadAverage = (loadBefore + os.loadavg()[0]) / 2;
  const kinds = [...samples.keys()];
  const all = kinds.filter((kind) => kind !== "stop word").flatMap((kind) => samples.get(kind)!);
  return {
    overall: summarize(all),
    byKind: kinds.map((kind) => ({
      kind,
      summary: summarize(samples.get(kind)!),
      hitsPerQuery: mean(hits.get(kind) ?? []),
    })),
    slowest,
    cpuMsPerQuery,
    loadAverage,
  };
}

function cpuNow(backendPid: number | null): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + (backendPid === null ? 0 : cpuSeconds(backendPid));
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

async function sizes(db: Kysely<Database>) {
  const { rows } = await sql<{
    messages_index: number;
    chats_index: number;
    vectors: number;
    messages: number;
  }>`
    select pg_relation_size('messages_search_idx') as messages_index,
      pg_relation_size('chats_search_idx') as chats_index,
      (select sum(pg_column_size(search_vector)) from messages) as vectors,
      pg_total_relation_size('messages') as messages`.execute(db);
  const row = rows[0];
  return {
    messagesIndexBytes: Number(row.messages_index),
    chatsIndexBytes: Number(row.chats_index),
    messageVectorsBytes: Number(row.vectors),
    messagesTableBytes: Number(row.messages),
  };
}

async function runOn(
  name: "postgres" | "pglite",
  handle: DbHandle,
  plan: SearchCorpusPlan,
  repetitions: number,
  log: (message: string) => void,
): Promise<SearchDatabaseResult> {
  await migrateToLatest(handle.db);
  const started = performance.now();
  const corpus = await seedSearchCorpus(handle.db, plan);
  await sql`analyze`.execute(handle.db);
  const seedSeconds = (performance.now() - started) / 1000;
  log(`search, ${name}: seeded ${corpus.counts.messages} messages in ${seedSeconds.toFixed(1)} s; timing`);
  const backendPid =
    name === "postgres"
      ? Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)).rows[0].pid)
      : null;
  const measured = await measure(handle.db, corpus.userId, repetitions, backendPid);
  return { database: name, seedSeconds, counts: corpus.counts, ...measured, sizes: await sizes(handle.db) };
}

export async function runSearchBench(options: {
  adminUrl: string;
  quick: boolean;
  log: (message: string) => void;
}): Promise<SearchBenchResult> {
  const plan = options.quick ? SEARCH_QUICK_PLAN : SEARCH_FULL_PLAN;
  const repetitions = options.quick ? 3 : 5;
  const name = "parley_bench_search";
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  const databases: SearchDatabaseResult[] = [];
  // One connection, so that every query runs on the backend whose CPU time is read.
  const postgres = createDb({ databaseUrl: url.toString(), maxConnections: 1 });
  try {
    databases.push(await runOn("postgres", postgres, plan, repetitions, options.log));
  } finally {
    await postgres.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  const pglite = createDb({ dataDir: "memory://" });
  try {
    databases.push(await runOn("pglite", pglite, plan, repetitions, options.log));
  } finally {
    await pglite.close();
  }
  return { plan, repetitions, databases, goalMs: 50 };
}

const MiB = 1024 * 1024;

export function renderSearchSection(result: SearchBenchResult): string {
  const lines = [
    "## Search (repository level)",
    "",
    `One user, ${result.plan.chats} chats of ${result.plan.messagesPerChat} messages; ${result.repetitions} rounds of ${searchQueries().length} queries (first page of ${PAGE}, and the second page when there is one), one at a time, after one untimed round. "Overall" leaves out the stop-word query (shown on its own line). Goal: p99 under ${result.goalMs} ms on Postgres. Times are wall time per query; "CPU ms/query" is the CPU the run cost (Postgres backend and client, or PGlite) divided by the queries, and "Load average" the machine's 1-minute load during the timing: well above the core count, wall times are mostly waiting for a core.`,
    "",
    table(
      [
        "Database",
        "Queries",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "CPU ms/query",
        "Load average",
        "Goal",
        "Slowest query",
      ],
      result.databases.map((row) => [
        row.database,
        String(row.overall.count),
        fmt(row.overall.p50, 1),
        fmt(row.overall.p90, 1),
        fmt(row.overall.p99, 1),
        fmt(row.overall.max, 1),
        fmt(row.cpuMsPerQuery, 1),
        fmt(row.loadAverage, 1),
        row.database === "postgres" ? (row.overall.p99 < result.goalMs ? "met" : "missed") : "",
        `${row.slowest.text} (${fmt(row.slowest.ms, 1)} ms)`,
      ]),
    ),
    "",
    table(
      ["Database", "Kind", "Hits on page 1", "p50 ms", "p99 ms"],
      result.databases.flatMap((row) =>
        row.byKind.map((kind) => [
          row.database,
          kind.kind,
          fmt(kind.hitsPerQuery, 1),
          fmt(kind.summary.p50, 1),
          fmt(kind.summary.p99, 1),
        ]),
      ),
    ),
    "",
    table(
      [
        "Database",
        "Messages",
        "Text",
        "messages GIN index",
        "chats GIN index",
        "Message vectors",
        "messages table (all)",
        "Seeded in",
      ],
      result.databases.map((row) => [
        row.database,
        String(row.counts.messages),
        `${fmt(row.counts.messageBytes / MiB, 1)} MiB`,
        `${fmt(row.sizes.messagesIndexBytes / MiB, 1)} MiB`,
        `${fmt(row.sizes.chatsIndexBytes / MiB, 2)} MiB`,
        `${fmt(row.sizes.messageVectorsBytes / MiB, 1)} MiB`,
        `${fmt(row.sizes.messagesTableBytes / MiB, 1)} MiB`,
        `${fmt(row.seedSeconds, 0)} s`,
      ]),
    ),
  ];
  return lines.join("\n");
}
