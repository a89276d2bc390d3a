/**
 * LlmProvider used when no model is configured, so a fresh install is usable end to end
 * (streaming, stopping, history) while saying plainly that no AI is answering.
 */
import { buildOfflineReply } from "./offline-reply.server";
import { abortReason, type LlmProvider } from "./provider.server";

export const OFFLINE_MODEL = "offline-demo";

export function createOfflineProvider(options: { delayMs?: number } = {}): LlmProvider {
  const delayMs = options.delayMs ?? 35;
  return {
    kind: "offline",
    defaultModel: OFFLINE_MODEL,
    async listModels() {
      return [OFFLINE_MODEL];
    },
    async *streamChat({ messages, signal }) {
      // Split before each word that follows whitespace: the pieces concatenate back exactly.
      const pieces = buildOfflineReply(messages).split(/(?<=\s)(?=\S)/);
      for (let i = 0; i < pieces.length; i++) {
        if (i > 0) await sleep(delayMs, signal);
        signal.throwIfAborted();
        yield pieces[i];
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
