import { z } from "zod";

/**
 * Keyset cursors travel in URLs ("Load more", "Show earlier") as opaque base64url text:
 * a timestamp and an id. A tampered or stale cursor fails to parse and becomes a 400.
 */
const cursorSchema = z.tuple([z.iso.datetime(), z.uuid().toLowerCase()]);

export function encodeCursor(at: Date, id: string): string {
  return toBase64Url(JSON.stringify([at.toISOString(), id]));
}

export function decodeCursor(text: string): { at: Date; id: string } | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(fromBase64Url(text)));
    return parsed.success ? { at: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

function toBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  return atob(text.replace(/-/g, "+").replace(/_/g, "/"));
}
