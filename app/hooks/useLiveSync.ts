import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { SyncState } from "#app/lib/sync-state";

/** Poll intervals: while the person was active in the last minute, when idle, and while a reply is being written. */
export const ACTIVE_INTERVAL_MS = 2_000;
export const IDLE_INTERVAL_MS = 15_000;
export const REPLY_INTERVAL_MS = 300;
const ACTIVE_WINDOW_MS = 60_000;

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

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let stopped = false;

    const interval = () => {
      if (state.current.pendingReplyId) return REPLY_INTERVAL_MS;
      return Date.now() - state.current.lastActivity < ACTIVE_WINDOW_MS
        ? ACTIVE_INTERVAL_MS
        : IDLE_INTERVAL_MS;
    };

    const schedule = () => {
      clearTimeout(timer);
      if (stopped || document.visibilityState !== "visible") return;
      timer = setTimeout(check, interval());
    };

    const check = async () => {
      if (stopped || inFlight || document.visibilityState !== "visible") return schedule();
      inFlight = true;
      const current = state.current;
      const params = new URLSearchParams();
      if (chatId) params.set("chat", chatId);
      if (current.pendingReplyId) {
        params.set("reply", current.pendingReplyId);
        params.set("offset", String(current.replyText.length));
      }
      try {
        const response = await fetch(`/resources/sync?${params}`, {
          credentials: "same-origin",
          cache: "no-store",
        });
        if (response.ok) {
          const sync = (await response.json()) as SyncState;
          if (sync.reply && current.pendingReplyId) {
            current.replyText = current.replyText.slice(0, sync.reply.offset) + sync.reply.text;
            setReply({ id: current.pendingReplyId, text: current.replyText });
          }
          const changed =
            sync.list !== current.listVersion || (chatId !== undefined && sync.chat !== current.chatVersion);
          if (changed && current.revalidator.state === "idle") current.revalidator.revalidate();
        }
      } catch {
        // Offline or the server restarting: the next check (or the "online" event) tries again.
      } finally {
        inFlight = false;
        schedule();
      }
    };

    const checkNow = () => {
      clearTimeout(timer);
      void check();
    };
    const onActivity = () => {
      const wasIdle = Date.now() - state.current.lastActivity >= ACTIVE_WINDOW_MS;
      state.current.lastActivity = Date.now();
      if (wasIdle) checkNow();
    };
    const onVisibility = () => (document.visibilityState === "visible" ? checkNow() : clearTimeout(timer));

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
