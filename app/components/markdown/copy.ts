/** How long the button says "Copied" after a successful copy. */
export const COPIED_RESET_MS = 2000;

/**
 * Write `text` to the clipboard. Resolves `true` on success and `false` when the
 * async clipboard API is missing (old browsers, insecure `http:` origins) or
 * refuses (permission denied, document not focused). Never throws.
 */
export async function copyToClipboard(text: string): Promise<boolean> {
  const clipboard = typeof navigator === "undefined" ? undefined : navigator.clipboard;
  if (!clipboard || typeof clipboard.writeText !== "function") return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
