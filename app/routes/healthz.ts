import { checkHealth } from "#app/services/health.server";

/**
 * Health for load balancers and compose: 200 while Postgres answers, 503 when it does not.
 * Anyone may ask, so it says only that: the cache counters are at /healthz/details.
 */
export async function loader() {
  const { status, body } = await checkHealth();
  return Response.json(
    { db: body.db, cache: body.cache },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}
