import type { SyncState } from "./sync-state";

/**
 * The messages the tabs of one browser exchange over the BroadcastChannel (sync-tabs.ts), and
 * their check. Checked by hand, not with zod: this runs in the browser, where zod would add
 * ~100 kB to every page and its eval probe would trip the page's CSP.
 */
export type SyncTabMessage =
  | { type: "interest"; tab: string; chatId?: string; lastActivity: number }
  | { type: "bye"; tab: string }
  | { type: "hello" }
  | { type: "check" }
  | { type: "state"; chatId?: string; sync: Pick<SyncState, "list" | "chat"> };

const MAX_ID = 64;

const isId = (value: unknown): value is string => typeof value === "string" && value.length <= MAX_ID;
const isOptionalId = (value: unknown): value is string | undefined => value === undefined || isId(value);
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** The message `data` holds, or null for anything else (another version of the app, a stray post). */
export function parseSyncTabMessage(data: unknown): SyncTabMessage | null {
  if (typeof data !== "object" || data === null) return null;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case "interest":
      return isId(message.tab) && isOptionalId(message.chatId) && isNumber(message.lastActivity)
        ? { type: "interest", tab: message.tab, chatId: message.chatId, lastActivity: message.lastActivity }
        : null;
    case "bye":
      return isId(message.tab) ? { type: "bye", tab: message.tab } : null;
    case "hello":
    case "check":
      return { type: message.type };
    case "state": {
      const sync = message.sync as Record<string, unknown> | null | undefined;
      if (!isOptionalId(message.chatId) || typeof sync !== "object" || sync === null) return null;
      const { list, chat } = sync;
      if (!isNumber(list) || !(chat === null || isNumber(chat))) return null;
      return { type: "state", chatId: message.chatId, sync: { list, chat } };
    }
    default:
      return null;
  }
}
