import { z } from "zod";

import { messageContentProblem, TITLE_INPUT_MAX_CHARS } from "./message-rules";

/**
 * The forms' schemas, used by the actions (the final say). Browser code imports the plain
 * rules from message-rules.ts instead, so zod stays out of the page bundle. Limits that come
 * from configuration are parameters.
 */

/**
 * Why Postgres would refuse this text, or null. A `text` column cannot hold U+0000 (the insert
 * fails: a 500, after a guest may already have been created), and a lone UTF-16 surrogate is
 * not Unicode at all (node-postgres would silently store U+FFFD instead). Form bodies decode
 * to well-formed strings, so the second is a guard for text that reaches here another way.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unstorableTextProblem(value: string): string | null {
  if (value.includes("\u0000")) return "Remove the NUL character (U+0000): it cannot be stored.";
  if (LONE_SURROGATE.test(value))
    return "Remove the broken character (a lone UTF-16 surrogate): it cannot be stored.";
  return null;
}

/** A text field whose value Postgres can store; chain `.trim()`, `.min()`, `.max()` as usual. */
export function storableText(params?: { error: string }) {
  return z.string(params).superRefine((value, context) => {
    const problem = unstorableTextProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
}

/** A client id is an idempotency key made by the browser (or rendered into the no-JS form). */
export const clientIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "Invalid client id");

export function messageContentSchema(maxChars: number) {
  return storableText({ error: "Write a message first." }).superRefine((value, context) => {
    const problem = messageContentProblem(value, maxChars);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
}

export function sendMessageSchema(maxChars: number) {
  return z.object({
    intent: z.literal("send"),
    content: messageContentSchema(maxChars),
    clientId: clientIdSchema,
  });
}

export const renameChatSchema = z.object({
  intent: z.literal("rename"),
  title: storableText({ error: "Give the chat a name." })
    .trim()
    .min(1, "Give the chat a name.")
    .max(TITLE_INPUT_MAX_CHARS, `Names can be at most ${TITLE_INPUT_MAX_CHARS} characters.`),
});

/**
 * Where to go after an action: only a path on this site, never another origin (`//host`,
 * `/\\host`), with no whitespace or control characters. Anything else non-ASCII is fine here:
 * `done()` percent-encodes it for the Location header.
 */
export const localPathSchema = z
  .string()
  .regex(/^\/(?![/\\])[^\s\\\p{Cc}]*$/u, "Invalid path")
  .optional();

export const deleteChatSchema = z.object({
  intent: z.literal("delete"),
  redirectTo: localPathSchema,
});

/** Moves a chat between the sidebar, its pinned group and the archive. */
export const placeChatSchema = z.object({
  intent: z.enum(["pin", "unpin", "archive", "restore"]),
  redirectTo: localPathSchema,
});

/** The archive view's bulk actions; each acts on the visitor's own chats only (there is no id to send). */
export const bulkChatsSchema = z.object({
  intent: z.enum(["archive-all", "delete-all"], { error: "Unknown action." }),
});

export type FieldErrors = Partial<Record<string, string>>;

/** The first message for each field, the shape the forms display. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const result: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    result[field] ??= issue.message;
  }
  return result;
}
