import { mkdtemp, rm, stat } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createDb } from "#db/client";
import { uuidv7 } from "#db/ids";
import { migrateToLatest } from "#db/migrate";
import { createSession } from "#db/repositories/sessions";
import { createGuestUser } from "#db/repositories/users";
import { createSessionCookie, newSessionId } from "#app/services/session-cookie.server";
import { startParley } from "./lib/app-process";
import { stopAllChildren } from "./lib/children";
import { prepareBenchDatabase } from "./lib/postgres";
import { memory } from "./lib/process-stats";

/**
 * The memory an export and an import cost Parley's server: its resident set (RSS, from
 * /proc) sampled every 20 ms while it streams the full export of a large account (2,000
 * chats, 100,000 messages) and of a small one (10 chats, 100 messages), and while it takes a
 * generated 50 MB ChatGPT conversations.json (upload, first pass, then the import). Postgres
 * beside it, no Redis (the in-process store).
 *
 *   node --import tsx bench/transfer-memory.ts [--db-name=parley_transfer_bench]
 */
const SECRET = "transfer-bench-session-secret-0123456789abcdef";
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = process.argv.find((arg) => arg.startsWith("--db-name="))?.slice(10) ?? "parley_transfer_bench";
const MB = 1024 * 1024;
/** --large-chats=N: the large account's chats (50 messages each); 2,000 by default. */
/** --max-old-space=MB: the server's V8 heap cap; an export or import that held its data would fail under a small one. */
const maxOldSpace = process.argv.find((arg) => arg.startsWith("--max-old-space="))?.slice(16);
const largeChats = Number(process.argv.find((arg) => arg.startsWith("--large-chats="))?.slice(14) ?? 2000);

