import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConfig } from "#app/config.server";
import { hasOperatorToken } from "#app/lib/operator-auth.server";
import { responseCacheStats } from "#app/lib/response-cache-stats.server";
import { checkHealth } from "#app/services/health.server";

/**
 * Health with this process's cache counters, for operators: `Authorization: Bearer
 * <OPERATOR_TOKEN>`. Without OPERATOR_TOKEN the page does not exist (404).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = getConfig().OPERATOR_TOKEN;
  if (!token) throw new Response("Not found", { status: 404 });
  if (!hasOperatorToken(request, token)) {
    return new Response("Send the operator token as Authorization: Bearer <OPERATOR_TOKEN>.", {
      status: 401,
      headers: { "WWW-Authenticate": "Bearer", "Cache-Control": "no-store" },
    });
  }
  const { status, body } = await checkHealth();
  // The response cache's counters, when this server has one (server/response-cache).
  return Response.json(
    { ...body, responseCache: responseCacheStats() },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}
