import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseSyncQuery, readSyncState } from "#app/services/sync.server";
import { readyRuntime } from "#app/services/runtime.server";

/**
 * The sync check as a resource route, for when Parley runs under another server such as
 * remix-serve. Parley's own server answers the same path before Remix (server/fast-paths.ts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const query = parseSyncQuery(new URL(request.url).searchParams);
  const state = await readSyncState(runtime, request.headers.get("Cookie"), query);
  return Response.json(state, { headers: { "Cache-Control": "no-store" } });
}
