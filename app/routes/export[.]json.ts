import type { LoaderFunctionArgs } from "@remix-run/node";
import { readyRuntime } from "#app/services/runtime.server";
import { downloadResponse } from "#app/services/transfer/download.server";
import { fullExport } from "#app/services/transfer/export.server";
import { getUserId } from "#app/services/visitor.server";

/** GET /export.json: every chat (with its messages) and project of the visitor, streamed as one Parley JSON document. */
export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  const day = new Date().toISOString().slice(0, 10);
  return downloadResponse(fullExport(runtime, userId), {
    contentType: "application/json; charset=utf-8",
    fileName: `parley-export-${day}.json`,
    displayName: `parley-export-${day}.json`,
  });
}
