import { execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { exited, freePort, hasExited, spawnRedisServer } from "./private-redis";

/**
 * A redis-server owned by one test that speaks only TLS (`--port 0`), with a certificate
 * signed by a CA made for it, and an ACL user limited to Parley's keys; the default user is
 * off, so nothing gets in without the password. Needs redis-server and openssl.
 */
export interface PrivateTlsRedis {
  readonly port: number;
  /** PEM of the CA that signed the server's certificate. */
  readonly caPem: string;
  readonly caFile: string;
  readonly username: string;
  readonly password: string;
  url(credentials?: { username: string; password: string }): string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

export async function startPrivateTlsRedis(): Promise<PrivateTlsRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "parley-redis-tls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => run("openssl", args, { timeout: 20_000 });
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=Parley test CA",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.crt"),
  );
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    file("server.key"),
    "-out",
    file("server.csr"),
  );
  await writeFile(file("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await openssl(
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.crt"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    file("san.ext"),
    "-out",
    file("server.crt"),
  );
  const caPem = await readFile(file("ca.crt"), "utf8");
  const port = await freePort();
  const username = "parley";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = await spawnRedisServer(
    [
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--tls-cert-file",
      file("server.crt"),
      "--tls-key-file",
      file("server.key"),
      "--tls-ca-cert-file",
      file("ca.crt"),
      "--tls-auth-clients",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--user",
      "default",
      "off",
      "--user",
      username,
      "on",
      `>${password}`,
      "~parley:*",
      "+@all",
    ],
    () => answersOverTls(port, caPem),
    `TLS redis-server on port ${port}`,
  );

  return {
    port,
    caPem,
    caFile: file("ca.crt"),
    username,
    password,
    url: (credentials = { username, password }) =>
      `rediss://${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`,
    async stop() {
      if (!hasExited(child)) {
        child.kill("SIGKILL");
        await exited(child);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TLS handshake and any reply to PING (NOAUTH is one: the server is up). */
function answersOverTls(port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ port, host: "127.0.0.1", ca, servername: "localhost" });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("secureConnect", () => socket.write("PING\r\n"));
    socket.once("data", () => finish(true));
  });
}
