/**
 * The design Parley replaces: one held text/event-stream connection per tab, a heartbeat
 * every 15 s on each, and a push to every connection when something changes. Plain Node,
 * minimal: the cookie is verified once per connection, the push is an in-process broadcast
 * (a multi-instance deployment would add a Redis subscription per instance, not counted here).
 *
 * Each connection's heartbeat starts at a random point of the first 15 s, as it would when
 * tabs connect at different times; so any measuring window sees an even heartbeat load.
 *
 * GET /events (SSE) · POST /publish (body = event data, pushed to every tab) · GET /healthz
 * Env: PORT, HOST (default 127.0.0.1), SESSION_SECRET (optional), HEARTBEAT_MS (15000).
 */
import { createServer, type ServerResponse } from "node:http";
import { readSignedCookie } from "#bench/lib/signed-cookie";

const secret = process.env.SESSION_SECRET;
const heartbeatMs = Number(process.env.HEARTBEAT_MS ?? 15_000);
const tabs = new Set<ServerResponse>();
let sequence = 0;

const server = createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?")[0];
  if (pathname === "/healthz") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ok: true, tabs: tabs.size }));
    return;
  }
  if (pathname === "/events" && req.method === "GET") {
    if (secret && !readSignedCookie(req.headers.cookie, "parley_session", secret)?.u) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: 2000\n: connected ${sequence}\n\n`);
    tabs.add(res);
    let interval: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      res.write(": heartbeat\n\n");
      interval = setInterval(() => res.write(": heartbeat\n\n"), heartbeatMs);
    }, Math.random() * heartbeatMs);
    req.socket.setNoDelay(true);
    res.on("close", () => {
      clearTimeout(first);
      clearInterval(interval);
      tabs.delete(res);
    });
    return;
  }
  if (pathname === "/publish" && req.method === "POST") {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      sequence += 1;
      const data = Buffer.concat(chunks).toString("utf8").replace(/\n/g, " ");
      const event = `id: ${sequence}\nevent: message\ndata: ${data}\n\n`;
      for (const tab of tabs) tab.write(event);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ sequence, tabs: tabs.size }));
    });
    return;
  }
  res.writeHead(404).end();
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3200), process.env.HOST ?? "127.0.0.1");
const stop = () => {
  for (const tab of tabs) tab.end();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
