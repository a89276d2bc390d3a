export const TITLE_MAX_CHARS = 60;

/**
 * A chat's first title, from its first message: one line of plain words, at most 60
 * characters, cut on a word boundary (with an ellipsis) rather than mid-word.
 */
export function deriveTitle(message: string, maxChars = TITLE_MAX_CHARS): string {
  const plain = message
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/[`*_#>~[\]]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (plain === "") return "New chat";
  if (plain.length <= maxChars) return plain;
  const room = plain.slice(0, maxChars - 1);
  const lastSpace = room.lastIndexOf(" ");
  const cut = lastSpace >= maxChars / 3 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s.,;:!?-]+$/, "")}…`;
}
