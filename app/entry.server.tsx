import { Writable } from "node:stream";
import type {
  ActionFunctionArgs,
  AppLoadContext,
  EntryContext,
  HandleErrorFunction,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { getConfig } from "#app/config.server";
import { startDatabaseCleanup } from "#app/lib/database-cleanup.server";
import { log } from "#app/lib/logger.server";
import { NonceProvider } from "#app/lib/nonce";
import { perRequestValue } from "#app/lib/page-capture.server";
import { isPublicPageHandle } from "#app/lib/public-page";
import { requestIdOf } from "#app/lib/request-id.server";
import { baselineSecurityHeaders, documentPolicy } from "#app/lib/security-headers.server";
import { startInterruptedReplySweeper } from "#app/services/assistant/assistant.server";
import { closeRuntimeOnSignalsUnlessOwnServer, getRuntime, readyRuntime } from "#app/services/runtime.server";
import { firstVisitCookie, hasSessionCookie } from "#app/services/visitor.server";
import { RETRY_AFTER_SECONDS } from "#db/database-unavailable";

// Under any server (Parley's own or remix-serve), replies whose generator died are found and
// marked interrupted.
void Promise.resolve(readyRuntime()).then(startInterruptedReplySweeper, () => undefined);
startDatabaseCleanup(getRuntime()); // already running under Parley's own server (server/start.ts)
closeRuntimeOnSignalsUnlessOwnServer();

const ABORT_DELAY_MS = 5_000;

/**
 * Renders the whole document before sending it (Parley's loaders defer nothing, so waiting
 * for everything costs nothing and keeps the status code honest). A first visit gets its
 * session cookie here. Every document gets its own CSP nonce (a cached one too:
 * server/response-cache), and the security headers are
 * set here rather than only in server/, so they hold under remix-serve too.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const runtime = await readyRuntime();
  const publicPage = remixContext.staticHandlerContext.matches.some((match) =>
    isPublicPageHandle(remixContext.routeModules[match.route.id]?.handle),
  );
  if (!publicPage && !responseHeaders.has("Set-Cookie") && !(await hasSessionCookie(runtime, request))) {
    responseHeaders.append("Set-Cookie", await firstVisitCookie(runtime));
  }
  // Recorded when the page may be cached: each serve of a kept copy gets a nonce of its own.
  const nonce = perRequestValue(loadContext, "nonce");
  setSecurityHeaders(responseHeaders);
  responseHeaders.set("Content-Security-Policy", documentPolicy(publicPage ? null : nonce));
  withRetryAfter(responseStatusCode, responseHeaders);
  if (publicPage && isNotModified(request, responseStatusCode, responseHeaders)) {
    return new Response(null, { status: 304, headers: responseHeaders });
  }
  return new Promise<Response>((resolve, reject) => {
    // Only a render that never finishes is aborted: the timer goes as soon as it is ready.
    const timer = setTimeout(() => abort(), ABORT_DELAY_MS);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          clearTimeout(timer);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          // The whole document is ready: collected into one buffer, it reaches the server (and
          // its gzip) as one chunk rather than through a web stream of small ones.
          const chunks: Buffer[] = [];
          const body = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              resolve(
                new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }),
              );
              done();
            },
          });
          pipe(body);
        },
        onShellError(error) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          log.error("render failed", { requestId: requestIdOf(request), error: describe(error) });
        },
      },
    );
  });
}

/**
 * A public page the browser or a proxy holds already (its ETag matches): 304, no body. Only
 * public pages carry an ETag (their bytes are the same for everyone; others have a nonce).
 */
function isNotModified(request: Request, status: number, headers: Headers): boolean {
  const etag = headers.get("ETag");
  const asked = request.headers.get("If-None-Match");
  if (status !== 200 || !etag || !asked) return false;
  return asked.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/** Data requests (`.data`, single fetch) get the baseline headers too, and a 503 its Retry-After. */
export function handleDataRequest(response: Response): Response {
  setSecurityHeaders(response.headers);
  withRetryAfter(response.status, response.headers);
  return response;
}

function setSecurityHeaders(headers: Headers): void {
  for (const [name, value] of Object.entries(
    baselineSecurityHeaders(getConfig().NODE_ENV === "production"),
  )) {
    if (!headers.has(name)) headers.set(name, value);
  }
}

/**
 * A 503 is "Postgres is unavailable" (db/database-unavailable.ts): the error's own headers are
 * dropped by Remix for routes without a `headers` export, so Retry-After is added here.
 */
function withRetryAfter(status: number, headers: Headers): void {
  if (status === 503 && !headers.has("Retry-After")) headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
}

/** Unexpected errors are logged once, here, with the request id the page shows. */
export const handleError: HandleErrorFunction = (
  error,
  { request }: LoaderFunctionArgs | ActionFunctionArgs,
) => {
  // Aborted requests and expected responses (404s, 400s) are not failures of the server.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  log.error("request failed", {
    requestId: requestIdOf(request),
    url: new URL(request.url).pathname,
    error: describe(error),
  });
};

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