async function main() {
  const bench = await prepareBenchDatabase(adminUrl, dbName);
  const handle = createDb({ databaseUrl: bench.url });
  await migrateToLatest(handle.db);
  const work = await mkdtemp(path.join(tmpdir(), "parley-transfer-bench-"));
  const large = await seedUser(handle.db, largeChats, 50);
  const small = await seedUser(handle.db, 10, 10);
  const importer = await seedUser(handle.db, 0, 0);
  await handle.close();
  const server = await startParley(
    "parley",
    {
      databaseUrl: bench.url,
      sessionSecret: SECRET,
      dataDir: work,
      extra: {
        IMPORT_MAX_BYTES: String(60 * MB),
        ...(maxOldSpace ? { NODE_OPTIONS: `--max-old-space-size=${maxOldSpace}` } : {}),
      },
    },
    { root: process.cwd(), logDir: work },
  );
  const results: string[] = maxOldSpace ? [`server heap capped at ${maxOldSpace} MB`] : [];
  try {
    const idle = memory(server.pid).rss;
    results.push(`idle after start: ${mb(idle)}`);
    for (const [label, user] of [
      ["small account (10 chats, 100 messages)", small],
      [
        `large account (${largeChats.toLocaleString("en-US")} chats, ${(largeChats * 50).toLocaleString("en-US")} messages)`,
        large,
      ],
      ["small account again", small],
    ] as const) {
      const measured = await sampled(server.pid, () =>
        download(`${server.baseUrl}/export.json`, user.cookie),
      );
      results.push(
        `export, ${label}: ${mb(measured.value.bytes)} in ${(measured.ms / 1000).toFixed(1)} s, ` +
          `RSS before ${mb(measured.before)}, peak ${mb(measured.peak)} (+${mb(measured.peak - measured.before)})`,
      );
    }
    const file = path.join(work, "conversations.json");
    const conversations = await writeChatGptFile(file, 50 * MB);
    const size = (await stat(file)).size;
    const upload = await sampled(server.pid, () =>
      curlUpload(`${server.baseUrl}/import`, importer.cookie, file),
    );
    results.push(
      `import upload + first pass (${mb(size)}, ${conversations} conversations): answered ${upload.value} in ` +
        `${(upload.ms / 1000).toFixed(1)} s, RSS before ${mb(upload.before)}, peak ${mb(upload.peak)} (+${mb(upload.peak - upload.before)})`,
    );
    const check = createDb({ databaseUrl: bench.url });
    const running = await sampled(server.pid, async () => {
      for (;;) {
        const row = await check.db
          .selectFrom("imports")
          .select(["status", "imported_chats", "total_chats"])
          .where("user_id", "=", importer.userId)
          .executeTakeFirst();
        if (row && row.status !== "running") return row;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    await check.close();
    results.push(
      `import second pass (${running.value.imported_chats} of ${running.value.total_chats} chats, ${running.value.status}): ` +
        `${(running.ms / 1000).toFixed(1)} s, peak ${mb(running.peak)} (+${mb(running.peak - running.before)})`,
    );
    results.push(`server peak RSS over the whole run (VmHWM): ${mb(memory(server.pid).peakRss)}`);
  } finally {
    await server.stop();
    await stopAllChildren();
    await bench.close();
    await rm(work, { recursive: true, force: true });
  }
  console.log(results.map((line) => `- ${line}`).join("\n"));
}

type Db = ReturnType<typeof createDb>["db"];

/** A guest with `chats` chats of `perChat` messages each (about 300 characters), inserted by SQL, and a signed cookie. */
async function seedUser(db: Db, chats: number, perChat: number) {
  const userId = uuidv7();
  const sessionId = newSessionId();
  await createGuestUser(db, userId);
  await createSession(db, { id: sessionId, userId, expiresAt: new Date(Date.now() + 86_400_000) });
  if (chats > 0) {
    await sql`
      insert into chats (id, user_id, title, title_source, created_at, updated_at)
      select gen_random_uuid(), ${userId}::uuid, 'Chat ' || n, 'derived', now() - n * interval '1 minute', now() - n * interval '1 minute'
      from generate_series(1, ${chats}::int) as n`.execute(db);
    await sql`
      insert into messages (id, chat_id, role, content, status, client_id, created_at, updated_at)
      select gen_random_uuid(), c.id, case when m % 2 = 1 then 'user' else 'assistant' end,
             'Message ' || m || ': ' || repeat('lorem ipsum dolor sit amet ', 11), 'complete',
             case when m % 2 = 1 then gen_random_uuid()::text end,
             c.created_at + m * interval '1 second', c.created_at + m * interval '1 second'
      from chats c cross join generate_series(1, ${perChat}::int) as m
      where c.user_id = ${userId}::uuid`.execute(db);
  }
  const header = await createSessionCookie(SECRET, true).serialize({ s: sessionId, u: userId });
  return { userId, cookie: header.split(";")[0] };
}

async function sampled<T>(pid: number, work: () => Promise<T>) {
  const before = memory(pid).rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, memory(pid).rss);
  }, 20);
  const started = performance.now();
  try {
    const value = await work();
    return { value, before, peak, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

/** Reads the body as it comes, keeping none of it. */
async function download(url: string, cookie: string): Promise<{ bytes: number }> {
  const response = await fetch(url, { headers: { Cookie: cookie } });
  if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
  let bytes = 0;
  const reader = response.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
  return { bytes };
}

/** curl streams the file from disk (fetch would hold it all), as a browser's form post does. */
async function curlUpload(url: string, cookie: string, file: string): Promise<string> {
  const curl = spawn("curl", [
    "-s",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}",
    "-H",
    `Cookie: ${cookie}`,
    "-F",
    `file=@${file};type=application/json`,
    url,
  ]);
  let out = "";
  curl.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await once(curl, "exit");
  return out;
}

/** ChatGPT's format, with a branch and hidden system node in each conversation, up to `bytes`. */
async function writeChatGptFile(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let count = 0;
  out.write("[");
  written += 1;
  const text = "Some words of a long answer, repeated to weigh what a real reply weighs. ".repeat(20);
  while (written < bytes - 30_000) {
    const base = 1_700_000_000 + count * 100;
    const mapping: Record<string, unknown> = {
      root: { id: "root", message: null, parent: null, children: ["sys"] },
      sys: node("sys", "root", "system", "You are ChatGPT.", base, {
        is_visually_hidden_from_conversation: true,
      }),
    };
    let parent = "sys";
    for (let turn = 0; turn < 10; turn += 1) {
      const id = `n${turn}`;
      mapping[id] = node(id, parent, turn % 2 ? "assistant" : "user", `${turn}: ${text}`, base + turn);
      parent = id;
    }
    mapping.branch = node("branch", "n0", "assistant", "an abandoned answer", base + 1);
    const conversation = {
      title: `Conversation ${count + 1}`,
      create_time: base,
      update_time: base + 10,
      id: `conv-${count}`,
      current_node: parent,
      mapping,
    };
    const line = `${count ? "," : ""}${JSON.stringify(conversation)}`;
    if (!out.write(line)) await once(out, "drain");
    written += Buffer.byteLength(line);
    count += 1;
  }
  out.end("]");
  await once(out, "finish");
  return count;
}

function node(id: string, parent: string, role: string, text: string, time: number, metadata = {}) {
  return {
    id,
    parent,
    children: [],
    message: {
      id,
      author: { role },
      create_time: time,
      content: { content_type: "text", parts: [text] },
      metadata,
    },
  };
}

const mb = (value: number) => `${(value / MB).toFixed(1)} MB`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
