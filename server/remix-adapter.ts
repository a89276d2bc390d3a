import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createReadableStreamFromReadable,
  writeReadableStreamToWritable,
  type AppLoadContext,
} from "@remix-run/node";
import type { PreparedResponse } from "./gzip-response";

/**
 * A Fetch Request for Remix from a node:http request, at the URL the front door built (never
 * from the raw Host and target); aborted if the client goes away first.
 *
 * The Origin header stays behind: the front door has checked it, and Remix's own check
 * (throwIfPotentialCSRFAttack in @remix-run/server-runtime, run before any action) compares
 * it with Host or X-Forwarded-Host as they arrive, so behind a proxy that rewrites Host it
 * refused every form, and any mismatch or unparsable Origin became a 500.
 */
export function toFetchRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { url, requestId }: { url: URL; requestId: string },
): Request {
  const headers = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2) {
    if (req.rawHeaders[index].toLowerCase() === "origin") continue;
    headers.append(req.rawHeaders[index], req.rawHeaders[index + 1]);
  }
  headers.set("x-request-id", requestId);
  const controller = new AbortController();
  let finished = false;
  res.on("finish", () => {
    finished = true;
  });
  res.on("close", () => {
    if (!finished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url, init);
}

/**
 * Writes a Fetch Response to a node:http response, keeping every Set-Cookie header apart. A
 * collected body (server/gzip-response.ts) goes out in one write, with its own headers.
 */
export async function sendFetchResponse(
  res: ServerResponse,
  { response, collected }: PreparedResponse,
): Promise<void> {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  const headers = collected?.headers ?? response.headers;
  for (const [key, value] of headers) {
    if (key.toLowerCase() !== "set-cookie") res.setHeader(key, value);
  }
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (collected) res.end(collected.body);
  else if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * Remix's load context for a request: the connection's address, for per-address limits
 * (app/lib/client-address.server.ts decides whether a proxy's X-Forwarded-For is believed).
 */
export function loadContextFor(req: IncomingMessage): AppLoadContext {
  return { clientAddress: req.socket.remoteAddress };
}
