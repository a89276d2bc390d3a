import type { LoaderFunctionArgs } from "@remix-run/node";
import { BadCursorError, sidebarPage } from "#app/services/chats.server";
import { getUserId } from "#app/services/visitor.server";
import { canonicalId } from "#db/ids";
import { readyRuntime } from "#app/services/runtime.server";

/** A page of the sidebar as JSON, for "Load more" with JavaScript (the link itself works without). */
export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  const params = new URL(request.url).searchParams;
  const cursor = params.get("cursor");
  const projectId = params.get("project");
  try {
    const page = await sidebarPage(runtime, userId, {
      cursor,
      projectId: canonicalId(projectId) ?? undefined,
    });
    return Response.json(
      { chats: page.chats, nextCursor: page.nextCursor },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof BadCursorError) return Response.json({ error: "Invalid cursor." }, { status: 400 });
    throw error;
  }
}
