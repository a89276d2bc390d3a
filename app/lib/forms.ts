import { z } from "zod";

import { messageContentProblem, TITLE_INPUT_MAX_CHARS } from "./message-rules";

/**
 * The forms' schemas, used by the actions (the final say). Browser code imports the plain
 * rules from message-rules.ts instead, so zod stays out of the page bundle. Limits that come
 * from configuration are parameters.
 */

/** A client id is an idempotency key made by the browser (or rendered into the no-JS form). */
export const clientIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "Invalid client id");

export function messageContentSchema(maxChars: number) {
  return z.string({ error: "Write a message first." }).superRefine((value, context) => {
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
  title: z
    .string({ error: "Give the chat a name." })
    .trim()
    .min(1, "Give the chat a name.")
    .max(TITLE_INPUT_MAX_CHARS, `Names can be at most ${TITLE_INPUT_MAX_CHARS} characters.`),
});

/** Where to go after deleting: only a path on this site, never another origin. */
export const localPathSchema = z
  .string()
  .regex(/^\/(?!\/)[^\s\\]*$/, "Invalid path")
  .optional();

export const deleteChatSchema = z.object({
  intent: z.literal("delete"),
  redirectTo: localPathSchema,
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
