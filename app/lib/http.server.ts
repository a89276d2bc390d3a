import { data, redirect } from "@remix-run/node";
import type { z } from "zod";
import type { ActionFailure, ActionSuccess } from "./action-result";
import { fieldErrors, type FieldErrors } from "./forms";


/**
 * The browser adds `via=fetcher` to forms it submits itself; without JavaScript the field is
 * absent and the action redirects, so a plain form post lands back on a page.
 */
export function submittedByScript(form: FormData): boolean {
  return form.get("via") === "fetcher";
}

export function failure(status: number, error: string, fields?: FieldErrors, headers?: HeadersInit) {
  return data<ActionFailure>({ ok: false, error, fieldErrors: fields }, { status, headers });
}

export function notFound(what = "Not found"): never {
  throw new Response(what, { status: 404, statusText: "Not Found" });
}

export function parseForm<T extends z.ZodType>(schema: T, form: FormData):
  | { success: true; data: z.infer<T> }
  | { success: false; response: ReturnType<typeof failure> } {
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (parsed.success) return { success: true, data: parsed.data };
  const fields = fieldErrors(parsed.error);
  const first = Object.values(fields)[0] ?? "Invalid input.";
  return { success: false, response: failure(400, first, fields) };
}

/** A success: data for a script, a redirect for a plain form post. */
export function done(form: FormData, location: string, headers?: HeadersInit) {
  if (submittedByScript(form)) return data<ActionSuccess>({ ok: true }, { headers });
  return redirect(location, { headers });
}

export function withCookie(setCookie: string | undefined): HeadersInit | undefined {
  return setCookie ? { "Set-Cookie": setCookie } : undefined;
}
