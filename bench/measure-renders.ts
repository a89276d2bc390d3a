/**
 * What the chat page costs to render, before and after a change, side by side in one run:
 * `node --import tsx bench/measure-renders.ts --before=/path/to/other/checkout` starts each
 * build (this checkout's and the other one's, both already built) one after the other on the
 * same seeded Postgres, each with a private Redis, warms it, and measures the server's CPU
 * (from /proc, divided by responses) for the 200-message chat document and its `.data`
 * request under autocannon. Then a short profiled run of each shows where the main thread's
 * time goes (render, serialization, Remix, streams, gzip), and gzip levels 1, 4 and 6 are
 * timed on the document itself. Prints Markdown; asserts nothing.
 *
 * Options: --before=DIR (required), --seconds=N (15), --connections=N (10), --db-name=NAME
 * (parley_renders, dropped and created fresh).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { startServer, type RunningServer } from "./lib/app-process";
import { prepareBenchDatabase } from "./lib/postgres";
import { cpuSeconds } from "./lib/process-stats";
import { startRedis } from "./lib/redis-instance";
import { seedPostgres, type Fixture } from "./lib/seed";

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = "true"] = arg.replace(/^--/, "").split("=");
    return [key, value] as const;
  }),
);
const before = args.get("before");
if (!before) throw new Error("--before=DIR: a built checkout to compare with");
const seconds = Number(args.get("seconds") ?? 15);
const connections = Number(args.get("connections") ?? 10);
const dbName = args.get("db-name") ?? "parley_renders";
const SECRET = "renders-measure-session-secret-0123456789abcdef";
const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-renders-"));
const builds = [
  { name: "before", root: path.resolve(before) },
  { name: "after", root: process.cwd() },
];

interface Target {
  name: string;
  path: string;
  accept: string;
}

function targets(fixture: Fixture): Target[] {
  const chat = fixture.busy[0];
  return [
    { name: "chat document (200 messages)", path: `/chats/${chat.id}`, accept: "text/html" },
    {
      name: "chat .data request (200 messages)",
      path: `/chats/${chat.id}.data`,
      accept: "*/*",
    },
  ];
}

/** How that checkout's `npm start` runs its server: bundled since 0029, under tsx before it. */
function serverEntry(root: string): string[] {
  return existsSync(path.join(root, "build", "server.js"))
    ? ["build/server.js"]
    : ["--import", "tsx", "server/start.ts"];
}

async function start(
  build: { name: string; root: string },
  redisUrl: string,
  databaseUrl: string,
  profileDir?: string,
) {
  const logDir = path.join(tmp, build.name);
  mkdirSync(logDir, { recursive: true });
  return startServer(
    {
      name: `${build.name}${profileDir ? "-profiled" : ""}`,
      command: [
        "node",
        ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
        ...serverEntry(build.root),
      ],
      env: {
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        SESSION_SECRET: SECRET,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        DATA_DIR: logDir,
        // Renders are what is measured: the response cache would answer every warm request.
        RESPONSE_CACHE_MAX_BYTES: "0",
      },
    },
    { root: build.root, logDir },
  );
}

async function load(server: RunningServer, target: Target, cookie: string, duration: number) {
  const cpuBefore = cpuSeconds(server.pid);
  const result = await autocannon({
    url: server.baseUrl + target.path,
    connections,
    duration,
    headers: { Cookie: cookie, Accept: target.accept, "Accept-Encoding": "gzip" },
  });
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const responses = result.requests.total;
  const bad = result.non2xx + result.errors;
  return {
    perSecond: responses / duration,
    cpuMs: (cpu * 1000) / responses,
    bytes: result.throughput.total / Math.max(1, responses),
    bad,
  };
}

async function fetchBody(server: RunningServer, target: Target, cookie: string) {
  const response = await fetch(server.baseUrl + target.path, {
    headers: { Cookie: cookie, Accept: target.accept, "Accept-Encoding": "identity" },
  });
  return Buffer.from(await response.arrayBuffer());
}

/** Self time of a V8 CPU profile by where it was spent, as shares of the busy (non-idle) time. */
function profileShares(file: string): Record<string, number> {
  const profile = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals: Record<string, number> = {};
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id);
    const category = frame ? categorise(frame.functionName, frame.url) : "other";
    if (category === "idle") return;
    totals[category] = (totals[category] ?? 0) + (profile.timeDeltas[index] ?? 0);
  });
  const busy = Object.values(totals).reduce((sum, value) => sum + value, 0);
  return Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, value / busy]));
}

