import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { settleUnreadBody } from "./settle-unread-body";
import { sendFetchResponse, toFetchRequest } from "./remix-adapter";

/**
 * A server shaped like Parley's: the body goes to a Fetch Request as a stream, and the
 * handler answers without reading it (as an action refusing a form by its declared length).
 */
function refusingServer(options: { settle: boolean; maxBytes?: number }) {
  const server = http.createServer(async (req, res) => {
    const request = toFetchRequest(req, res, { url: new URL("http://localhost/"), requestId: "test" });
    const response =
      request.method === "POST" ? new Response("too large", { status: 413 }) : new Response("ok");
    if (options.settle) settleUnreadBody(req, res, options.maxBytes);
    await sendFetchResponse(res, { response });
  });
  return new Promise<{ server: http.Server; port: number }>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

interface Answer {
  status: number;
  body: string;
  socket: unknown;
}

function send(port: number, agent: http.Agent, method: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: "/",
        agent,
        headers: body ? { "Content-Length": body.length } : {},
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: text, socket: request.socket }),
        );
      },
    );
    request.setTimeout(3_000, () => request.destroy(new Error(`${method} got no answer within 3 s`)));
    request.on("error", reject);
    request.end(body);
  });
}

const servers: http.Server[] = [];
const agents: http.Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function setUp(options: { settle: boolean; maxBytes?: number }) {
  const { server, port } = await refusingServer(options);
  servers.push(server);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return { port, agent };
}

describe("settleUnreadBody", () => {
  const twoMegabytes = Buffer.alloc(2 * 1024 * 1024, "x");

  it("keeps the connection usable after a response that left its body unread", async () => {
    const { port, agent } = await setUp({ settle: true });
    const refused = await send(port, agent, "POST", twoMegabytes);
    expect(refused).toMatchObject({ status: 413, body: "too large" });
    const next = await send(port, agent, "GET");
    expect(next).toMatchObject({ status: 200, body: "ok" });
    expect(next.socket, "the same keep-alive connection").toBe(refused.socket);
  });

  it("says Connection: close when the rest is over the limit, and the next request gets a new connection", async () => {
    const { port, agent } = await setUp({ settle: true, maxBytes: 64 * 1024 });
    // The upload may be cut short by the close: either the 413 or a reset is a fair outcome.
    const refused = await send(port, agent, "POST", twoMegabytes).catch(() => null);
    if (refused) expect(refused.status).toBe(413);
    const next = await send(port, agent, "GET");
    expect(next).toMatchObject({ status: 200, body: "ok" });
    if (refused) expect(next.socket).not.toBe(refused.socket);
  });

  it("is needed: without it the next request on the connection is never answered", async () => {
    const { port, agent } = await setUp({ settle: false });
    expect((await send(port, agent, "POST", twoMegabytes)).status).toBe(413);
    await expect(send(port, agent, "GET")).rejects.toThrow(/no answer/);
  });
});
