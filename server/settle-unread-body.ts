import type { IncomingMessage, ServerResponse } from "node:http";

/** Beyond this much unread body, closing the connection is cheaper than reading it. */
export const DISCARD_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Call just before a response is written: makes sure whatever the handler left unread of the
 * request's body does not wedge the keep-alive connection.
 *
 * Node discards an unread body by itself only when nobody started reading it. A body handed
 * to Remix as a stream has been started (the stream adapter listens for data) even when the
 * action then refused it unread (a 404 before the form was read, a 413 on its declared
 * length): the adapter stops pulling, the socket stays paused mid-body, and the browser's next
 * request on that connection would wait forever. So once the response is out, the rest is
 * read and thrown away; when more than `maxBytes` is left (or the length is unknown) the
 * response says `Connection: close` instead, so the client opens a new connection.
 */
export function settleUnreadBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes = DISCARD_MAX_BYTES,
): void {
  if (req.complete || req.method === "GET" || req.method === "HEAD") return;
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (!(declared <= maxBytes)) {
    res.setHeader("Connection", "close"); // node closes the socket once the response is sent
    return;
  }
  res.once("finish", () => {
    if (req.complete || req.destroyed) return;
    // Detach the stream adapter: its consumer is gone, and what follows is not for it.
    req.removeAllListeners("data");
    req.on("data", () => {});
    req.resume();
  });
}
