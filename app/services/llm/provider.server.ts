/**
 * The one surface the chat code uses to talk to a language model. Two implementations
 * exist: any OpenAI-compatible HTTP API, and an honest offline demo used when no model
 * is configured, so a fresh install works without pretending to be an AI.
 */
export type ChatTurn = { role: "system" | "user" | "assistant"; content: string };

export interface LlmProvider {
  readonly kind: "openai" | "offline";
  readonly defaultModel: string;
  /** Model ids the provider offers. */
  listModels(signal?: AbortSignal): Promise<string[]>;
  /**
   * Streams text deltas of one assistant reply. Rejects with LlmError on any provider
   * failure. Stops (rejecting with the signal's reason or an AbortError) when the signal
   * aborts.
   */
  streamChat(request: { model: string; messages: ChatTurn[]; signal: AbortSignal }): AsyncIterable<string>;
}

export type LlmErrorReason = "http" | "timeout" | "malformed" | "network";

/**
 * A provider failure. `message` is for logs (still free of keys and URLs, since logs get
 * pasted into bug reports); `publicMessage` is short and safe to show the person chatting.
 */
export class LlmError extends Error {
  readonly reason: LlmErrorReason;
  readonly publicMessage: string;
  /** HTTP status when the provider answered with one (reason "http"). */
  readonly status?: number;

  constructor(
    reason: LlmErrorReason,
    publicMessage: string,
    options?: { cause?: unknown; detail?: string; status?: number },
  ) {
    super(options?.detail ?? publicMessage, { cause: options?.cause });
    this.name = "LlmError";
    this.reason = reason;
    this.publicMessage = publicMessage;
    this.status = options?.status;
  }
}

/** What an aborted operation rejects with when the signal carries no reason of its own. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}
