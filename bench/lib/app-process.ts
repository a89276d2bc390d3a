import { readFileSync } from "node:fs";
import path from "node:path";
import { spawnChild, type Child } from "./children";
import { tryProbe } from "./http";
import { freePort } from "./ports";

/**
 * Starts a server process (Parley, Parley under remix-serve, or a baseline), on 127.0.0.1 and
 * a free port, and waits until its health route answers 200.
 */
export interface RunningServer {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  child: Child;
  /** Milliseconds from spawn to the first 200 from the health route. */
  startMs: number;
  /** When the health route first answered 200 (performance.now()). */
  readyAt: number;
  /** The inspector's address, for a server started with `inspect` (to force a collection). */
  inspectorUrl?: string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves how it ended. */
  stop(graceMs?: number): Promise<StopOutcome>;
  /** Error lines the server wrote to its log so far (Parley's logger: `<time> error …`), except `expected` ones. */
  logErrors(expected?: RegExp): LogErrors;
}

export interface LogErrors {
  count: number;
  /** Up to three distinct messages (without time stamps and request ids). */
  samples: string[];
}

export function readLogErrors(file: string, expected?: RegExp): LogErrors {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { count: 0, samples: [] };
  }
  const samples = new Map<string, number>();
  let count = 0;
  for (const line of text.split("\n")) {
    const match = /^\S+ (error|warn) (.*)$/.exec(line) ?? /^(Error|TypeError|RangeError)\b(.*)$/.exec(line);
    if (!match || expected?.test(line)) continue;
    count += 1;
    const message = `${match[1]} ${match[2]}`
      .replace(/requestId=\S+ ?/, "")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id")
      .slice(0, 220);
    samples.set(message, (samples.get(message) ?? 0) + 1);
  }
  return {
    count,
    samples: [...samples.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([message, times]) => `${times}× ${message}`),
  };
}

export interface StopOutcome {
  ms: number;
  /** True when the process did not exit on SIGTERM within the grace period. */
  killed: boolean;
}

export interface ServerSpec {
  name: string;
  command: string[];
  env: Record<string, string | undefined>;
  healthPath?: string;
  readyTimeoutMs?: number;
  /**
   * Starts node (the command's first word) with its inspector on a free loopback port, so the
   * bench can force a collection before it reads RSS. Nothing attaches until then.
   */
  inspect?: boolean;
}

export interface BenchPaths {
  root: string;
  logDir: string;
}

export async function startServer(spec: ServerSpec, paths: BenchPaths): Promise<RunningServer> {
  const port = await freePort();
  const inspectPort = spec.inspect ? await freePort() : undefined;
  const command = inspectPort
    ? [spec.command[0], `--inspect=127.0.0.1:${inspectPort}`, ...spec.command.slice(1)]
    : spec.command;
  const started = performance.now();
  const child = spawnChild(spec.name, command, {
    cwd: paths.root,
    env: { ...spec.env, HOST: "127.0.0.1", PORT: String(port) },
    logDir: paths.logDir,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  let exitedWith: string | undefined;
  void child.exited.then((code) => {
    exitedWith = code;
  });
  let last = "";
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(`${spec.name} exited (${exitedWith}) before it was ready:\n${child.tail()}`);
    }
    const result = await tryProbe(baseUrl + (spec.healthPath ?? "/healthz"), { timeoutMs: 5_000 });
    if (result.status === 200) {
      return {
        name: spec.name,
        pid: child.pid,
        port,
        baseUrl,
        child,
        startMs: performance.now() - started,
        readyAt: performance.now(),
        inspectorUrl: inspectPort ? `http://127.0.0.1:${inspectPort}` : undefined,
        logErrors: (expected?: RegExp) => readLogErrors(child.logFile, expected),
        async stop(graceMs = 4_000) {
          const stopping = performance.now();
          const code = await child.stop(graceMs);
          return { ms: performance.now() - stopping, killed: code === "SIGKILL" };
        },
      };
    }
    last = `${result.status} ${result.body.slice(0, 200)}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await child.stop();
  throw new Error(
    `${spec.name} not healthy within ${spec.readyTimeoutMs ?? 60_000} ms (last: ${last}):\n${child.tail()}`,
  );
}

export interface ParleyEnv {
  databaseUrl?: string;
  redisUrl?: string;
  sessionSecret: string;
  dataDir: string;
  extra?: Record<string, string>;
}

/** The OPERATOR_TOKEN of every Parley the bench starts, to read its cache counters. */
export const BENCH_OPERATOR_TOKEN = "parley-bench-operator-token-not-for-production-01";

function parleyEnv(env: ParleyEnv): Record<string, string | undefined> {
  return {
    NODE_ENV: "production",
    OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN,
    LOG_LEVEL: "warn",
    SESSION_SECRET: env.sessionSecret,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    DATA_DIR: env.dataDir,
    // Load comes from a few users on one address: quotas stay checked (their cost is part of
    // every send) but are never reached.
    MESSAGES_PER_HOUR: "100000000",
    GUEST_MESSAGES_PER_HOUR: "100000000",
    CHATS_PER_HOUR: "100000000",
    GUESTS_PER_IP_PER_HOUR: "100000000",
    ...env.extra,
  };
}

/**
 * Parley's own server, exactly as `npm start` runs it (node build/server.js, built by
 * `buildIfNeeded`); `nodeFlags` only for the profile phase, `inspect` to force collections.
 */
export function startParley(
  name: string,
  env: ParleyEnv,
  paths: BenchPaths,
  options: { nodeFlags?: string[]; inspect?: boolean } = {},
): Promise<RunningServer> {
  return startServer(
    {
      name,
      command: ["node", ...(options.nodeFlags ?? []), "build/server.js"],
      env: parleyEnv(env),
      inspect: options.inspect,
    },
    paths,
  );
}

/** The same build under remix-serve (express, compression, static files, morgan logging). */
export function startRemixServe(name: string, env: ParleyEnv, paths: BenchPaths): Promise<RunningServer> {
  return startServer(
    {
      name,
      command: [path.join(paths.root, "node_modules", ".bin", "remix-serve"), "build/index.js"],
      env: parleyEnv(env),
    },
    paths,
  );
}
