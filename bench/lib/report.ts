import { evaluateGoals, TARGETS, TEMPLATE } from "./goals";
import { renderProfiles } from "./profile-report";
import type { AccountingRow, BenchResults, PageWeight, RequestRow, TabsRow } from "./results";

/**
 * Renders a run's results as Markdown. Pure (results in, text out), so it is unit-tested.
 * Every comparison is shown as a ratio next to what it is compared with, and every goal is
 * marked "meets" or "**misses**": a losing figure is never hidden.
 */

export { TEMPLATE };

export const GOALS = {
  throughputFactor: TARGETS.throughputFactor,
  cpuFactor: TARGETS.cpuFactor,
  pageKB: 150,
  memoryFactor: TARGETS.memoryFactor,
  syncCeilingShare: TARGETS.syncCeilingShare,
} as const;

export function fmt(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 1000 && digits <= 1) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(digits);
}

/** Requests per second: whole numbers from 100 up, one decimal below. */
export function rate(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return "–";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

export function kB(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return "–";
  return bytes >= 10 * 1024 ? `${(bytes / 1024).toFixed(0)} kB` : `${(bytes / 1024).toFixed(1)} kB`;
}

export function table(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

/** "meets" or "**misses**" for a figure against a goal. */
export function verdict(value: number | undefined | null, goal: number, higherIsBetter: boolean): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return "not measured";
  const ok = higherIsBetter ? value >= goal : value <= goal;
  return ok ? "meets" : "**misses**";
}

function find(rows: RequestRow[], name: string, variant: string): RequestRow | undefined {
  return rows.find((row) => row.name.startsWith(name) && row.variant === variant);
}

function statusCell(row: { status: string; note?: string }): string {
  if (row.status === "ok") return row.note ? `ok (${row.note})` : "ok";
  return row.note ?? row.status;
}

function templateSection(results: BenchResults): string {
  const variant = "Parley + Redis";
  const line = (
    work: string,
    template: { rps: number; cpuMs: number },
    row: RequestRow | undefined,
  ): string[] => {
    if (!row || row.status !== "ok") {
      return [
        work,
        `${template.rps}/s, ${template.cpuMs} ms`,
        row ? statusCell(row) : "not run",
        "–",
        "–",
        "–",
        "–",
      ];
    }
    const throughput = (row.rps ?? 0) / template.rps;
    const cpu = (row.cpuMsPerRequest ?? Number.NaN) / template.cpuMs;
    return [
      work,
      `${template.rps}/s, ${template.cpuMs} ms`,
      `${rate(row.rps)}/s, p50 ${fmt(row.p50Ms, 1)} ms, p99 ${fmt(row.p99Ms, 1)} ms, ${kB(row.bytesPerResponse)}, ${fmt(row.cpuMsPerRequest, 2)} ms CPU`,
      `${fmt(throughput, 1)}×`,
      `${verdict(throughput, GOALS.throughputFactor, true)} (goal ≥ ${GOALS.throughputFactor}×)`,
      `${fmt(cpu, 2)}×`,
      `${verdict(cpu, GOALS.cpuFactor, false)} (goal ≤ ${GOALS.cpuFactor}×)`,
    ];
  };
  const rows = [
    line("Chat page document", TEMPLATE.document, find(results.rows, "chat document", variant)),
    line(
      "200-message fetch (data request)",
      TEMPLATE.messages,
      find(results.rows, "chat data request", variant),
    ),
    line("Chat list (data request)", TEMPLATE.list, find(results.rows, "chat list data request", variant)),
  ];
  const page = results.pageWeights.find((weight) => weight.variant === variant);
  const parleyServer = results.servers.find((server) => server.name === "parley-redis");
  const rssMB = parleyServer?.rssMBAtEnd;
  const collectedMB = parleyServer?.rssMBAfterCollection;
  const extra = [
    `- Page weight (first visit: document + linked JS/CSS, gzip): template ${TEMPLATE.document.pageKB} kB; Parley ${page ? `${kB(page.totalGzipBytes)} (${kB(page.totalRawBytes)} uncompressed; document ${kB(page.documentGzipBytes)} gzip, ${kB(page.documentRawBytes)} raw; ${page.assets} assets)` : "not measured (chat page unavailable)"}: ${page ? verdict(page.totalGzipBytes / 1024, GOALS.pageKB, false) : "not measured"} (goal < ${GOALS.pageKB} kB).`,
    `- Memory after load (RSS of the Parley + Redis server after every load scenario ran against it): template ${fmt(TEMPLATE.rssMB, 0)} MB; Parley ${rssMB ? `${fmt(rssMB, 0)} MB (${fmt(rssMB / TEMPLATE.rssMB, 2)}×)` : "not measured"}: ${rssMB ? verdict(rssMB / TEMPLATE.rssMB, GOALS.memoryFactor, false) : "not measured"} (goal ≤ ${GOALS.memoryFactor}×).${collectedMB ? ` Once V8 had collected all it could, right after: ${fmt(collectedMB, 0)} MB.` : ""}`,
  ];
  return [
    "## Against the reference template (10 connections)",
    "",
    table(
      ["Work", "Template", "Parley + Redis", "Throughput ×", "Throughput goal", "CPU/request ×", "CPU goal"],
      rows,
    ),
    "",
    ...extra,
  ].join("\n");
}

function goalsSection(results: BenchResults): string {
  const goals = evaluateGoals(results);
  return [
    "## Goals (issue 14), side by side in this run",
    "",
    'Warm (cached) = the default configuration, after a cold pass over every entry and a warm-up; cold (miss) = a server started with `RESPONSE_CACHE_MAX_BYTES=0`. Tab goals are stated for 5,000 tabs; a run with fewer says so. A goal "not measured" is one whose scenario did not run (see `--only`).',
    "",
    table(
      ["Goal", "This run", "Target", "Verdict"],
      goals.map((goal) => [goal.goal, goal.figure, goal.target, goal.verdict]),
    ),
  ].join("\n");
}

function requestsSection(results: BenchResults): string {
  const rows = results.rows.map((row) => {
    const reference = find(results.rows, row.name.split(" (")[0], "Parley + Redis");
    const vsRedis =
      row.status === "ok" && reference?.status === "ok" && reference !== row && reference.rps
        ? `${fmt((row.rps ?? 0) / reference.rps, 2)}×`
        : "";
    const extra = row.extraCpuMsPerRequest
      ? Object.entries(row.extraCpuMsPerRequest)
          .map(([name, value]) => `${name} ${fmt(value, 3)}`)
          .join(", ")
      : "";
    return [
      row.name,
      row.variant,
      row.status === "ok" ? rate(row.rps) : "–",
      row.status === "ok" ? vsRedis : "",
      fmt(row.p50Ms, 2),
      fmt(row.p99Ms, 2),
      kB(row.bytesPerResponse),
      fmt(row.cpuMsPerRequest, 3),
      row.coldCpuMsPerRequest === undefined
        ? "–"
        : `${fmt(row.coldCpuMsPerRequest, 2)} (${row.coldRequests})`,
      extra,
      fmt(row.rssMB, 0),
      row.generatorCores !== undefined ? fmt(row.generatorCores, 2) : "–",
      row.foreignCores !== undefined ? fmt(row.foreignCores, 2) : "–",
      statusCell(row),
    ];
  });
  return [
    "## Every request measured",
    "",
    "Connections: " +
      (results.settings.connections ?? "?") +
      " per run. Each read's load starts with a cold pass, every entry once (each chat's or user's first request on that server, and a route's first requests: JIT, cache fills), reported apart in `cold pass`; then a warm-up, then the measured run. `× Redis` is throughput relative to the same request on Parley + Redis. CPU columns are milliseconds per request: the server process, then Redis and Postgres backends where measured. `gen` is the load generator's own CPU in cores (near 1.0 means it, not the server, was the limit); `other` is CPU (in cores) used meanwhile by processes that are not the bench's (Postgres' background workers, someone else's build): when it is high, the row is noisy.",
    "",
    table(
      [
        "Request",
        "Server",
        "req/s",
        "× Redis",
        "p50 ms",
        "p99 ms",
        "bytes/resp",
        "server CPU ms/req",
        "cold pass CPU ms/req (requests)",
        "other CPU ms/req",
        "RSS MB",
        "gen",
        "other",
        "status",
      ],
      rows,
    ),
  ].join("\n");
}

function syncSection(results: BenchResults): string {
  const sync = results.rows.filter((row) => row.scenario === "sync");
  const ceiling = sync.find((row) => row.variant.startsWith("bare node:http"));
  const parley = sync.find((row) => row.variant === "Parley + Redis");
  const rows = sync.map((row) => [
    row.variant,
    row.status === "ok" ? rate(row.rps) : "–",
    fmt(row.p99Ms, 2),
    fmt((row.cpuMsPerRequest ?? Number.NaN) * 1000, 0),
    row.status === "ok" && ceiling?.status === "ok" && ceiling.rps
      ? `${fmt((row.rps ?? 0) / ceiling.rps, 2)}×`
      : "–",
    row.status === "ok" && ceiling?.status === "ok" && ceiling.cpuMsPerRequest
      ? `${fmt((row.cpuMsPerRequest ?? 0) / ceiling.cpuMsPerRequest, 2)}×`
      : "–",
    statusCell(row),
  ]);
  const share =
    parley?.status === "ok" && ceiling?.status === "ok" && ceiling.rps
      ? (parley.rps ?? 0) / ceiling.rps
      : undefined;
  return [
    "## Sync check against its ceiling",
    "",
    table(
      ["Server", "req/s", "p99 ms", "server CPU µs/req", "throughput vs ceiling", "CPU vs ceiling", "status"],
      rows,
    ),
    "",
    `Goal: Parley's sync check at least ${GOALS.syncCeilingShare}× the bare node:http ceiling's throughput: ${share === undefined ? "not measured" : `${fmt(share, 2)}× — ${verdict(share, GOALS.syncCeilingShare, true)}`}.`,
  ].join("\n");
}

function sendSection(results: BenchResults): string {
  const sends = results.rows.filter((row) => row.scenario === "send");
  const accounting = results.accounting.filter((row) => row.name.startsWith("send"));
  const rows = sends.map((row) => {
    const counted = accounting.find((entry) =>
      entry.name.includes(row.name.includes("fetcher") ? "fetcher" : "no-JS"),
    );
    return [
      row.name,
      row.status === "ok" ? rate(row.rps) : "–",
      fmt(row.p50Ms, 1),
      fmt(row.p99Ms, 1),
      fmt(row.cpuMsPerRequest, 2),
      fmt(row.cpuMsPerRequestInclBackground, 2) + (row.backgroundQuiet === false ? " (still busy)" : ""),
      counted?.status === "ok"
        ? `${fmt(counted.pgStatements, 1)} (${fmt(counted.pgTransactions, 1)} txn)`
        : "–",
      counted?.status === "ok"
        ? `${fmt(counted.redisCommands, 1)} / ${fmt(counted.redisRoundTrips, 1)}`
        : "–",
      counted?.duringRequest
        ? `${fmt(counted.duringRequest.pgStatements, 1)} pg, ${fmt(counted.duringRequest.redisRoundTrips, 1)} redis RT`
        : "–",
      statusCell(row),
    ];
  });
  return [
    "## Sending a message (offline provider)",
    "",
    table(
      [
        "Request",
        "req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/send (run)",
        "CPU ms/send incl. reply",
        "pg statements/send",
        "redis commands / round trips",
        "before the response",
        "status",
      ],
      rows,
    ),
  ].join("\n");
}

function accountingSection(rows: AccountingRow[], background: string[] = []): string {
  if (rows.length === 0) return "";
  const body = rows.map((row) => [
    row.name,
    row.status === "ok" ? fmt(row.pgStatements, 1) : "–",
    row.status === "ok" ? fmt(row.pgRoundTrips, 1) : "–",
    row.status === "ok" ? fmt(row.pgTransactions, 1) : "–",
    row.status === "ok" ? fmt(row.pgBackgroundStatements, 1) : "–",
    row.status === "ok" ? fmt(row.redisCommands, 1) : "–",
    row.status === "ok" ? fmt(row.redisRoundTrips, 1) : "–",
    row.status === "ok" && row.pgByKind
      ? Object.entries(row.pgByKind)
          .map(([kind, count]) => `${kind} ${fmt(count, 1)}`)
          .join(", ") + (row.note ? ` (${row.note})` : "")
      : statusCell(row),
  ]);
  return [
    "## Cost per request at the wire (counted by proxies, one request at a time)",
    "",
    `A request's own statements only: a round trip made only of statements the app also runs on its own timers, with no request in flight (learned for 5.5 s before counting: ${background.length ? background.map((text) => `\`${text}\``).join("; ") : "none seen"}), is counted apart, in "background".`,
    "",
    table(
      [
        "Request",
        "pg statements",
        "pg round trips",
        "pg transactions",
        "background pg statements (apart)",
        "redis commands",
        "redis round trips",
        "statement kinds",
      ],
      body,
    ),
  ].join("\n");
}

function mixSection(results: BenchResults): string {
  const mix = results.mix;
  if (!mix) return "";
  const row = mix.row;
  const lines = [
    "## Read-heavy mix",
    "",
    `Weights: ${Object.entries(mix.weights)
      .map(([label, weight]) => `${label} ${weight}`)
      .join(", ")}.${mix.note ? ` ${mix.note}.` : ""}`,
    "",
  ];
  if (!row || mix.status !== "ok") {
    lines.push(mix.note ?? mix.status);
    return lines.join("\n");
  }
  lines.push(
    table(
      [
        "req/s",
        "p50 ms",
        "p99 ms",
        "server CPU ms/req",
        "cache hit ratio (app)",
        "cache hit ratio (Redis keyspace)",
        "response-cache hit ratio",
        "pg statements / page view",
        "pg round trips / page view",
        "redis commands / page view",
      ],
      [
        [
          rate(row.rps),
          fmt(row.p50Ms, 2),
          fmt(row.p99Ms, 2),
          fmt(row.cpuMsPerRequest, 3),
          mix.appCacheHitRatio === undefined
            ? "–"
            : `${fmt(mix.appCacheHitRatio * 100, 1)}% (${mix.appCache?.hits} hits, ${mix.appCache?.misses} misses, ${mix.appCache?.errors} errors)`,
          mix.cacheHitRatio === undefined ? "–" : `${fmt(mix.cacheHitRatio * 100, 1)}%`,
          row.responseCache
            ? `${fmt(row.responseCache.hitRatio * 100, 1)}% (${row.responseCache.hits} hits, ${row.responseCache.misses} misses)`
            : "not exposed",
          fmt(mix.pgStatementsPerPageView, 2),
          fmt(mix.pgRoundTripsPerPageView, 2),
          fmt(mix.redisCommandsPerPageView, 2),
        ],
      ],
    ),
  );
  if (row.perLabel) {
    lines.push(
      "",
      table(
        ["In the mix", "count", "p50 ms", "p99 ms", "statuses"],
        Object.entries(row.perLabel).map(([label, stats]) => [
          label,
          String(stats.count),
          fmt(stats.p50, 2),
          fmt(stats.p99, 2),
          JSON.stringify(stats.statusCodes),
        ]),
      ),
    );
  }
  return lines.join("\n");
}

function tabsSection(rows: TabsRow[]): string {
  if (rows.length === 0) return "";
  const body = rows.map((row) => [
    String(row.tabs),
    row.design,
    fmt(row.serverRssMB, 0),
    fmt(row.serverRssCollectedMB, 0),
    fmt(row.serverRssNoTabsCollectedMB, 0),
    fmt(row.memoryPerTabKB, 1),
    fmt(row.serverCpuSecPerMin, 2),
    row.redisCpuSecPerMin === undefined ? "–" : fmt(row.redisCpuSecPerMin, 2),
    row.requestsPerSec === undefined ? "–" : fmt(row.requestsPerSec, 0),
    row.skippedPolls === undefined ? "–" : String(row.skippedPolls),
    row.warmupSkippedPolls === undefined ? "–" : String(row.warmupSkippedPolls),
    row.openSockets === undefined ? "–" : String(row.openSockets),
    fmt(row.delayP50Ms, 0),
    fmt(row.delayP99Ms, 0),
    row.errors === undefined ? "–" : String(row.errors),
    statusCell(row),
  ]);
  return [
    "## Idle tabs: polling versus held connections",
    "",
    'Each tab has a session of its own (one tab per person, the worst case for per-session state); all sessions are one user\'s, so one write is news to every tab. Memory per tab = (RSS at the end of the window − RSS before any tab opened) / tabs, each read after the bench had V8 collect all the garbage it could (over the server\'s inspector), so that it counts memory held, not garbage awaiting a collection (the reading before any tab is taken no sooner than a minute after the server was ready, once two readings 10 s apart agree within 2 MB: a fresh Parley hands back about 100 MB of starting up 40-50 s after it is ready); "server RSS" is as read at the end of the window, before that collection. Delay = from the write until a tab has seen it: the pushed event (SSE) or the next sync check answering a newer version (Parley; the tab then makes one data request to render it). Skipped polls are counted in the measured window; "skipped while opening" counts those of the warm-up before it, while every tab opened its connection.',
    "",
    table(
      [
        "Tabs",
        "Design",
        "server RSS MB",
        "collected: RSS MB",
        "collected: with no tabs MB",
        "memory per tab kB",
        "server CPU s/min",
        "redis CPU s/min",
        "requests/s",
        "skipped polls",
        "skipped while opening",
        "open sockets",
        "delay p50 ms",
        "delay p99 ms",
        "errors",
        "status",
      ],
      body,
    ),
  ].join("\n");
}

function pageWeightSection(weights: PageWeight[]): string {
  if (weights.length === 0) return "";
  return [
    "## Page weight (one chat page, first visit)",
    "",
    table(
      [
        "Server",
        "document gzip",
        "document raw",
        "assets",
        "assets gzip",
        "assets raw",
        "total gzip",
        "total raw",
      ],
      weights.map((weight) => [
        weight.variant,
        kB(weight.documentGzipBytes),
        kB(weight.documentRawBytes),
        String(weight.assets),
        kB(weight.assetsGzipBytes),
        kB(weight.assetsRawBytes),
        kB(weight.totalGzipBytes),
        kB(weight.totalRawBytes),
      ]),
    ),
    "",
    ...weights.map(
      (weight) =>
        `Largest assets (${weight.variant}): ${weight.largestAssets.map(([asset, gzip, raw]) => `${asset} ${kB(gzip)} gzip / ${kB(raw)} raw`).join("; ")}.`,
    ),
  ].join("\n");
}

export function renderMarkdown(results: BenchResults): string {
  const machine = results.machine;
  const dataset = results.dataset;
  const header = [
    `# Parley benchmark: ${results.startedAt} (${results.mode})`,
    "",
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.kernel}; Node ${machine.node}; Postgres ${machine.postgres}; Redis ${machine.redis}; PGlite ${machine.pglite}; autocannon ${machine.autocannon}; open files ${machine.openFilesLimit}. Wall time ${fmt(results.wallSeconds, 0)} s.`,
    "",
    `Data set (Postgres): ${dataset.postgres.counts.users} users, ${dataset.postgres.counts.chats} chats, ${dataset.postgres.counts.messages} messages (${kB(dataset.postgres.counts.messageBytes)} of text), ${dataset.postgres.plan.busyChats} chats of ${dataset.postgres.plan.busyMessages} messages; seeded in ${fmt(dataset.postgres.seedSeconds, 1)} s.` +
      (dataset.embedded
        ? ` Embedded (PGlite): ${dataset.embedded.counts.users} users, ${dataset.embedded.counts.chats} chats, ${dataset.embedded.counts.messages} messages.`
        : ""),
  ];
  const routes = Object.entries(results.routes);
  const sections = [
    header.join("\n"),
    routes.length ? `Routes: ${routes.map(([route, state]) => `${route} ${state}`).join("; ")}.` : "",
    goalsSection(results),
    templateSection(results),
    syncSection(results),
    requestsSection(results),
    pageWeightSection(results.pageWeights),
    sendSection(results),
    accountingSection(results.accounting, results.accountingBackground),
    mixSection(results),
    tabsSection(results.tabs),
    renderProfiles(results.profiles ?? []),
    results.problems.length
      ? ["## Problems found in this run", "", ...results.problems.map((problem) => `- ${problem}`)].join("\n")
      : "",
  ];
  return `${sections.filter(Boolean).join("\n\n")}\n`;
}
