import type { SyncState } from "./sync-state";
import { parseSyncTabMessage, type SyncTabMessage as Message } from "./sync-tab-messages";

/**
 * One sync poll per browser, not per tab. The visible tabs of this origin elect a leader with
 * a Web Lock (held until the tab is hidden or closed, then handed to the next visible tab in
 * line); the leader polls for itself and for the chats the other visible tabs show, and shares
 * every answer over a BroadcastChannel. A hidden tab neither leads nor is polled for. Where a
 * browser has neither API, `joinSyncTabs` returns null and every visible tab polls for itself.
 */
const CHANNEL = "parley-sync";
const LOCK = "parley-sync-leader";
/** Followers repeat their interest this often; the leader forgets one not repeated for 3×. */
const INTEREST_EVERY_MS = 10_000;

export interface SyncTabsEvents {
  /** This tab now polls for every visible tab (true), or no longer does (false). */
  leadership(leading: boolean): void;
  /** An answer the leader got, for `chatId` (undefined: the chat list alone). */
  state(chatId: string | undefined, sync: Pick<SyncState, "list" | "chat">): void;
  /** Another tab wants a check now (it was shown, focused, back online or active again). */
  checkRequested(): void;
}

export interface SyncTabs {
  /** Visible tabs compete to lead; a hidden one steps down and is no longer polled for. */
  setVisible(visible: boolean): void;
  /**
   * What this tab shows and when its person was last active, repeated to the leader every few
   * seconds; `now` tells it at once (a new chat shown, activity after idling).
   */
  setInterest(chatId: string | undefined, lastActivity: number, now: boolean): void;
  /** For the leader: the chats the visible followers show, and their latest activity. */
  followers(now?: number): { chatIds: Set<string | undefined>; lastActivity: number };
  share(chatId: string | undefined, sync: Pick<SyncState, "list" | "chat">): void;
  requestCheck(): void;
  close(): void;
}

export function joinSyncTabs(events: SyncTabsEvents): SyncTabs | null {
  if (typeof BroadcastChannel === "undefined" || typeof navigator === "undefined" || !navigator.locks) {
    return null;
  }
  const tab = Math.random().toString(36).slice(2, 14);
  const channel = new BroadcastChannel(CHANNEL);
  const interests = new Map<string, { chatId?: string; lastActivity: number; seen: number }>();
  let interest: { chatId?: string; lastActivity: number } = { lastActivity: 0 };
  let visible = false;
  let leading = false;
  /** Aborts the wait for the lock, or (once held) lets it go. */
  let stepDown: (() => void) | null = null;

  const post = (message: Message) => channel.postMessage(message);
  const announce = () => {
    if (visible && !leading) post({ type: "interest", tab, ...interest });
  };
  const repeat = setInterval(announce, INTEREST_EVERY_MS);

  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = parseSyncTabMessage(event.data);
    if (!message) return;
    if (message.type === "state") return events.state(message.chatId, message.sync);
    if (message.type === "hello") return announce();
    if (!leading) return;
    if (message.type === "check") return events.checkRequested();
    if (message.type === "bye") return void interests.delete(message.tab);
    const known = interests.get(message.tab);
    interests.set(message.tab, {
      chatId: message.chatId,
      lastActivity: message.lastActivity,
      seen: Date.now(),
    });
    // A tab newly shown, or showing another chat: it needs an answer now, not an interval later.
    if (!known || known.chatId !== message.chatId) events.checkRequested();
  };

  function compete(): void {
    if (stepDown) return;
    const abort = new AbortController();
    let release: (() => void) | null = null;
    stepDown = () => {
      stepDown = null;
      if (release) release();
      else abort.abort();
    };
    navigator.locks
      .request(LOCK, { signal: abort.signal }, () => {
        leading = true;
        interests.clear();
        post({ type: "bye", tab });
        post({ type: "hello" });
        events.leadership(true);
        return new Promise<void>((resolve) => {
          release = () => {
            leading = false;
            events.leadership(false);
            resolve();
          };
        });
      })
      .catch(() => {}); // aborted while waiting
  }

  return {
    setVisible(next) {
      if (next === visible) return;
      visible = next;
      if (visible) {
        compete();
        announce();
      } else {
        stepDown?.();
        post({ type: "bye", tab });
      }
    },
    setInterest(chatId, lastActivity, now) {
      interest = chatId === undefined ? { lastActivity } : { chatId, lastActivity };
      if (now) announce();
    },
    followers(now = Date.now()) {
      const chatIds = new Set<string | undefined>();
      let lastActivity = 0;
      for (const [key, follower] of interests) {
        if (now - follower.seen > 3 * INTEREST_EVERY_MS) {
          interests.delete(key);
          continue;
        }
        chatIds.add(follower.chatId);
        lastActivity = Math.max(lastActivity, follower.lastActivity);
      }
      return { chatIds, lastActivity };
    },
    share(chatId, sync) {
      post({
        type: "state",
        ...(chatId === undefined ? {} : { chatId }),
        sync: { list: sync.list, chat: sync.chat },
      });
    },
    requestCheck() {
      post({ type: "check" });
    },
    close() {
      clearInterval(repeat);
      stepDown?.();
      post({ type: "bye", tab });
      channel.close();
    },
  };
}
