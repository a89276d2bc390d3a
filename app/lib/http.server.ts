import { data, redirect, type HeadersFunction } from "@remix-run/node";
import type { z } from "zod";
import { isDatabaseUnavailable } from "#db/database-unavailable";
import type { ActionFailure, ActionSuccess } from "./action-result";
import { crossSiteRefusal } from "./cross-site.server";
import { fieldErrors, type FieldErrors } from "./forms";

/** Forms here are a few fields; a message form grows with the message limit (see formLimitFor). */
export const FORM_MAX_BYTES = 1024 * 1024;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * The byte budget of a form carrying one message of up to `maxChars` characters: each
 * character may take 4 bytes of UTF-8, each byte 3 when URL-encoded, plus room for the rest.
 */
export function formLimitFor(maxChars: number): number {
  return Math.max(FORM_MAX_BYTES, maxChars * 12 + 64 * 1024);
}

/** Throws the 403 a form from another site gets (see cross-site.server.ts); every form reader asks. */
export function refuseCrossSite(request: Request): void {
  const site = crossSiteRefusal(
    {
      method: request.method,
      origin: request.headers.get("Origin"),
      secFetchSite: request.headers.get("Sec-Fetch-Site"),
    },
    new URL(request.url),
    { exact: false },
  );
  if (site) throw new Response(site.reason, { status: site.status });
}

/**
 * The submitted form of an action, or a thrown 4xx that says what was wrong: only POST (405),
 * only from Parley's own pages (403, see cross-site.server.ts), only the two encodings
 * browsers use for forms (415), a declared length (411) of at most `maxBytes` (413), and a
 * body that parses (400).
 * Without this, a JSON body or a DELETE reached `request.formData()` and became a 500.
 */
export async function readForm(request: Request, maxBytes = FORM_MAX_BYTES): Promise<FormData> {
  if (request.method !== "POST") {
    throw new Response("This address only takes forms sent with POST.", {
      status: 405,
      headers: { Allow: "POST" },
    });
  }
  refuseCrossSite(request);
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) {
    throw new Response("Send this form as application/x-www-form-urlencoded or multipart/form-data.", {
      status: 415,
    });
  }
  const declared = request.headers.get("Content-Length");
  // Browsers always declare a form's length; a body without one could be any size.
  if (declared === null) throw new Response("Send this form with a Content-Length header.", { status: 411 });
  if (!(Number(declared) <= maxBytes)) throw new Response("This form is too large.", { status: 413 });
  try {
    return await request.formData();
  } catch {
    throw new Response("This form could not be read.", { status: 400 });
  }
}

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

/**
 * Runs what a script submitted; if the database does not answer, the refusal comes back as the
 * action's data (503, Retry-After, the reason on `field`) instead of the route's error page,
 * so the page stays and the composer gives the typed text back to send again, with its client
 * id (a write whose outcome is unknown is then stored once). A plain form post still gets the
 * 503 page: the browser keeps what was typed when one goes back.
 */
export async function outageAsRefusal<T>(
  form: FormData,
  field: string | undefined,
  write: () => Promise<T>,
): Promise<T | ReturnType<typeof data<ActionFailure>>> {
  try {
    return await write();
  } catch (error) {
    if (!isDatabaseUnavailable(error) || !submittedByScript(form)) throw error;
    const refusal: ActionFailure = { ok: false, error: error.data, unavailable: true };
    if (field) refusal.fieldErrors = { [field]: error.data };
    return data(refusal, error.init);
  }
}

export function notFound(what = "Not found"): never {
  throw new Response(what, { status: 404, statusText: "Not Found" });
}

export function parseForm<T extends z.ZodType>(
  schema: T,
  form: FormData,
): { success: true; data: z.infer<T> } | { success: false; response: ReturnType<typeof failure> } {
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (parsed.success) return { success: true, data: parsed.data };
  const fields = fieldErrors(parsed.error);
  const first = Object.values(fields)[0] ?? "Invalid input.";
  return { success: false, response: failure(400, first, fields) };
}

/** A success: data for a script, a redirect for a plain form post. */
export function done(form: FormData, location: string, headers?: HeadersInit) {
  if (submittedByScript(form)) return data<ActionSuccess>({ ok: true }, { headers });
  return redirect(asLocationHeader(location), { headers });
}

/**
 * A local path as a Location header can carry it: header values are Latin-1 and may hold no
 * control character, so everything outside visible ASCII is percent-encoded as UTF-8 (what is
 * already percent-encoded stays as it is). `done()` runs after the change was made: building
 * the header must not be able to fail there.
 */
export function asLocationHeader(path: string): string {
  return path.replace(/[^\x21-\x7e]+/g, (run) =>
    Array.from(
      new TextEncoder().encode(run),
      (byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    ).join(""),
  );
}

export function withCookie(setCookie: string | undefined): HeadersInit | undefined {
  return setCookie ? { "Set-Cookie": setCookie } : undefined;
}

/** A write refused by a limit: 429 with Retry-After, and the reason (shown next to `field`, if given). */
export function tooManyRequests(refusal: { message: string; retryAfterSeconds: number }, field?: string) {
  return failure(429, refusal.message, field ? { [field]: refusal.message } : undefined, {
    "Retry-After": String(refusal.retryAfterSeconds),
  });
}

/**
 * A route's `headers`, for routes whose actions can answer 429: Remix drops an action's
 * headers (other than Set-Cookie) from the response unless the route passes them on.
 */
export const headersWithRetryAfter: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
