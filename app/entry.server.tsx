import { PassThrough } from "node:stream";
import type {
  ActionFunctionArgs,
  EntryContext,
  HandleErrorFunction,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { log } from "#app/lib/logger.server";
import { requestIdOf } from "#app/lib/request-id.server";
import { startInterruptedReplySweeper } from "#app/services/assistant/assistant.server";
import { closeRuntimeOnSignalsUnlessOwnServer, readyRuntime } from "#app/services/runtime.server";
import { firstVisitCookie, hasSessionCookie } from "#app/services/visitor.server";

// Under any server (Parley's own or remix-serve), replies whose generator died are found and
// marked interrupted.
void Promise.resolve(readyRuntime()).then(startInterruptedReplySweeper, () => undefined);
closeRuntimeOnSignalsUnlessOwnServer();

const ABORT_DELAY_MS = 5_000;

/**
 * Renders the whole document before sending it (Parley's loaders defer nothing, so waiting
 * for everything costs nothing and keeps the status code honest). A first visit gets its
 * session cookie here.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const runtime = await readyRuntime();
  if (!responseHeaders.has("Set-Cookie") && !(await hasSessionCookie(runtime, request))) {
    responseHeaders.append("Set-Cookie", await firstVisitCookie(runtime));
  }
  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} />,
      {
        onAllReady() {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError: reject,
        onError(error) {
          responseStatusCode = 500;
          log.error("render failed", { requestId: requestIdOf(request), error: describe(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS);
  });
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
