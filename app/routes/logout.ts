import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "#app/lib/http.server";
import { signOut } from "#app/services/auth.server";
import { readyRuntime } from "#app/services/runtime.server";

/** Signing out is a POST (a link could be followed by anything); a GET just goes home. */
export function loader() {
  return redirect("/chats");
}

export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  await readForm(request);
  const setCookie = await signOut(runtime, request);
  return redirect(runtime.config.GUESTS === "on" ? "/chats" : "/login", {
    headers: { "Set-Cookie": setCookie },
  });
}
