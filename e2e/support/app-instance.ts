import { spawn, type ChildProcess } from "node:child_process";
import { appEnvironment } from "./environment";

/**
 * Another app instance on the same Postgres and Redis, started and killed by a test: for
 * "stop reaches another instance" and "the process was killed mid-reply".
 */
export interface AppInstance {
  url: string;
  /** SIGKILL: no shutdown, no final write, as in a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppInstance(port: number): Promise<AppInstance> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    env: { ...process.env, ...appEnvironment(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app instance on ${port} exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`app instance on ${port} did not become healthy`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
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