function categorise(name: string, url: string): string {
  if (name === "(idle)") return "idle";
  // Loading and compiling modules happens once, at start-up: left out of the shares.
  if (/node:internal\/(modules|bootstrap|deps\/cjs-module-lexer)|tsx\/dist|esbuild/.test(url)) return "idle";
  if (name === "(garbage collector)") return "garbage collection";
  if (url.includes("zlib") || /gzip|zlib/i.test(name)) return "gzip";
  if (url.includes("react-dom") || url.includes("react/cjs")) return "React render";
  if (url.includes("turbo-stream") || name === "stringify" || name === "parse")
    return "serialization (JSON, turbo-stream)";
  if (url.includes("@remix-run") || url.includes("react-router")) return "Remix and router";
  if (/webstreams|undici|internal\/streams|internal\/worker|internal\/encoding/.test(url))
    return "streams and Request plumbing";
  if (/^(encodeInto|MessageChannel|receiveMessageOnPort|makeTransferable)$/.test(name))
    return "streams and Request plumbing";
  if (/\/pg\/|pg-protocol|@redis|\/db\//.test(url)) return "data access";
  if (url.includes("/build/index.js") || url.includes("/app/")) return "app (loaders, components, Markdown)";
  if (/^(writev|writeUtf8String|writeBuffer|read)$/.test(name) || /node:(net|_http|http)/.test(url))
    return "HTTP and sockets";
  return "other";
}

function gzipLevels(body: Buffer) {
  return [1, 4, 6].map((level) => {
    for (let warm = 0; warm < 20; warm++) gzipSync(body, { level });
    const runs = 200;
    const started = process.cpuUsage();
    let bytes = 0;
    for (let run = 0; run < runs; run++) bytes = gzipSync(body, { level }).length;
    const used = process.cpuUsage(started);
    return { level, bytes, cpuMs: (used.user + used.system) / 1000 / runs };
  });
}

async function main() {
  const database = await prepareBenchDatabase("postgres://postgres@127.0.0.1:5432/postgres", dbName);
  const fixture = await seedPostgres(
    database.url,
    {
      users: 20,
      chatsPerUser: 20,
      busyChats: 2,
      busyMessages: 200,
      regularMessagesMin: 2,
      regularMessagesMax: 8,
    },
    SECRET,
  );
  const cookie = fixture.users[fixture.busy[0].userIndex].cookie;
  const rows: string[] = [];
  const profiles: Record<string, Record<string, Record<string, number>>> = {};
  const documents: Record<string, Buffer> = {};
  for (const build of builds) {
    mkdirSync(path.join(tmp, build.name), { recursive: true });
    const redis = await startRedis(path.join(tmp, build.name), build.root);
    const server = await start(build, redis.url, database.url);
    try {
      for (const target of targets(fixture)) {
        await load(server, target, cookie, 3); // warm: JIT, Markdown cache, Redis entries
        const measured = await load(server, target, cookie, seconds);
        const raw = await fetchBody(server, target, cookie);
        if (target.accept === "text/html") documents[build.name] = raw;
        rows.push(
          `| ${target.name} | ${build.name} | ${measured.perSecond.toFixed(0)} | ${measured.cpuMs.toFixed(2)} | ` +
            `${(raw.length / 1024).toFixed(1)} kB | ${(measured.bytes / 1024).toFixed(1)} kB | ${measured.bad} |`,
        );
      }
    } finally {
      await server.stop();
    }
    // The profiled run: the same load, shorter, on a fresh process of the same build.
    for (const target of targets(fixture)) {
      const profileDir = path.join(
        tmp,
        `${build.name}-profile-${target.accept === "text/html" ? "doc" : "data"}`,
      );
      const profiled = await start(build, redis.url, database.url, profileDir);
      try {
        await load(profiled, target, cookie, 3);
        await load(profiled, target, cookie, Math.max(5, Math.round(seconds / 2)));
      } finally {
        await profiled.stop(10_000);
      }
      const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
      if (file) {
        profiles[target.name] ??= {};
        profiles[target.name][build.name] = profileShares(path.join(profileDir, file));
      }
    }
    await redis.stop();
  }
  await database.close();

  console.log(
    `\n## Chat page CPU, before and after (${seconds} s each, ${connections} connections, warm Redis)\n`,
  );
  console.log(
    "| Request | Build | req/s | server CPU ms per response | raw body | on the wire (gzip) | non-2xx or errors |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  console.log("\n## Where the main thread's time goes (CPU profile, self time, share of busy time)\n");
  for (const [target, byBuild] of Object.entries(profiles)) {
    const categories = [...new Set(Object.values(byBuild).flatMap((shares) => Object.keys(shares)))].sort();
    console.log(`\n**${target}**\n`);
    console.log("| Category | before | after |");
    console.log("|---|---|---|");
    for (const category of categories)
      console.log(`| ${category} | ${pct(byBuild.before?.[category])} | ${pct(byBuild.after?.[category])} |`);
  }
  for (const [name, body] of Object.entries(documents)) {
    console.log(
      `\n## gzip levels on the ${name} document (${(body.length / 1024).toFixed(1)} kB raw, 200 calls each)\n`,
    );
    console.log("| Level | bytes | CPU ms per call |");
    console.log("|---|---|---|");
    for (const { level, bytes, cpuMs } of gzipLevels(body))
      console.log(`| ${level} | ${(bytes / 1024).toFixed(1)} kB | ${cpuMs.toFixed(3)} |`);
  }
  console.log(`\nLogs and profiles: ${tmp}`);
}

const pct = (share: number | undefined) => (share === undefined ? "–" : `${(share * 100).toFixed(1)}%`);

await main();
