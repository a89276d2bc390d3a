import { NO_RESPONSE_CACHE, type BenchResults, type RequestRow, type TabsRow } from "./results";

/**
 * The goals of issue 14, each evaluated from one run's figures, side by side: a figure, the
 * target it is held to, and "meets", "**misses**" or "not measured". Pure, so it is
 * unit-tested; report.ts renders it first.
 */

/** The reference template's figures (same kind of machine, 10 connections). */
export const TEMPLATE = {
  document: { rps: 27, cpuMs: 42, pageKB: 603 },
  messages: { rps: 72, cpuMs: 13 },
  list: { rps: 127, cpuMs: 7 },
  rssMB: 1434,
} as const;

export const TARGETS = {
  /** Warm (cached) requests against the template. */
  throughputFactor: 10,
  cpuFactor: 0.1,
  /** Cold (miss) requests: CPU only. */
  coldCpuFactor: 0.3,
  /** RSS of the Parley + Redis server after every load scenario, against the template's. */
  memoryFactor: 0.25,
  /** Sync check ("no change") throughput against the bare node:http + Redis ceiling. */
  syncCeilingShare: 1.0,
  /** Idle tabs: Parley's memory per tab at most this share of the SSE baseline's. */
  idleMemoryPerTabShare: 0.5,
  /** Active tabs (2 s polls): server CPU under this many cores, with no skipped poll. */
  activeCores: 0.25,
  /** The tab count the tab goals are stated for. */
  tabs: 5000,
} as const;

export interface GoalRow {
  goal: string;
  figure: string;
  target: string;
  verdict: "meets" | "**misses**" | "not measured";
}

const PARLEY = "Parley + Redis";

