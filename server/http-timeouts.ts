import type { ServerOptions } from "node:http";

/**
 * How long Parley's server waits for slow clients, chosen rather than inherited (node's
 * defaults cut dribbled headers only after 60 s plus up to 30 s until the next check, about
 * 87 s here, and kept a dribbled body for 300 s: a few hundred such sockets tie up a process).
 *
 * - Headers: 10 s. A browser sends them in one packet; 10 s leaves room for a lossy mobile link.
 *   It also bounds a connection that never sends a byte.
 * - Whole request: 30 s. The largest form is 1 MB (a message form far less); 30 s carries it at
 *   35 kB/s.
 * - Keep-alive: KEEP_ALIVE_TIMEOUT_MS, 20 s by default (app/config.server.ts). It outlives the
 *   15 s poll of an idle tab as well as the 2 s poll of an active one, so every visible tab keeps
 *   its one connection: measured with 1,000 idle tabs (`npm run bench -- --quick --only=tabs
 *   --keep-alive-ms=…`, docs/decisions/0025), reconnecting for each 15 s poll cost about 1.4 to
 *   2 times the server CPU of the held-SSE baseline and holding the socket about 1.0 times, at
 *   no RSS difference the runs could see. A load balancer that keeps its own idle connections to
 *   Parley must close them sooner (or this be raised above its idle timeout), or it may reuse
 *   one just as Parley closes it. Node closes the socket a second after the announced
 *   `Keep-Alive: timeout=20`.
 * - Node looks for expired requests once a second (its default is every 30 s), so a slow client
 *   is cut within a second of its limit; the check walks only requests in progress.
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

export function httpServerOptions(keepAliveTimeoutMs: number): ServerOptions {
  return {
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  };
}
