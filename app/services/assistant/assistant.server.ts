import { uuidv7 } from "#db/ids";
import type { BranchOutcome } from "#db/repositories/chat-repository";
import type { NewMessage } from "#db/repositories/messages";
import { log } from "#app/lib/logger.server";
import { getMetrics } from "#app/lib/metrics/metrics.server";
import { singleton } from "#app/lib/singleton.server";
import { getLlmProvider } from "#app/services/llm/provider-instance.server";
import type { Runtime } from "#app/services/runtime.server";
import { instructionsForChat } from "#app/services/projects.server";
import { buildTurns } from "./conversation.server";
import { flagStop, readProgress } from "./reply-progress.server";
import { INTERRUPTED_ERROR, runReply } from "./reply-runner.server";
import { running } from "./running-replies.server";
import { nameChatAfterFirstReply } from "./title-namer.server";

const metrics = getMetrics();

/**
 * Starts generating the pending reply `messageId` in the background and returns at once:
 * the action that asked is not kept waiting, and the page follows the reply by polling.
 */
export async function startReply(
  runtime: Runtime,
  userId: string,
  chatId: string,
  messageId: string,
): Promise<void> {
  const provider = getLlmProvider();
  const chat = await runtime.chats.getChat(userId, chatId);
  if (!chat) return;
  // The branch that leads to this reply, and nothing from its other versions.
  const conversation = await runtime.chats.branchEndingAt(userId, chatId, messageId);
  const turns = buildTurns(conversation, messageId, {
    instructions: await instructionsForChat(runtime, userId, chat),
    budgetChars: runtime.config.LLM_HISTORY_BUDGET_CHARS,
  });
  const run = runReply(
    {
      chats: runtime.chats,
      store: runtime.store,
      provider,
      log: (message, fields) => log.warn(message, fields),
      // Several heartbeats fit in the timeout, so a live reply is never taken for a dead one.
      heartbeatEveryMs: Math.min(5_000, Math.floor(runtime.config.REPLY_HEARTBEAT_TIMEOUT_MS / 3)),
      onFirstToken: (seconds) => metrics.firstToken.observe(seconds),
    },
    { userId, chatId, messageId, model: chat.model ?? provider.defaultModel, turns },
  );
  metrics.repliesPending.inc();
  const settled = run.done
    .then(async (outcome) => {
      metrics.repliesFinished.inc({ outcome: outcome.status });
      if (outcome.status === "complete")
        await nameChatAfterFirstReply(runtime, userId, chatId, conversation, outcome.text);
    })
    .catch((error: unknown) => log.error("reply bookkeeping failed", { messageId, error: String(error) }))
    .finally(() => {
      running.delete(messageId);
      metrics.repliesPending.dec();
    });
  running.set(messageId, { ...run, settled });
}

export type StopOutcome = "stopped" | "not-found";

/**
 * Stops a reply, keeping its partial text. The reply must be the user's, in the chat named:
 * anything else is "not-found", and nothing is flagged or written. Here, the generator stops
 * and writes its text; on another instance, the stop flag reaches it within ~100 ms, and the
 * message is marked stopped at once with the text the hot store has (the generator then finds
 * it no longer pending). A reply that has already ended stays as it is.
 */
export async function stopReply(
  runtime: Runtime,
  userId: string,
  chatId: string,
  messageId: string,
): Promise<StopOutcome> {
  const message = await runtime.chats.getMessage(userId, messageId);
  if (!message || message.chat_id !== chatId || message.role !== "assistant") return "not-found";
  if (message.status !== "pending") return "stopped";
  const local = running.get(messageId);
  if (local) {
    local.stop();
    await local.done;
    return "stopped";
  }
  await flagStop(runtime.store, messageId);
  const progress = await readProgress(runtime.store, messageId);
  const text =
    progress && progress.userId === userId && progress.text.length >= message.content.length
      ? progress.text
      : message.content;
  await runtime.chats.updateMessage(
    userId,
    chatId,
    messageId,
    { content: text, status: "stopped" },
    { onlyIfStatus: "pending", touch: true },
  );
  return "stopped";
}

