import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAlive } from "./process-stats";

/**
 * Every process the bench starts goes through here, so that each one is stopped by its own
 * PID at the end (or on Ctrl-C), never by name. Children run through
 * `bash -c 'ulimit -n <hard limit>; exec …'`: exec keeps the PID, so the PID we hold is the
 * server's own (what /proc measurements need), and thousands of sockets fit under the limit.
 */
export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<string>;
  /** SIGTERM, SIGKILL after graceMs; resolves the exit code or signal. */
  stop(graceMs?: number): Promise<string>;
  /** The last lines of the process's output, for error messages. */
  tail(lines?: number): string;
}

const running = new Set<Child>();

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  logDir: string;
  /** Open an IPC channel (for the bench's own worker processes). */
  ipc?: boolean;
}

/** A clean environment: PATH and HOME from ours, nothing else inherited (no stray DATABASE_URL). */
export function baseEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    TZ: "UTC",
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

export function spawnChild(name: string, command: string[], options: SpawnOptions): Child {
  const logFile = path.join(options.logDir, `${name.replace(/[^a-z0-9_.-]+/gi, "-")}.log`);
  const fd = openSync(logFile, "a");
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const child: ChildProcess = spawn("bash", ["-c", script, "bash", ...command], {
    cwd: options.cwd,
    env: baseEnv(options.env) as NodeJS.ProcessEnv,
    stdio: (options.ipc ? ["ignore", fd, fd, "ipc"] : ["ignore", fd, fd]) as StdioOptions,
    detached: false,
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ?? String(code)));
  });
  const handle: Child = {
    name,
    pid: child.pid,
    process: child,
    logFile,
    exited,
    async stop(graceMs = 5_000) {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (isAlive(handle.pid)) child.kill("SIGKILL");
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    tail(lines = 15) {
      try {
        return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Stops every child still running (end of the run, or Ctrl-C). */
export async function stopAllChildren(): Promise<void> {
  await Promise.allSettled([...running].map((child) => child.stop(3_000)));
}
