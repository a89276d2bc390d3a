import type { RunningServer } from "#bench/lib/app-process";
import { runLoad, type ExtraCpuSource } from "#bench/lib/autocannon-run";
import { BROWSER_HEADERS, tryProbe } from "#bench/lib/http";
import type { LoadEntry } from "#bench/lib/load-types";
import { cpuDelta } from "#bench/lib/process-stats";
import { fmt, rate } from "#bench/lib/report";
import { MB, type RequestRow } from "#bench/lib/results";
import type { Fixture } from "#bench/lib/seed";
import { hitDelta, responseCacheCounters, type HitCounters } from "#bench/lib/server-counters";
import { seededRandom, shuffle } from "#bench/lib/stats";
import { paths, type BenchContext } from "./context";
import type { SendSlot } from "./send-slots";

/**
 * Request builders and the measure-one-route helper shared by the scenarios. Every route is
 * probed once before load: if it does not answer as the contract says (status, and the seeded
 * data visible in the response), the row is recorded as "unavailable: <status>" and skipped,
 * so the bench runs against whatever part of the app exists.
 */
export interface RouteCheck {
  statuses: number[];
  /** Text the response must contain (seeded data), when the route is supposed to show it. */
  marker?: (entry: LoadEntry & { marker?: string }) => string | undefined;
  /** Text the response must not contain (e.g. a sync check answering `"chat":null`). */
  reject?: string;
}

const HTML = { ...BROWSER_HEADERS, Accept: "text/html,application/xhtml+xml" };
const ANY = { ...BROWSER_HEADERS, Accept: "*/*" };

export interface Tagged extends LoadEntry {
  marker?: string;
}

export function chatDocumentEntries(fixture: Fixture, max: number): Tagged[] {
  return fixture.busy.slice(0, max).map((chat) => ({
    label: "chat document",
    method: "GET",
    path: `/chats/${chat.id}`,
    headers: { ...HTML, Cookie: fixture.users[chat.userIndex].cookie },
    marker: chat.marker,
  }));
}

export function chatDataEntries(fixture: Fixture, max: number): Tagged[] {
  return fixture.busy.slice(0, max).map((chat) => ({
    label: "chat data request",
    method: "GET",
    path: `/chats/${chat.id}.data`,
    headers: { ...ANY, Cookie: fixture.users[chat.userIndex].cookie },
    marker: chat.marker,
  }));
}

export function listDocumentEntries(fixture: Fixture, max: number): Tagged[] {
  return fixture.users.slice(0, max).map((user) => ({
    label: "chat list document",
    method: "GET",
    path: "/chats",
    headers: { ...HTML, Cookie: user.cookie },
    marker: user.listMarker,
  }));
}

export function listDataEntries(fixture: Fixture, max: number): Tagged[] {
  return fixture.users.slice(0, max).map((user) => ({
    label: "chat list data request",
    method: "GET",
    path: "/chats.data",
    headers: { ...ANY, Cookie: user.cookie },
    marker: user.listMarker,
  }));
}

export function syncEntries(fixture: Fixture, max: number): Tagged[] {
  return fixture.users.slice(0, max).map((user) => ({
    label: "sync check",
    method: "GET",
    path: `/resources/sync?chat=${user.chatIds[0]}`,
    headers: { Accept: "application/json", Cookie: user.cookie },
  }));
}

const SEND_TEXTS = [
  "Can you suggest an index for keyset pagination over (updated_at, id)?",
  "Rewrite this paragraph so it sounds friendlier, please.",
  "What should I pack for three days of hiking in October?",
  "Explain the difference between a mutex and a semaphore with an example.",
];

