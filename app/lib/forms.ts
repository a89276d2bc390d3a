import { z } from "zod";

/**
 * The forms' schemas, shared by the actions (the final say) and the browser (instant hints).
 * Limits that come from configuration are parameters.
 */
export const DEFAULT_MESSAGE_MAX_CHARS = 16_000;
export const TITLE_INPUT_MAX_CHARS = 120;

/** A client id is an idempotency key made by the browser (or rendered into the no-JS form). */
export const clientIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "Invalid client id");

export function messageContentSchema(maxChars: number) {
  return z
    .string({ error: "Write a message first." })
    .refine((value) => value.trim().length > 0, "Write a message first.")
    .refine(
      (value) => value.length <= maxChars,
      `Messages can be at most ${maxChars.toLocaleString("en-US")} characters.`,
    );
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

/** A new client id in the browser or on the server. */
export function newClientId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}
