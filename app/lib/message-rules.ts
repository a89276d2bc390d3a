/**
 * The rules a message and a chat name must follow, as plain functions so the browser can
 * check them without shipping a schema library; the actions' zod schemas (forms.ts) call
 * the same functions, so both always agree and the server keeps the final say.
 */
export const TITLE_INPUT_MAX_CHARS = 120;

/** Why `content` cannot be sent, or null when it can. */
export function messageContentProblem(content: string, maxChars: number): string | null {
  if (content.trim().length === 0) return "Write a message first.";
  if (content.length > maxChars)
    return `Messages can be at most ${maxChars.toLocaleString("en-US")} characters.`;
  return null;
}

/** A new client id (the idempotency key of one send), in the browser or on the server. */
export function newClientId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}
