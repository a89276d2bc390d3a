import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Verifies a Remix signed cookie with node:crypto directly (what a bare server would do):
 * the value is `base64(JSON)` + "." + base64(HMAC-SHA256(secret, value)) without padding,
 * URI-encoded in the Cookie header (the format of @remix-run/node's createCookie with secrets).
 * Returns the decoded object, or null when absent, unsigned or tampered with.
 */
export function readSignedCookie(
  cookieHeader: string | undefined,
  name: string,
  secret: string,
): Record<string, unknown> | null {
  if (!cookieHeader) return null;
  let raw: string | undefined;
  for (const part of cookieHeader.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) {
      raw = part.slice(at + 1).trim();
      break;
    }
  }
  if (!raw) return null;
  let signed: string;
  try {
    signed = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const expected = Buffer.from(
    createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, ""),
  );
  const given = Buffer.from(signed.slice(dot + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const json = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as unknown;
    return json && typeof json === "object" ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
