/**
 * Makes provider-supplied text (an error body's message) safe to show a user: providers
 * echo partial API keys and documentation links in their errors, and a multi-line body
 * may be a stack trace. We keep one short line with those removed.
 */
const MAX_PUBLIC_CHARS = 200;

export function sanitiseProviderText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("[redacted]");
  }
  out = out
    // Any URL, including ones with credentials in them.
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[link removed]")
    // OpenAI-style keys ("sk-...", "sk-proj-...", masked "sk-abc***xyz").
    .replace(/\b(?:sk|pk|rk)-[A-Za-z0-9*_\-.]+/g, "[redacted]")
    // Long opaque tokens (other vendors' keys, bearer tokens, hashes).
    .replace(/[A-Za-z0-9_\-*]{32,}/g, "[redacted]")
    // One line only: a stack trace or HTML page collapses into something short.
    .replace(/\s+/g, " ")
    .trim();
  if (out.length > MAX_PUBLIC_CHARS) out = `${out.slice(0, MAX_PUBLIC_CHARS - 1).trimEnd()}…`;
  return out;
}
