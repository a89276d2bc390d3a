import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { randomBytes } from "node:crypto";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { baselineSecurityHeaders } from "#app/lib/security-headers.server";
import { isDatabaseUnavailable } from "#db/database-unavailable";
import { settleUnreadBody } from "./settle-unread-body";
import { answerFastPath } from "./fast-paths";
import { admitRequest } from "./front-door";
import { httpServerOptions } from "./http-timeouts";
import { sendRefusal } from "./refusal-page";
import { loadContextFor, sendFetchResponse, toFetchRequest } from "./remix-adapter";
import { createStaticFiles } from "./static-files";
import { gzipResponse } from "./gzip-response";
import { answerMetricsRequest, METRICS_PATH } from "./metrics-endpoint";
import { createRoutePatterns } from "./route-patterns";
import { getMetrics } from "#app/lib/metrics/metrics.server";
import { createResponseCache, sendCachedPage } from "./response-cache/response-cache";

export interface ParleyServerOptions {
  build: ServerBuild;
  publicDir: string;
  mode: string;
  /** NODE_ENV=production: adds HSTS. */
  production: boolean;
  /** ORIGIN: the public origin forms must come from and Remix sees; unset, the request's Host. */
  origin?: string;
  /** OPERATOR_TOKEN: when set, `/metrics` on this port answers to it (server/metrics-endpoint.ts). */
  operatorToken?: string;
  keepAliveTimeoutMs: number;
  /**
   * Sent as `X-Parley-Instance` on every response: which process answered, for an operator
   * (and the tests) looking at requests spread over several instances behind a proxy. A random
   * name per process start, so it tells nothing about the machine.
   */
  instanceId?: string;
  logError: (message: string, fields: Record<string, unknown>) => void;
  logInfo: (message: string, fields: Record<string, unknown>) => void;
  /** RESPONSE_CACHE_MAX_BYTES: rendered chat pages kept per process; 0 or unset, none. */
  responseCacheMaxBytes?: number;
  /** How long a kept page may be served at most (CACHE_TTL_SECONDS). */
  responseCacheTtlSeconds?: number;
  /** Per-request timing, at LOG_LEVEL=debug (off by default: it costs on every request). */
  logDebug?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Parley's production server: fast paths first (no middleware, no Remix), then the front
 * door (method, Host, target, origin), then built assets, then Remix's request handler for
 * every page, data request and action.
 */
export function createParleyServer(options: ParleyServerOptions): Server {
  const handleRemix = createRequestHandler(options.build, options.mode);
  const serveStatic = createStaticFiles(options.publicDir);
  const securityHeaders = Object.entries(baselineSecurityHeaders(options.production));
  const routePattern = createRoutePatterns(options.build.routes ?? {});
  const { requestDuration } = getMetrics();
  const responseCache = options.responseCacheMaxBytes
    ? createResponseCache({
        maxBytes: options.responseCacheMaxBytes,
        ttlSeconds: options.responseCacheTtlSeconds ?? 300,
      })
    : null;

  /** Answers one request; resolves to the route label its duration is recorded under. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<string> {
    if (options.instanceId) res.setHeader("X-Parley-Instance", options.instanceId);
    const fastPath = await answerFastPath(req, res);
    if (fastPath) return fastPath;
    if (await answerMetricsRequest(req, res, options.operatorToken)) return METRICS_PATH;
    // Every response from here on; a document's own CSP (entry.server.tsx) replaces the default.
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    const admission = admitRequest(req, options.origin);
    if ("refusal" in admission) {
      const { status, reason } = admission.refusal;
      if (status === 403) {
        // What an operator sees when a proxy hides the public host: set ORIGIN then.
        options.logInfo("refused a form from another origin", {
          method: req.method,
          url: req.url,
          origin: req.headers.origin,
          host: req.headers.host,
        });
      } else {
        options.logDebug?.("refused before Remix", { status, method: req.method, url: req.url, reason });
      }
      sendRefusal(req, res, admission.refusal);
      return "refused";
    }
    const started = performance.now();
    // A chat page of a signed-in visitor: served from the response cache, or rendered to be
    // kept. Before the static files: no file answers to a chat's path, and a hit needs no stat().
    const cached = responseCache ? await responseCache.lookUp(req, admission.url) : null;
    if (cached && "hit" in cached) {
      const requestId = sendCachedPage(req, res, cached.hit, "hit");
      options.logDebug?.("request", {
        requestId,
        method: req.method,
        url: req.url,
        status: 200,
        cache: "hit",
      });
      return routePattern(admission.url.pathname);
    }
    if (!cached && (await serveStatic(req, res, admission.url.pathname))) return "static";
    const context = loadContextFor(req);
    const render = cached && responseCache ? responseCache.startRender(cached.miss, context) : null;
    const requestId = render?.requestId ?? randomBytes(6).toString("base64url");
    const response = await handleRemix(toFetchRequest(req, res, { url: admission.url, requestId }), context);
    const handled = performance.now();
    settleUnreadBody(req, res);
    if (!(render && (await render.sendIfKept(req, res, response)))) {
      await sendFetchResponse(res, await gzipResponse(req, response));
    }
    options.logDebug?.("request", {
      requestId,
      method: req.method,
      url: req.url,
      status: response.status,
      handlerMs: Math.round(handled - started),
      totalMs: Math.round(performance.now() - started),
    });
    return routePattern(admission.url.pathname);
  }

  /** A failure no route answered; the fast paths run outside Remix, so a database outage is theirs to turn into a 503. */
  function answerFailure(req: IncomingMessage, res: ServerResponse, error: unknown) {
    // The guard in db/ has logged the outage already.
    if (isDatabaseUnavailable(error) && !res.headersSent) {
      res.writeHead(error.init.status, {
        "Content-Type": "text/plain; charset=utf-8",
        ...error.init.headers,
      });
      res.end(error.data);
      return;
    }
    options.logError("unhandled server error", {
      url: req.url,
      error: error instanceof Error ? error.stack : String(error),
    });
    if (!res.headersSent) {
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Internal error");
    } else {
      res.destroy();
    }
  }

  const server = createServer(httpServerOptions(options.keepAliveTimeoutMs), (req, res) => {
    const started = performance.now();
    const record = (route: string) =>
      requestDuration.observe(
        { route, method: methodLabel(req.method), status: res.statusCode },
        (performance.now() - started) / 1000,
      );
    handle(req, res).then(record, (error: unknown) => {
      answerFailure(req, res, error);
      record("failed");
    });
  });
  // Node hands CONNECT to a 'connect' listener and, with none, drops the connection unanswered:
  // Parley is no proxy, so it says so like any other method it does not serve.
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    const body = "Not accepted (405): Parley is not a proxy and does not answer CONNECT requests.";
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/** Methods Parley serves keep their name; anything else is one label, so a flood of made-up methods cannot add series. */
function methodLabel(method: string | undefined): string {
  return method === "GET" || method === "POST" || method === "HEAD" ? method : "other";
}
