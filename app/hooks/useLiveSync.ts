import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { SyncState } from "#app/lib/sync-state";
import { joinSyncTabs, type SyncTabs, type SyncTabsEvents } from "#app/lib/sync-tabs";

/**
 * Poll intervals: while the person was active in the last minute, when idle, when away (no
 * input for ten minutes), and while a reply is being written. Any input after idling checks
 * at once, so someone coming back never waits out an interval; the away interval only delays
 * what a tab shows to nobody touching it. It is what lets 5,000 forgotten tabs cost less than
 * the held connections Parley replaces (bench/README.md, "Tabs").
 */
export const ACTIVE_INTERVAL_MS = 2_000;
export const IDLE_INTERVAL_MS = 15_000;
export const AWAY_INTERVAL_MS = 60_000;
export const REPLY_INTERVAL_MS = 300;
const ACTIVE_WINDOW_MS = 60_000;
const AWAY_AFTER_MS = 10 * 60_000;

export interface LiveSyncOptions {
  /** The versions the page is showing (from its loaders). */
  listVersion: number;
  chatId?: string;
  chatVersion?: number;
  /** The reply being written in the open chat, if any: polled faster, its text collected. */
  pendingReplyId?: string;
}

/**
 * Keeps the page fresh without a held connection: while the tab is visible it asks the sync
 * check (a few bytes) whether anything changed, and re-runs the loaders only when a version
 * differs from what the page shows. Checks at once on focus and when the network returns;
 * a hidden tab makes no requests. Resolves the growing text of a pending reply.
 *
 * Of several visible tabs of one browser only one polls (app/lib/sync-tabs.ts): it asks for
 * its own chat and the chats the others show, and they take its answers. A tab whose reply is
 * being written asks for that reply itself, for as long as it runs.
 */
export function useLiveSync({ listVersion, chatId, chatVersion, pendingReplyId }: LiveSyncOptions) {
  const revalidator = useRevalidator();
  const [reply, setReply] = useState<{ id: string; text: string } | null>(null);
  const state = useRef({
    listVersion,
    chatVersion,
    pendingReplyId,
    revalidator,
    replyText: "",
    lastActivity: Date.now(),
  });
  state.current.listVersion = listVersion;
  state.current.chatVersion = chatVersion;
  state.current.revalidator = revalidator;
  if (state.current.pendingReplyId !== pendingReplyId) {
    state.current.pendingReplyId = pendingReplyId;
    state.current.replyText = "";
  }

  // The tabs' election lives as long as the page; the polling below follows the open chat.
  const tabs = useRef<{ joined: SyncTabs | null; leading: boolean; events: SyncTabsEvents | null }>({
    joined: null,
    leading: false,
    events: null,
  });
  useEffect(() => {
    const current = tabs.current;
    current.joined = joinSyncTabs({
      leadership: (leading) => {
        current.leading = leading;
        current.events?.leadership(leading);
      },
      state: (forChat, sync) => current.events?.state(forChat, sync),
      checkRequested: () => current.events?.checkRequested(),
    });
    return () => {
      current.joined?.close();
      current.joined = null;
      current.leading = false;
    };
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let stopped = false;
    const shared = tabs.current;
    const visible = () => document.visibilityState === "visible";
    // Without an election (an old browser) every visible tab polls for itself, as it always did.
    const polls = () => !shared.joined || shared.leading || Boolean(state.current.pendingReplyId);

    const interval = () => {
      if (state.current.pendingReplyId) return REPLY_INTERVAL_MS;
      const others = shared.leading && shared.joined ? shared.joined.followers().lastActivity : 0;
      const quietFor = Date.now() - Math.max(state.current.lastActivity, others);
      if (quietFor < ACTIVE_WINDOW_MS) return ACTIVE_INTERVAL_MS;
      return quietFor < AWAY_AFTER_MS ? IDLE_INTERVAL_MS : AWAY_INTERVAL_MS;
    };

    const schedule = () => {
      clearTimeout(timer);
      if (stopped || !visible() || !polls()) return;
      timer = setTimeout(check, interval());
    };

    /** Re-runs the loaders when an answer shows a version other than the page's. */
    const take = (sync: Pick<SyncState, "list" | "chat">, forChat: string | undefined) => {
      const current = state.current;
      const changed =
        sync.list !== current.listVersion ||
        (chatId !== undefined && forChat === chatId && sync.chat !== current.chatVersion);
      if (changed && current.revalidator.state === "idle") current.revalidator.revalidate();
    };

    const ask = async (
      forChat: string | undefined,
      replyId?: string,
      offset = 0,
    ): Promise<SyncState | null> => {
      const params = new URLSearchParams();
      if (forChat) params.set("chat", forChat);
      if (replyId) {
        params.set("reply", replyId);
        params.set("offset", String(offset));
      }
      const response = await fetch(`/resources/sync?${params}`, {
        credentials: "same-origin",
        cache: "no-store",
      });
      return response.ok ? ((await response.json()) as SyncState) : null;
    };

    const check = async () => {
      if (stopped || inFlight || !visible() || !polls()) return schedule();
      inFlight = true;
      const current = state.current;
      try {
        const sync = await ask(chatId, current.pendingReplyId, current.replyText.length);
        if (sync) {
          if (sync.reply && current.pendingReplyId) {
            current.replyText = current.replyText.slice(0, sync.reply.offset) + sync.reply.text;
            setReply({ id: current.pendingReplyId, text: current.replyText });
          }
          take(sync, chatId);
          shared.joined?.share(chatId, sync);
        }
        // The leader also asks for the chats only other visible tabs show.
        if (shared.leading && shared.joined) {
          for (const other of shared.joined.followers().chatIds) {
            if (other === chatId || (other === undefined && sync)) continue;
            const answer = await ask(other);
            if (answer) shared.joined.share(other, answer);
          }
        }
      } catch {
        // Offline or the server restarting: the next check (or the "online" event) tries again.
      } finally {
        inFlight = false;
        schedule();
      }
    };

    const checkNow = () => {
      if (!polls()) return shared.joined?.requestCheck();
      clearTimeout(timer);
      void check();
    };
    shared.events = {
      leadership: (leading) => (leading ? checkNow() : schedule()),
      state: (forChat, sync) => take(sync, forChat),
      checkRequested: checkNow,
    };
    shared.joined?.setInterest(chatId, state.current.lastActivity, true);
    shared.joined?.setVisible(visible());

    const onActivity = () => {
      const wasIdle = Date.now() - state.current.lastActivity >= ACTIVE_WINDOW_MS;
      state.current.lastActivity = Date.now();
      shared.joined?.setInterest(chatId, state.current.lastActivity, wasIdle);
      if (wasIdle) checkNow();
    };
    const onVisibility = () => {
      shared.joined?.setVisible(visible());
      if (visible()) checkNow();
      else clearTimeout(timer);
    };

    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("focus", checkNow);
    window.addEventListener("online", checkNow);
    for (const event of ["pointerdown", "keydown", "scroll"] as const) {
      window.addEventListener(event, onActivity, { passive: true });
    }
    // A reply just started: ask for its first words now rather than one interval later.
    if (pendingReplyId) {
      timer = setTimeout(check, 0);
    } else {
      schedule();
    }
    return () => {
      stopped = true;
      shared.events = null;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("focus", checkNow);
      window.removeEventListener("online", checkNow);
      for (const event of ["pointerdown", "keydown", "scroll"] as const)
        window.removeEventListener(event, onActivity);
    };
  }, [chatId, pendingReplyId]);

  return { replyText: reply && reply.id === pendingReplyId ? reply.text : null };
}
