import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { createShutdown, type Shutdown } from "./graceful-shutdown";

/**
 * The drain on a real node:http server and raw sockets (so keep-alive is exactly what the test
 * says): `/slow` answers when the test releases it, anything else at once.
 */
describe("graceful shutdown", () => {
  let server: Server;
  let port: number;
  let shutdown: Shutdown;
  let releaseSlow: () => void;
  let slowArrived: Promise<void>;
  const events: string[] = [];
  let exited: Promise<number>;

  beforeEach(async () => {
    events.length = 0;
    let arrived: () => void = () => undefined;
    slowArrived = new Promise((resolve) => (arrived = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    releaseSlow = release;
    server = createServer({ keepAliveTimeout: 30_000 }, (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === "/slow") {
        arrived();
        void released.then(() => {
          events.push("slow answered");
          res.end("slow");
        });
        return;
      }
      res.end("quick");
    });
    let exit: (code: number) => void = () => undefined;
    exited = new Promise((resolve) => (exit = resolve));
    shutdown = createShutdown(server, {
      graceMs: 5_000,
      closeResources: async () => {
        events.push("resources closed");
      },
      finishBackgroundWork: async (withinMs) => {
        events.push(`background work given ${withinMs > 0 ? "time" : "none"}`);
      },
      log: () => undefined,
      exit: (code) => {
        events.push(`exit ${code}`);
        exit(code);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(() => {
    releaseSlow();
    server.closeAllConnections();
    server.close();
  });

  it("answers a request in flight on a kept-alive connection with Connection: close, then closes it", async () => {
    const client = await openSocket(port);
    client.write(request("/quick"));
    const first = await client.nextResponse();
    expect(first.headers.connection).toBe("keep-alive");

    client.write(request("/slow"));
    await slowArrived;
    void shutdown.begin("SIGTERM");
    releaseSlow();
    const second = await client.nextResponse();
    expect(second.status).toBe(200);
    expect(second.body).toBe("slow");
    expect(second.headers.connection).toBe("close");
    await client.closed;
    expect(await exited).toBe(0);
  });

  it("closes idle keep-alive connections at once, long before their keep-alive timeout", async () => {
    const client = await openSocket(port);
    client.write(request("/quick"));
    expect((await client.nextResponse()).headers.connection).toBe("keep-alive");
    const started = Date.now();
    void shutdown.begin("SIGTERM");
    await client.closed;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await exited).toBe(0);
  });

  it("refuses new connections while draining", async () => {
    const client = await openSocket(port);
    client.write(request("/slow"));
    await slowArrived;
    void shutdown.begin("SIGTERM");
    await expect(openSocket(port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    releaseSlow();
    await client.nextResponse();
  });

  it("exits only after the requests in flight have been answered, then background work, then resources", async () => {
    const client = await openSocket(port);
    client.write(request("/slow"));
    await slowArrived;
    let done = false;
    const finished = shutdown.begin("SIGTERM").then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    expect(events).toEqual([]);
    releaseSlow();
    const response = await client.nextResponse();
    expect(response.body).toBe("slow");
    await finished;
    expect(events).toEqual(["slow answered", "background work given time", "resources closed", "exit 0"]);
  });

  it("closes a request that outlives the grace period and exits anyway", async () => {
    server.close();
    await new Promise<void>((resolve) => server.once("close", () => resolve()));
    server = createServer(() => undefined); // never answers
    let exit: (code: number) => void = () => undefined;
    const exitedHere = new Promise<number>((resolve) => (exit = resolve));
    const short = createShutdown(server, {
      graceMs: 300,
      closeResources: async () => undefined,
      log: () => {},
      exit,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = await openSocket((server.address() as AddressInfo).port);
    client.write(request("/hangs"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    void short.begin("SIGTERM");
    await client.closed;
    expect(await exitedHere).toBe(0);
  });
});

function request(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface RawClient {
  write(data: string): void;
  /** The next whole response (Content-Length or chunked body). */
  nextResponse(): Promise<RawResponse>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
}

function openSocket(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let buffer = "";
    let waiting: (() => void) | undefined;
    const closed = new Promise<void>((resolveClosed) => socket.once("close", () => resolveClosed()));
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("latin1");
      waiting?.();
    });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => undefined);
      resolve({
        write: (data) => socket.write(data),
        closed,
        async nextResponse() {
          for (;;) {
            const parsed = parseResponse(buffer);
            if (parsed) {
              buffer = buffer.slice(parsed.length);
              return parsed.response;
            }
            await new Promise<void>((wake) => (waiting = wake));
          }
        },
      });
    });
  });
}

function parseResponse(buffer: string): { response: RawResponse; length: number } | null {
  const end = buffer.indexOf("\r\n\r\n");
  if (end === -1) return null;
  const [statusLine, ...lines] = buffer.slice(0, end).split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  let rest = buffer.slice(end + 4);
  let body = "";
  let length = end + 4;
  if (headers["transfer-encoding"] === "chunked") {
    for (;;) {
      const lineEnd = rest.indexOf("\r\n");
      if (lineEnd === -1) return null;
      const size = Number.parseInt(rest.slice(0, lineEnd), 16);
      if (rest.length < lineEnd + 2 + size + 2) return null;
      body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      length += lineEnd + 2 + size + 2;
      rest = rest.slice(lineEnd + 2 + size + 2);
      if (size === 0) break;
    }
  } else {
    const size = Number(headers["content-length"] ?? 0);
    if (rest.length < size) return null;
    body = rest.slice(0, size);
    length += size;
  }
  return { response: { status: Number(statusLine.split(" ")[1]), headers, body }, length };
}