function num(value: number | undefined | null, digits: number): string {
  return value === undefined || value === null || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

function judge(
  value: number | undefined | null,
  target: number,
  higherIsBetter: boolean,
): GoalRow["verdict"] {
  if (value === undefined || value === null || !Number.isFinite(value)) return "not measured";
  return (higherIsBetter ? value >= target : value <= target) ? "meets" : "**misses**";
}

function okRow(rows: RequestRow[], name: string, variant: string): RequestRow | undefined {
  return rows.find((row) => row.name.startsWith(name) && row.variant === variant && row.status === "ok");
}

function hitRatio(row: RequestRow | undefined): string {
  if (!row) return "";
  const cache = row.responseCache;
  return cache
    ? `, response-cache hit ratio ${(cache.hitRatio * 100).toFixed(1)}% (${cache.hits} hits, ${cache.misses} misses)`
    : ", response-cache hit ratio not exposed by the server";
}

function requestGoals(results: BenchResults): GoalRow[] {
  const work: Array<[string, string, { rps: number; cpuMs: number }]> = [
    ["Chat document", "chat document", TEMPLATE.document],
    ["Chat `.data`", "chat data request", TEMPLATE.messages],
    ["Chat list `.data`", "chat list data request", TEMPLATE.list],
  ];
  const goals: GoalRow[] = [];
  for (const [label, name, template] of work) {
    const warm = okRow(results.rows, name, PARLEY);
    const cold = okRow(results.rows, name, NO_RESPONSE_CACHE);
    const throughput = warm?.rps !== undefined ? warm.rps / template.rps : undefined;
    const cpu = warm?.cpuMsPerRequest !== undefined ? warm.cpuMsPerRequest / template.cpuMs : undefined;
    const coldCpu = cold?.cpuMsPerRequest !== undefined ? cold.cpuMsPerRequest / template.cpuMs : undefined;
    goals.push(
      {
        goal: `${label}, warm (cached): throughput`,
        figure: warm
          ? `${num(warm.rps, 1)}/s against ${template.rps}/s: ${num(throughput, 2)}×${hitRatio(warm)}`
          : "–",
        target: `≥ ${TARGETS.throughputFactor}×`,
        verdict: judge(throughput, TARGETS.throughputFactor, true),
      },
      {
        goal: `${label}, warm (cached): CPU per request`,
        figure: warm
          ? `${num(warm.cpuMsPerRequest, 2)} ms against ${template.cpuMs} ms: ${num(cpu, 3)}×`
          : "–",
        target: `≤ ${TARGETS.cpuFactor}×`,
        verdict: judge(cpu, TARGETS.cpuFactor, false),
      },
      {
        goal: `${label}, cold (miss, RESPONSE_CACHE_MAX_BYTES=0): CPU per request`,
        figure: cold
          ? `${num(cold.cpuMsPerRequest, 2)} ms against ${template.cpuMs} ms: ${num(coldCpu, 3)}× (${num(cold.rps, 1)}/s)`
          : "–",
        target: `≤ ${TARGETS.coldCpuFactor}×`,
        verdict: judge(coldCpu, TARGETS.coldCpuFactor, false),
      },
    );
  }
  return goals;
}

function syncGoal(results: BenchResults): GoalRow {
  const parley = okRow(results.rows, "sync check", PARLEY);
  const ceiling = results.rows.find(
    (row) => row.scenario === "sync" && row.variant.startsWith("bare node:http") && row.status === "ok",
  );
  const share = parley?.rps && ceiling?.rps ? parley.rps / ceiling.rps : undefined;
  return {
    goal: 'Sync check "no change" against the bare node:http + Redis ceiling',
    figure:
      parley && ceiling ? `${num(parley.rps, 0)}/s against ${num(ceiling.rps, 0)}/s: ${num(share, 2)}×` : "–",
    target: `≥ ${TARGETS.syncCeilingShare.toFixed(1)}×`,
    verdict: judge(share, TARGETS.syncCeilingShare, true),
  };
}

/** The largest tab count measured for a design, preferring the goals' own count. */
function tabRow(rows: TabsRow[], design: (row: TabsRow) => boolean): TabsRow | undefined {
  const matching = rows.filter((row) => row.status === "ok" && design(row));
  return matching.find((row) => row.tabs === TARGETS.tabs) ?? matching.sort((a, b) => b.tabs - a.tabs)[0];
}

function tabsNote(row: TabsRow | undefined): string {
  return row && row.tabs !== TARGETS.tabs
    ? ` (at ${row.tabs} tabs, not ${TARGETS.tabs}: indicative only)`
    : "";
}

/** CPU and memory of quiet tabs polling at one interval, against the held SSE connections. */
function quietTabGoals(
  results: BenchResults,
  kind: { design: string; label: string },
  floor: TabsRow | undefined,
): GoalRow[] {
  const quiet = tabRow(results.tabs, (row) => row.design.startsWith(kind.design));
  const sse = tabRow(
    results.tabs,
    (row) => row.design.startsWith("held SSE") && (!quiet || row.tabs === quiet.tabs),
  );
  const share = (value: number | undefined, against: number | undefined) =>
    value !== undefined && against ? value / against : undefined;
  const cpuShare = share(quiet?.serverCpuSecPerMin, sse?.serverCpuSecPerMin);
  // RSS lower with the tabs than without them (both after a forced collection) says nothing per tab.
  const memoryFell = quiet?.memoryPerTabKB !== undefined && quiet.memoryPerTabKB < 0;
  const memoryShare = memoryFell ? undefined : share(quiet?.memoryPerTabKB, sse?.memoryPerTabKB);
  const comparable = floor !== undefined && floor.tabs === quiet?.tabs;
  const floorShare = share(floor?.serverCpuSecPerMin, sse?.serverCpuSecPerMin);
  const floorNote =
    comparable && floorShare !== undefined ? `; bare node:http polling as often: ${num(floorShare, 2)}×` : "";
  const floorMemoryShare = share(floor?.memoryPerTabKB, sse?.memoryPerTabKB);
  const floorMemoryNote =
    comparable && floorMemoryShare !== undefined && floorMemoryShare > 0
      ? `; bare node:http polling as often: ${num(floor?.memoryPerTabKB, 1)} kB, ${num(floorMemoryShare, 2)}×`
      : "";
  const tabs = TARGETS.tabs.toLocaleString("en-US");
  return [
    {
      goal: `${tabs} ${kind.label}, one per person: server CPU against the SSE baseline`,
      figure:
        quiet && sse
          ? `${num(quiet.serverCpuSecPerMin, 2)} against ${num(sse.serverCpuSecPerMin, 2)} CPU-s/min: ${num(cpuShare, 2)}×${floorNote}${tabsNote(quiet)}`
          : "–",
      target: "≤ 1.0×",
      verdict: judge(cpuShare, 1, false),
    },
    {
      goal: `${tabs} ${kind.label}: memory per tab ((RSS − RSS with no tabs) / tabs, both after a forced collection) against the SSE baseline`,
      figure:
        quiet && sse
          ? memoryFell
            ? `${num(quiet.memoryPerTabKB, 1)} kB: the server's RSS after a collection was lower with the tabs than before them, so this run cannot say`
            : `${num(quiet.memoryPerTabKB, 1)} kB against ${num(sse.memoryPerTabKB, 1)} kB: ${num(memoryShare, 2)}×${floorMemoryNote}${tabsNote(quiet)}`
          : "–",
      target: `≤ ${TARGETS.idleMemoryPerTabShare}×`,
      verdict: judge(memoryShare, TARGETS.idleMemoryPerTabShare, false),
    },
  ];
}

function tabGoals(results: BenchResults): GoalRow[] {
  const active = tabRow(results.tabs, (row) => row.design.startsWith("Parley polling (active"));
  const bareIdle = tabRow(results.tabs, (row) => row.design.startsWith("bare node:http polling (idle"));
  const bareAway = tabRow(results.tabs, (row) => row.design.startsWith("bare node:http polling (away"));
  const bareActive = tabRow(results.tabs, (row) => row.design.startsWith("bare node:http polling (active"));
  const cores = (row: TabsRow | undefined) =>
    row?.serverCpuSecPerMin !== undefined ? row.serverCpuSecPerMin / 60 : undefined;
  const activeCores = cores(active);
  const bareActiveCores = cores(bareActive);
  const activeFloorNote =
    bareActive && bareActive.tabs === active?.tabs && bareActiveCores !== undefined
      ? `; bare node:http polling as often: ${num(bareActiveCores, 3)} cores`
      : "";
  const activeOk =
    active && activeCores !== undefined
      ? (active.skippedPolls ?? 1) === 0 && activeCores < TARGETS.activeCores
      : undefined;
  return [
    ...quietTabGoals(results, { design: "Parley polling (idle", label: "idle tabs (15 s polls)" }, bareIdle),
    ...quietTabGoals(
      results,
      { design: "Parley polling (away", label: "tabs away (60 s polls: no input for 10 minutes)" },
      bareAway,
    ),
    {
      goal: `${TARGETS.tabs.toLocaleString("en-US")} active tabs at 2 s: no skipped polls, under a quarter of a core`,
      figure: active
        ? `${active.skippedPolls ?? "–"} skipped, ${num(activeCores, 3)} cores${activeFloorNote}${tabsNote(active)}`
        : "–",
      target: `0 skipped, < ${TARGETS.activeCores} cores`,
      verdict: activeOk === undefined ? "not measured" : activeOk ? "meets" : "**misses**",
    },
  ];
}

function memoryGoal(results: BenchResults): GoalRow {
  const rss = results.servers.find((server) => server.name === "parley-redis")?.rssMBAtEnd;
  const share = rss !== undefined ? rss / TEMPLATE.rssMB : undefined;
  return {
    goal: "RSS after the whole run (the Parley + Redis server, after every load scenario)",
    figure: rss !== undefined ? `${num(rss, 0)} MB against ${TEMPLATE.rssMB} MB: ${num(share, 2)}×` : "–",
    target: `≤ ${TARGETS.memoryFactor}× (${num(TEMPLATE.rssMB * TARGETS.memoryFactor, 0)} MB)`,
    verdict: judge(share, TARGETS.memoryFactor, false),
  };
}

export function evaluateGoals(results: BenchResults): GoalRow[] {
  return [...tabGoals(results), memoryGoal(results), syncGoal(results), ...requestGoals(results)];
}
