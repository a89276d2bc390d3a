import { z } from "zod";
import { storableText } from "./forms";

/**
 * The search page's query string (`/search?q=…&after=…`), checked at the boundary. Any text
 * is a valid query (Postgres' websearch parser reads operators as separators), so only its
 * length and storability are refused; a tampered `after` cursor is refused too.
 */
export const SEARCH_QUERY_MAX_CHARS = 500;

const cursorSchema = z.tuple([z.string().regex(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i), z.uuid().toLowerCase()]);

export const searchParamsSchema = z.object({
  q: storableText()
    .max(SEARCH_QUERY_MAX_CHARS, `Search for at most ${SEARCH_QUERY_MAX_CHARS} characters.`)
    .transform((value) => value.trim())
    .default(""),
  after: z
    .string()
    .transform((text, context) => {
      const cursor = decodeSearchCursor(text);
      if (!cursor) context.addIssue({ code: "custom", message: "That page of results does not exist." });
      return cursor ?? z.NEVER;
    })
    .optional(),
});

/** Where the next page of results starts: the last result's rank and id, as opaque base64url text. */
export function encodeSearchCursor(cursor: { rank: string; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.rank, cursor.id])).toString("base64url");
}

function decodeSearchCursor(text: string): { rank: string; id: string } | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString()));
    return parsed.success ? { rank: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
