/**
 * Parley's keyboard shortcuts as plain data and two pure functions, so the rules can be
 * tested without a browser: which element is one the person is typing in, and which
 * shortcut (if any) a key press means. app/hooks/useShortcuts.ts acts on the answer.
 *
 * A shortcut never takes a key that would change the text being typed: bare keys (`?`, `/`)
 * only count outside text fields, and the ones that work while typing (Ctrl/⌘+K,
 * Ctrl/⌘+Shift+O, Esc, Shift+Esc) type nothing in a field anyway.
 */
/** The search page's field, which Ctrl/⌘+K focuses. */
export const SEARCH_FIELD_ID = "search-field";

export type Shortcut = "new-chat" | "search" | "focus-composer" | "stop-reply" | "help";

/** For the help dialog: each shortcut's keys (`mod` is Ctrl, or ⌘ on a Mac) and what it does. */
export const SHORTCUT_HELP: ReadonlyArray<{ shortcut: Shortcut; keys: string[][]; does: string }> = [
  { shortcut: "search", keys: [["mod", "K"], ["/"]], does: "Search your chats" },
  { shortcut: "new-chat", keys: [["mod", "Shift", "O"]], does: "Start a new chat" },
  { shortcut: "focus-composer", keys: [["Shift", "Esc"]], does: "Go to the message box" },
  { shortcut: "stop-reply", keys: [["Esc"]], does: "Stop the reply being written" },
  { shortcut: "help", keys: [["?"]], does: "Show these shortcuts" },
];

/** What the functions read of a KeyboardEvent (a plain object in tests). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
  target: unknown;
}

/** Input types whose value a typed character changes. */
const TEXT_INPUT_TYPES = new Set([
  "text",
  "search",
  "email",
  "url",
  "tel",
  "password",
  "number",
  "date",
  "datetime-local",
  "month",
  "time",
  "week",
]);

interface ElementLike {
  tagName?: string;
  type?: string;
  readOnly?: boolean;
  isContentEditable?: boolean;
}

/** True when a typed character would change the text of `target` (a field, or editable content). */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== "object") return false;
  const element = target as ElementLike;
  if (element.isContentEditable) return true;
  switch (element.tagName?.toUpperCase()) {
    case "TEXTAREA":
      return !element.readOnly;
    case "SELECT":
      return true;
    case "INPUT":
      return TEXT_INPUT_TYPES.has((element.type || "text").toLowerCase()) && !element.readOnly;
    default:
      return false;
  }
}

/** The shortcut a key press means, or null. `mac`: ⌘ is the modifier (on a Mac, Ctrl+K edits text). */
export function shortcutFor(press: KeyPress, mac: boolean): Shortcut | null {
  if (press.isComposing) return null;
  const mod = mac ? press.metaKey : press.ctrlKey;
  const otherMod = mac ? press.ctrlKey : press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (mod && !otherMod && !press.altKey) {
    if (key === "k" && !press.shiftKey) return "search";
    if (key === "o" && press.shiftKey) return "new-chat";
    return null;
  }
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (key === "Escape") return press.shiftKey ? "focus-composer" : "stop-reply";
  if (isTypingTarget(press.target)) return null;
  if (key === "?") return "help";
  if (key === "/" && !press.shiftKey) return "search";
  return null;
}
