import { execFileSync } from "node:child_process";
import { createClient } from "redis";
import { spawnChild, type Child } from "./children";
import { cpuSeconds } from "./process-stats";
import { freePort } from "./ports";

/**
 * The bench's own Redis: a private redis-server on a free port (no persistence), so its
 * INFO commandstats / keyspace_hits count only Parley's traffic and FLUSHALL touches nobody
 * else. If redis-server is not installed, falls back to db 3 of the shared Redis (counts
 * then include other clients' traffic: the report says so).
 */
export interface RedisInstance {
  url: string;
  port: number;
  /** The redis-server PID, when the bench owns the instance (for its CPU). */
  pid: number | null;
  shared: boolean;
  version: string;
  commandStats(): Promise<Map<string, number>>;
  keyspaceStats(): Promise<{ hits: number; misses: number }>;
  /** Empties the bench's instance (or, on the shared one, only db 3). */
  flush(): Promise<void>;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function startRedis(logDir: string, cwd: string): Promise<RedisInstance> {
  let binary: string | null = null;
  try {
    binary = execFileSync("bash", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || null;
  } catch {
    binary = null;
  }
  let child: Child | null = null;
  let url: string;
  let port: number;
  if (binary) {
    port = await freePort();
    child = spawnChild(
      "redis",
      [
        binary,
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "yes",
      ],
      { cwd, env: {}, logDir },
    );
    url = `redis://127.0.0.1:${port}`;
  } else {
    port = 6379;
    url = "redis://127.0.0.1:6379/3";
  }
  const client = createClient({
    url,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => (retries > 50 ? false : 100) },
  });
  client.on("error", () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`bench redis did not start: ${String(error)}\n${child?.tail() ?? ""}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const server = parseInfo(await client.info("server"));
  return {
    url,
    port,
    pid: child?.pid ?? null,
    shared: child === null,
    version: server.get("redis_version") ?? "unknown",
    async commandStats() {
      const stats = new Map<string, number>();
      for (const [key, value] of parseInfo(await client.info("commandstats"))) {
        const match = /^cmdstat_(.+)$/.exec(key);
        const calls = /calls=(\d+)/.exec(value);
        if (match && calls) stats.set(match[1], Number(calls[1]));
      }
      return stats;
    },
    async keyspaceStats() {
      const stats = parseInfo(await client.info("stats"));
      return {
        hits: Number(stats.get("keyspace_hits") ?? 0),
        misses: Number(stats.get("keyspace_misses") ?? 0),
      };
    },
    async flush() {
      if (child) await client.flushAll();
      else await client.flushDb();
    },
    cpuSeconds() {
      return child ? cpuSeconds(child.pid) : Number.NaN;
    },
    async stop() {
      await client.close().catch(() => undefined);
      if (child) await child.stop();
    },
  };
}

export function parseInfo(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    const at = line.indexOf(":");
    if (at > 0) map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

/** Commands between two commandstats samples, leaving out the bench's own INFO calls. */
export function commandDelta(
  before: Map<string, number>,
  after: Map<string, number>,
): { total: number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [command, calls] of after) {
    if (command === "info" || command === "flushall" || command === "flushdb") continue;
    const delta = calls - (before.get(command) ?? 0);
    if (delta > 0) {
      byCommand[command] = delta;
      total += delta;
    }
  }
  return { total, byCommand };
}
