import type { HotStore } from "#db/hot-store/hot-store";
import type { ChatRepository } from "#db/repositories/chat-repository";
import type { MessageStatus } from "#db/schema";
import { LlmError, type ChatTurn, type LlmProvider } from "#app/services/llm/provider.server";
import {
  encodeProgress,
  PROGRESS_TTL_SECONDS,
  replyProgressKey,
  replyStopKey,
} from "./reply-progress.server";

export interface ReplyJob {
  userId: string;
  chatId: string;
  messageId: string;
  model: string;
  turns: ChatTurn[];
}

export interface RunnerDeps {
  chats: ChatRepository;
  store: HotStore;
  provider: LlmProvider;
  /** How often the growing text is written to the hot store (and the stop flag read). */
  flushEveryMs?: number;
  /** How often the text is written to Postgres as a sign of life. */
  heartbeatEveryMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** Called once, with the seconds from asking the model to its first token (for /metrics). */
  onFirstToken?: (seconds: number) => void;
}

export type ReplyOutcome = { status: Exclude<MessageStatus, "pending">; text: string; error?: string };

const STOPPED = "stopped";
/** The process is shutting down: the reply ends as interrupted (with Retry), its text kept. */
const INTERRUPTED = "interrupted";
export const INTERRUPTED_ERROR = "The reply was interrupted.";

/**
 * Generates one reply: streams from the provider, writes the growing text to the hot store
 * every ~100 ms (where polling tabs read it), writes it to Postgres every few seconds as a
 * heartbeat, and when the stream ends writes the final text and status to Postgres. Stops
 * when asked through the hot store (from any instance), through `stop()`, or when the
 * message stopped being pending in Postgres (stopped by an instance that could not reach
 * the hot store). `interrupt()` ends it as interrupted instead, for a process that must exit.
 */
export function runReply(
  deps: RunnerDeps,
  job: ReplyJob,
): { done: Promise<ReplyOutcome>; stop(): void; interrupt(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort(STOPPED);
  const interrupt = () => controller.abort(INTERRUPTED);
  return { done: generate(deps, job, controller), stop, interrupt };
}

async function generate(deps: RunnerDeps, job: ReplyJob, controller: AbortController): Promise<ReplyOutcome> {
  const { chats, store, provider } = deps;
  let text = "";
  let flushedText: string | null = null;

  const flush = async () => {
    const stopKey = replyStopKey(job.messageId);
    const [, stopFlag] = await Promise.all([
      text === flushedText
        ? Promise.resolve()
        : store
            .set(
              replyProgressKey(job.messageId),
              encodeProgress({ userId: job.userId, text, at: Date.now() }),
              PROGRESS_TTL_SECONDS,
            )
            .then(() => {
              flushedText = text;
            }),
      store.get(stopKey),
    ]).catch(() => [undefined, null] as const);
    if (stopFlag) controller.abort(STOPPED);
  };
  const heartbeat = async () => {
    const stillPending = await chats.heartbeatReply(job.userId, job.messageId, text).catch(() => true);
    if (!stillPending) controller.abort(STOPPED);
  };
  // Progress is also written once straight away, so a tab sees the reply's "alive" mark at once.
  await flush();
  const flushTimer = setInterval(() => void flush(), deps.flushEveryMs ?? 100);
  const heartbeatTimer = setInterval(() => void heartbeat(), deps.heartbeatEveryMs ?? 5_000);

  let outcome: ReplyOutcome;
  const asked = performance.now();
  let answered = false;
  try {
    for await (const delta of provider.streamChat({
      model: job.model,
      messages: job.turns,
      signal: controller.signal,
    })) {
      if (!answered && delta !== "") {
        answered = true;
        deps.onFirstToken?.((performance.now() - asked) / 1000);
      }
      text += delta;
    }
    outcome = { status: "complete", text };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason === STOPPED) {
      outcome = { status: "stopped", text };
    } else if (controller.signal.aborted && controller.signal.reason === INTERRUPTED) {
      outcome = { status: "interrupted", text, error: INTERRUPTED_ERROR };
    } else if (error instanceof LlmError) {
      deps.log?.("reply failed", { messageId: job.messageId, reason: error.reason, detail: error.message });
      outcome = { status: "error", text, error: error.publicMessage };
    } else {
      deps.log?.("reply failed unexpectedly", { messageId: job.messageId, error: String(error) });
      outcome = { status: "error", text, error: "The reply failed unexpectedly." };
    }
  } finally {
    clearInterval(flushTimer);
    clearInterval(heartbeatTimer);
  }

  // Only a still-pending reply is finished here: a stop made elsewhere already wrote its own.
  await chats.updateMessage(
    job.userId,
    job.chatId,
    job.messageId,
    { content: outcome.text, status: outcome.status, error: outcome.error ?? null, model: job.model },
    { onlyIfStatus: "pending", touch: true },
  );
  await store.del([replyProgressKey(job.messageId), replyStopKey(job.messageId)]).catch(() => undefined);
  return outcome;
}