/**
 * Stops replies whose chats were deleted: here at once, on another instance through the stop
 * flag. Without this a generator would learn of it only at its next heartbeat, a few seconds
 * of the provider's tokens later; its final write then finds nothing to update either way.
 */
export async function abandonReplies(runtime: Runtime, messageIds: readonly string[]): Promise<void> {
  await Promise.all(
    messageIds.map((messageId) => {
      const local = running.get(messageId);
      if (local) return local.stop();
      return flagStop(runtime.store, messageId);
    }),
  );
}

/**
 * Marks as interrupted every pending reply whose generator stopped writing its heartbeat
 * (the process died): no reply stays pending forever. Safe to run on every instance.
 */
export async function sweepInterruptedReplies(runtime: Runtime): Promise<number> {
  const stale = await runtime.chats.listStalePendingReplies(
    new Date(Date.now() - runtime.config.REPLY_HEARTBEAT_TIMEOUT_MS),
  );
  let marked = 0;
  for (const reply of stale) {
    if (running.has(reply.id)) continue;
    const progress = await readProgress(runtime.store, reply.id);
    const message = await runtime.chats.getMessage(reply.userId, reply.id);
    const text =
      progress && message && progress.text.length > message.content.length
        ? progress.text
        : (message?.content ?? "");
    const updated = await runtime.chats.updateMessage(
      reply.userId,
      reply.chatId,
      reply.id,
      { content: text, status: "interrupted", error: INTERRUPTED_ERROR },
      { onlyIfStatus: "pending", touch: true },
    );
    if (updated.kind === "updated") marked += 1;
  }
  if (marked > 0) {
    log.info("marked interrupted replies", { count: marked });
    metrics.repliesInterrupted.inc(marked);
  }
  return marked;
}

/** Sweeps now and then every few seconds, without keeping the process alive. */
export function startInterruptedReplySweeper(runtime: Runtime, everyMs = 5_000): void {
  singleton("reply-sweeper", () => {
    const sweep = () =>
      void sweepInterruptedReplies(runtime).catch((error: unknown) =>
        log.warn("sweep failed", { error: String(error) }),
      );
    sweep();
    const timer = setInterval(sweep, everyMs);
    timer.unref();
    return timer;
  });
}

export type RerunOutcome = "started" | "duplicate" | "busy" | "not-found";

/** A new pending reply with no text yet; `clientId` is the idempotency key of the request, if any. */
function pendingReply(chatId: string, clientId: string | null): NewMessage {
  return { id: uuidv7(), chatId, role: "assistant", content: "", status: "pending", clientId };
}

/**
 * Retry (a failed, stopped or interrupted reply) and regenerate (a complete one), for any
 * reply of the chat: a new version of it is written beside it and shown; the earlier one
 * stays, one version away.
 */
export async function regenerateReply(
  runtime: Runtime,
  userId: string,
  chatId: string,
  messageId: string,
  clientId: string | null,
): Promise<RerunOutcome> {
  const outcome = await runtime.chats.regenerateReply(
    userId,
    chatId,
    messageId,
    pendingReply(chatId, clientId),
  );
  return started(runtime, userId, chatId, outcome);
}

/**
 * Edit any message the person wrote: the edited text becomes a new version of it, with a new
 * reply, and the chat shows that branch; what followed the earlier version stays with it.
 */
export async function editMessage(
  runtime: Runtime,
  userId: string,
  chatId: string,
  messageId: string,
  edit: { content: string; clientId: string | null },
): Promise<RerunOutcome> {
  const outcome = await runtime.chats.editMessage(
    userId,
    chatId,
    messageId,
    edit,
    pendingReply(chatId, null),
  );
  return started(runtime, userId, chatId, outcome);
}

async function started(
  runtime: Runtime,
  userId: string,
  chatId: string,
  outcome: BranchOutcome,
): Promise<RerunOutcome> {
  if (outcome.kind !== "branched") return outcome.kind;
  await startReply(runtime, userId, chatId, outcome.reply.id);
  return "started";
}
