import { z } from "zod";
import type { HotStore } from "#db/hot-store/hot-store";

/**
 * A reply in flight lives in the hot store while it grows: its text so far, whose it is,
 * and when the generator last wrote. Any app instance can serve it to any tab; Postgres gets
 * the text as a heartbeat every few seconds and in full when the reply ends.
 */
export const PROGRESS_TTL_SECONDS = 600;
const STOP_TTL_SECONDS = 120;

export const replyProgressKey = (messageId: string) => `reply:${messageId}`;
export const replyStopKey = (messageId: string) => `reply:${messageId}:stop`;

const progressSchema = z.object({ u: z.string(), t: z.string(), at: z.number() });
export type ReplyProgress = { userId: string; text: string; at: number };

export function encodeProgress(progress: ReplyProgress): string {
  return JSON.stringify({ u: progress.userId, t: progress.text, at: progress.at });
}

export function decodeProgress(value: string | null | undefined): ReplyProgress | null {
  if (!value) return null;
  try {
    const parsed = progressSchema.safeParse(JSON.parse(value));
    return parsed.success ? { userId: parsed.data.u, text: parsed.data.t, at: parsed.data.at } : null;
  } catch {
    return null;
  }
}

export async function readProgress(store: HotStore, messageId: string): Promise<ReplyProgress | null> {
  return decodeProgress(await store.get(replyProgressKey(messageId)).catch(() => null));
}

/** Asks whichever instance is generating the reply to stop. */
export async function flagStop(store: HotStore, messageId: string): Promise<boolean> {
  return store.set(replyStopKey(messageId), "1", STOP_TTL_SECONDS).then(
    () => true,
    () => false,
  );
}