export function sendEntries(fixture: Fixture, slots: SendSlot[], via: "form" | "fetcher"): Tagged[] {
  return slots.map((slot, index) => {
    const user = fixture.users[slot.userIndex];
    const body = new URLSearchParams({
      intent: "send",
      content: SEND_TEXTS[index % SEND_TEXTS.length],
      clientId: "bench-__UID__",
    });
    if (via === "fetcher") body.set("via", "fetcher");
    return {
      label: via === "fetcher" ? "send (fetcher)" : "send (no-JS form)",
      method: "POST",
      path: `/chats/${user.chatIds[slot.chatIndex]}`,
      headers: {
        ...HTML,
        Cookie: user.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: body.toString(),
    };
  });
}

/** A read-heavy mix as a shuffled, repeating list (deterministic). */
export function mixEntries(
  parts: Array<{ weight: number; entries: LoadEntry[] }>,
  length = 2000,
): LoadEntry[] {
  const total = parts.reduce((sum, part) => sum + part.weight, 0);
  const list: LoadEntry[] = [];
  for (const part of parts) {
    const count = Math.round((part.weight / total) * length);
    for (let index = 0; index < count; index += 1) list.push(part.entries[index % part.entries.length]);
  }
  return shuffle(list, seededRandom(42));
}

/** Probes the first entry; null when the route answers as expected, else "unavailable: …". */
export async function checkRoute(
  server: RunningServer,
  entry: Tagged,
  check: RouteCheck,
): Promise<string | null> {
  const body = entry.body?.replace(/__UID__/g, `probe-${Date.now()}`);
  const result = await tryProbe(server.baseUrl + entry.path.replace(/__UID__/g, `probe-${Date.now()}`), {
    method: entry.method,
    headers: entry.headers,
    body,
    timeoutMs: 20_000,
  });
  if (!check.statuses.includes(result.status)) {
    return `unavailable: ${result.status === 0 ? `no answer (${result.body.slice(0, 80)})` : result.status}`;
  }
  const marker = check.marker?.(entry);
  if (marker && !result.body.includes(marker)) {
    return `unavailable: ${result.status} but the response does not show the seeded data (looked for "${marker}")`;
  }
  if (check.reject && result.body.includes(check.reject)) {
    return `unavailable: ${result.status} but the response says ${check.reject}: ${result.body.slice(0, 80)}`;
  }
  return null;
}

export function cpuSources(
  context: BenchContext,
  which: { redis?: boolean; postgres?: boolean },
): ExtraCpuSource[] {
  const sources: ExtraCpuSource[] = [];
  if (which.redis && context.redis.pid !== null) {
    sources.push({
      name: "redis",
      pid: context.redis.pid,
      sample: async () => context.redis.cpuSeconds(),
      delta: (before, after) => (after as number) - (before as number),
    });
  }
  if (which.postgres) {
    sources.push({
      name: "postgres",
      sample: () => context.db.backendCpu(),
      delta: (before, after) => cpuDelta(before as Map<number, number>, after as Map<number, number>),
    });
  }
  return sources;
}

export interface MeasureSpec {
  scenario: RequestRow["scenario"];
  name: string;
  variant: string;
  entries: Tagged[];
  check: RouteCheck;
  connections?: number;
  durationSec?: number;
  cpu?: { redis?: boolean; postgres?: boolean };
  /** Called as the measured run starts (after the warm-up). */
  onMeasuring?: () => void | Promise<void>;
}

/** Probe, then load: one row of the results table. Never throws. */
export async function measureRoute(
  context: BenchContext,
  server: RunningServer,
  spec: MeasureSpec,
): Promise<RequestRow> {
  const base: RequestRow = { scenario: spec.scenario, name: spec.name, variant: spec.variant, status: "ok" };
  try {
    if (spec.entries.length === 0)
      return { ...base, status: "unavailable", note: "unavailable: nothing seeded for it" };
    const problem = await checkRoute(server, spec.entries[0], spec.check);
    if (problem) {
      context.log(`  ${spec.name} [${spec.variant}]: ${problem}`);
      return { ...base, status: "unavailable", note: problem };
    }
    const connections = spec.connections ?? context.load.connections;
    let cacheBefore: HitCounters | null = null;
    const result = await runLoad(
      {
        baseUrl: server.baseUrl,
        connections,
        durationSec: spec.durationSec ?? context.load.durationSec,
        warmupSec: context.load.warmupSec,
        // A POST's probe already used the first entry (a send's chat is busy until its reply ends).
        entries: (spec.entries[0].method === "POST" && spec.entries.length > 1
          ? spec.entries.slice(1)
          : spec.entries
        ).map(({ marker: _marker, ...entry }) => entry),
        // Reads start with a cold pass over every entry, reported apart; a send's entry must
        // not be used twice.
        coldPass: spec.entries.every((entry) => entry.method === "GET"),
      },
      server,
      paths(context),
      cpuSources(context, spec.cpu ?? {}),
      context.load.idleWaitMs,
      async () => {
        [cacheBefore] = await Promise.all([responseCacheCounters(server.baseUrl), spec.onMeasuring?.()]);
      },
    );
    const responseCache = hitDelta(cacheBefore, await responseCacheCounters(server.baseUrl)) ?? undefined;
    if (result.requests === 0) {
      return {
        ...base,
        status: "error",
        note: `error: no response arrived (${result.errors} errors, ${result.timeouts} timeouts)`,
      };
    }
    const unexpected = Object.entries(result.statusCodes)
      .filter(([code]) => !spec.check.statuses.includes(Number(code)))
      .reduce((sum, [, count]) => sum + count, 0);
    const row: RequestRow = {
      ...base,
      connections,
      rps: result.rps,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      bytesPerResponse: result.bytesPerResponse,
      cpuMsPerRequest: result.cpuMsPerRequest,
      serverCores: result.serverCores,
      extraCpuMsPerRequest: result.extraCpuMsPerRequest,
      rssMB: result.serverRssBytes / MB,
      peakRssMB: result.serverPeakRssBytes / MB,
      statusCodes: result.statusCodes,
      errors: result.errors + result.timeouts,
      generatorCores: result.generatorCpuSeconds / result.seconds,
      foreignCores: result.foreignCores,
      busiestOthers: result.busiestOthers,
      responseCache,
      coldRequests: result.cold?.requests,
      coldCpuMsPerRequest: result.cold?.cpuMsPerRequest,
      perLabel: Object.fromEntries(
        Object.entries(result.perLabel).map(([label, stats]) => [
          label,
          { count: stats.count, p50: stats.p50, p99: stats.p99, statusCodes: stats.statusCodes },
        ]),
      ),
    };
    if (unexpected > 0) {
      row.note = `${unexpected} of ${result.requests} responses had an unexpected status (${JSON.stringify(result.statusCodes)})`;
      if (unexpected > result.requests / 2) row.status = "error";
    }
    context.log(
      `  ${spec.name} [${spec.variant}]: ${rate(result.rps)} req/s, p50 ${fmt(result.latency.p50, 2)} ms, p99 ${fmt(result.latency.p99, 2)} ms, ${fmt(result.cpuMsPerRequest, 3)} ms CPU/req (${result.requests} requests${result.cold ? `; cold pass ${fmt(result.cold.cpuMsPerRequest, 2)} ms CPU/req over ${result.cold.requests}` : ""}${row.note ? `; ${row.note}` : ""})`,
    );
    return row;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log(`  ${spec.name} [${spec.variant}]: error: ${message}`);
    return { ...base, status: "error", note: `error: ${message.split("\n")[0]}` };
  }
}
