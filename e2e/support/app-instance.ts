import { spawn, type ChildProcess } from "node:child_process";
import { appEnvironment } from "./environment";

/**
 * Another app instance (on the same Postgres and Redis unless `overrides` say otherwise),
 * started and killed by a test: for "stop reaches another instance", "the process was killed
 * mid-reply" and failures a test provokes on purpose.
 */
export interface AppInstance {
  url: string;
  /** What the instance has logged to stderr (warnings and errors) so far. */
  errorLog(): string;
  /** Everything the instance has logged so far, stdout and stderr. */
  output(): string;
  /** SIGKILL: no shutdown, no final write, as in a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppInstance(
  port: number,
  overrides: Record<string, string> = {},
  { echo = true, readyWithinMs = 30_000 }: { echo?: boolean; readyWithinMs?: number } = {},
): Promise<AppInstance> {
  const child = spawn(process.execPath, ["build/server.js"], {
    env: { ...process.env, ...appEnvironment(port, overrides) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errorLog = "";
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    errorLog += chunk.toString();
    output += chunk.toString();
    // A test that provokes errors on purpose reads them itself instead of alarming the run's log.
    if (echo) process.stderr.write(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app instance on ${port} exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      // Not left running behind the failed test (an embedded instance holds its data directory).
      await terminate(child, "SIGKILL");
      throw new Error(
        `app instance on ${port} did not become healthy within ${readyWithinMs} ms:\n${output.slice(-2_000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    errorLog: () => errorLog,
    output: () => output,
    crash: () => terminate(child, "SIGKILL"),
    stop: () => terminate(child, "SIGTERM"),
  };
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
