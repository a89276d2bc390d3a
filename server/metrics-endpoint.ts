import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { hasOperatorToken } from "#app/lib/operator-auth.server";
import { renderMetrics } from "#app/services/runtime-metrics.server";
import { readyRuntime } from "#app/services/runtime.server";

export const METRICS_PATH = "/metrics";

/**
 * `/metrics` on Parley's own port, for Prometheus, behind `Authorization: Bearer
 * <OPERATOR_TOKEN>`. Resolves false when the request is not for it, or when no operator token
 * is set (then the path is Remix's 404 like any unknown page).
 */
export async function answerMetricsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  operatorToken: string | undefined,
): Promise<boolean> {
  if (!operatorToken || req.method !== "GET" || pathOf(req.url) !== METRICS_PATH) return false;
  const authorization = req.headers.authorization;
  const request = new Request("http://metrics.invalid/", {
    headers: authorization ? { Authorization: authorization } : {},
  });
  if (!hasOperatorToken(request, operatorToken)) {
    res.writeHead(401, {
      "Content-Type": "text/plain; charset=utf-8",
      "WWW-Authenticate": "Bearer",
      "Cache-Control": "no-store",
    });
    res.end("Send the operator token as Authorization: Bearer <OPERATOR_TOKEN>.");
    return true;
  }
  await sendMetrics(res);
  return true;
}

/**
 * A listener of its own for METRICS_PORT: `/metrics` without a token, for a scraper on a
 * private network, and nothing else. Bind it where only the scraper reaches (METRICS_HOST).
 */
export function createMetricsServer(): Server {
  return createServer((req, res) => {
    if (req.method !== "GET" || pathOf(req.url) !== METRICS_PATH) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Not found: this port serves /metrics only.");
      return;
    }
    sendMetrics(res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Metrics are unavailable.");
    });
  });
}

async function sendMetrics(res: ServerResponse): Promise<void> {
  const { contentType, body } = await renderMetrics(await readyRuntime());
  res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "no-store" });
  res.end(body);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const queryStart = raw.indexOf("?");
  return queryStart === -1 ? raw : raw.slice(0, queryStart);
}
