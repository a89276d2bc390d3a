import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import os from "node:os";

/**
 * A redis-server owned by one test, on its own free port, so the test can kill, pause and
 * restart it without touching the shared Redis on 6379. Needs `redis-server` on PATH.
 */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** PID of the current redis-server process; changes after restart(). */
  readonly pid: number;
  /** Graceful shutdown (SIGTERM); resolves once the process has exited. */
  stop(): Promise<void>;
  /** Crash (SIGKILL), as in a lost host; resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the kernel still accepts connections and bytes, but nothing answers. */
  pause(): void;
  resume(): void;
  /**
   * Kills the process if it is running and starts another on the same port: empty, or, when
   * the server keeps snapshots (`dir`), loading the last one saved there (or in `from`).
   */
  restart(from?: { dir: string }): Promise<void>;
  /** Writes a snapshot now (SAVE), when started with `dir`. */
  save(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** `dir`: keep snapshots there (saved only on `save()`), as a Redis with RDB persistence does. */
export async function startPrivateRedis(options: { dir?: string } = {}): Promise<PrivateRedis> {
  installExitHook();
  const port = await freePort();
  let child = await spawnRedis(port, options.dir);

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid as number;
    },
    async stop() {
      if (hasExited(child)) return;
      child.kill("SIGCONT"); // a stopped process would not act on SIGTERM
      child.kill("SIGTERM");
      const done = await Promise.race([exited(child).then(() => true), sleep(3000).then(() => false)]);
      if (!done) {
        child.kill("SIGKILL");
        await exited(child);
      }
    },
    async kill() {
      if (hasExited(child)) return;
      child.kill("SIGKILL");
      await exited(child);
    },
    pause() {
      child.kill("SIGSTOP");
    },
    resume() {
      child.kill("SIGCONT");
    },
    async restart(from) {
      if (!hasExited(child)) {
        child.kill("SIGKILL");
        await exited(child);
      }
      child = await spawnRedis(port, from?.dir ?? options.dir);
    },
    async save() {
      const reply = await rawCommand(port, "SAVE");
      if (!reply.startsWith("+OK")) throw new Error(`SAVE failed: ${reply}`);
    },
  };
}

async function spawnRedis(port: number, dir?: string): Promise<ChildProcess> {
  const files = dir ? ["--dir", dir, "--dbfilename", "dump.rdb"] : ["--dir", os.tmpdir()];
  return spawnRedisServer(
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...files],
    () => answersPing(port),
    `redis-server on port ${port}`,
  );
}

/**
 * Starts `redis-server` with `args` and resolves once `ready` answers true; the process is
 * killed when the test process exits. For the servers a test builds itself (cluster nodes,
 * TLS, Sentinel), which need more arguments than startPrivateRedis gives.
 */
export async function spawnRedisServer(
  args: string[],
  ready: () => Promise<boolean>,
  what = "redis-server",
): Promise<ChildProcess> {
  installExitHook();
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  // Drain the pipes (a full pipe would block the server) and keep the tail for errors.
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  spawnError.catch(() => {}); // only the race below cares; later errors must not go unhandled

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${what} exited early:\n${output}`);
    const answering = await Promise.race([ready(), spawnError]);
    if (answering) return child;
    await sleep(25);
  }
  child.kill("SIGKILL");
  throw new Error(`${what} did not answer within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

/** One inline command over a raw socket; resolves the first reply chunk. */
export function rawCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`${command}: no reply`));
    });
    socket.once("error", reject);
    socket.once("connect", () => socket.write(`${command}\r\n`));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString());
    });
  });
}

/** A raw PING, so readiness does not depend on the client under test. */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => finish(data.toString().startsWith("+PONG")));
  });
}

/** A port nothing listens on right now (the OS picks it, then it is released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A crashed or interrupted test run must not leave redis-servers behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}
