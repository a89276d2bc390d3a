import { checkHealth } from "#app/services/health.server";

/** Health for load balancers and compose: 200 while Postgres answers, 503 when it does not. */
export async function loader() {
  const { status, body } = await checkHealth();
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
