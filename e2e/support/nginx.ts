import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Debian's nginx in front of app instances, configured by the same template as the Compose
 * set-up (deploy/nginx/parley.conf.template) with loopback ports: run from a prefix of its own
 * (config, pid, logs, temp files) with `daemon off`, never the system service.
 */
export interface Nginx {
  url: string;
  /** One line per request: `<status> <upstream addresses tried> <upstream statuses> <request>`. */
  accessLog(): string;
  errorLog(): string;
  stop(): Promise<void>;
}

const TEMPLATE = path.resolve("deploy/nginx/parley.conf.template");
const NGINX = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

/** The template with its placeholders filled in; the `server ${PARLEY_INSTANCE}` line once per instance. */
export function renderParleyConf(listen: string, instances: string[], resolver = "127.0.0.1"): string {
  return readFileSync(TEMPLATE, "utf8")
    .split("\n")
    .flatMap((line) =>
      line.includes("${PARLEY_INSTANCE}")
        ? instances.map((instance) => line.replace("${PARLEY_INSTANCE}", instance))
        : [line],
    )
    .join("\n")
    .replaceAll("${PARLEY_LISTEN}", listen)
    .replaceAll("${PARLEY_RESOLVER}", resolver);
}

export async function startNginx(port: number, instancePorts: number[]): Promise<Nginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), "parley-nginx-"));
  // Workers run as an unprivileged user when the test runs as root: they must reach the temp paths.
  chmodSync(prefix, 0o755);
  const file = (name: string) => path.join(prefix, name);
  const conf = [
    "daemon off;",
    "worker_processes 1;",
    `pid ${file("nginx.pid")};`,
    `error_log ${file("error.log")} warn;`,
    "events { worker_connections 1024; }",
    "http {",
    "  log_format parley '$status $upstream_addr $upstream_status \"$request\"';",
    `  access_log ${file("access.log")} parley;`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
      (kind) => `  ${kind}_temp_path ${file(`${kind}-temp`)};`,
    ),
    renderParleyConf(
      `127.0.0.1:${port}`,
      instancePorts.map((instancePort) => `127.0.0.1:${instancePort}`),
    ),
    "}",
  ].join("\n");
  writeFileSync(file("nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", prefix, "-c", file("nginx.conf"), "-e", file("error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const read = (name: string) => {
    try {
      return readFileSync(file(name), "utf8");
    } catch {
      return "";
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`nginx exited with ${child.exitCode}: ${stderr}${read("error.log")}`);
    const up = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx on ${port} did not answer: ${read("error.log")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    accessLog: () => read("access.log"),
    errorLog: () => read("error.log"),
    async stop() {
      await terminate(child);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
