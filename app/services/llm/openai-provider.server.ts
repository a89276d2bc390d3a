/**
 * LlmProvider for any OpenAI-compatible chat API (OpenAI, Ollama's /v1, llama.cpp server,
 * vLLM, ...). Only the common subset is used: POST /chat/completions with stream: true,
 * and GET /models. The event stream is read by eventsource-parser (the SSE rules: lines
 * split anywhere, CRLF, comments, multi-line data, a BOM), with a cap on what it buffers.
 */
import { createParser } from "eventsource-parser";
import { z } from "zod";
import { LlmError, type ChatTurn, type LlmProvider } from "./provider.server";
import { sanitiseProviderText } from "./public-text.server";
import { watchedFetch, type FetchLike, type WatchedResponse } from "./watched-fetch.server";

export interface OpenAiProviderOptions {
  baseUrl: string;
  apiKey?: string;
  defaultModel: string;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  fetch?: FetchLike;
}

// Loose on purpose: servers add fields (usage, logprobs, reasoning_content) and some send
// chunks with no choices at all (usage-only or content-filter chunks).
const streamChunkSchema = z.object({
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
});

// OpenAI and Ollama: {error: {message}}; some servers: {error: "..."}; vLLM: {message}.
const errorBodySchema = z.union([
  z.object({ error: z.object({ message: z.string() }) }).transform((b) => b.error.message),
  z.object({ error: z.string() }).transform((b) => b.error),
  z.object({ message: z.string() }).transform((b) => b.message),
]);

const modelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

const MAX_ERROR_BODY_BYTES = 16 * 1024;
const MAX_MODEL_LIST_BYTES = 4 * 1024 * 1024;
// One event (a line, or data lines before their blank line) may hold this much; a provider
// that never ends one would otherwise grow the buffer for as long as it streams.
const MAX_EVENT_CHARS = 1024 * 1024;

export function createOpenAiProvider(options: OpenAiProviderOptions): LlmProvider {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchOptions = {
    fetch: options.fetch ?? globalThis.fetch,
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? 30_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
  };
  const headers = (accept: string): Record<string, string> => ({
    Accept: accept,
    "Content-Type": "application/json",
    // Local servers (Ollama, llama.cpp) need no key; sending an empty Bearer confuses some proxies.
    ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
  });

  async function httpError(response: WatchedResponse, what: string): Promise<LlmError> {
    let detail: string | undefined;
    try {
      const { text, truncated } = await response.text(MAX_ERROR_BODY_BYTES);
      const parsed = truncated ? undefined : errorBodySchema.safeParse(JSON.parse(text));
      if (parsed?.success) detail = sanitiseProviderText(parsed.data, [options.apiKey]);
    } catch {
      // Not JSON, or the body failed to arrive: the status code alone will do.
    }
    const publicMessage = detail
      ? `The model provider answered ${response.status}: ${detail}`
      : `The model provider answered ${response.status}.`;
    return new LlmError("http", publicMessage, {
      status: response.status,
      detail: `${what}: ${publicMessage}`,
    });
  }

  return {
    kind: "openai",
    defaultModel: options.defaultModel,

    async listModels(signal) {
      const response = await watchedFetch(
        `${baseUrl}/models`,
        { method: "GET", headers: headers("application/json") },
        {
          ...fetchOptions,
          signal,
        },
      );
      try {
        if (response.status < 200 || response.status > 299) throw await httpError(response, "GET /models");
        const { text, truncated } = await response.text(MAX_MODEL_LIST_BYTES);
        const parsed = truncated ? undefined : modelListSchema.safeParse(safeJson(text));
        if (!parsed?.success) {
          throw new LlmError("malformed", "The model provider sent a model list Parley could not read.");
        }
        return parsed.data.data.map((model) => model.id);
      } finally {
        response.close();
      }
    },

    streamChat({ model, messages, signal }) {
      return streamCompletion(model, messages, signal);
    },
  };

  async function* streamCompletion(
    model: string,
    messages: ChatTurn[],
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    const response = await watchedFetch(
      `${baseUrl}/chat/completions`,
      {
        method: "POST",
        headers: headers("text/event-stream"),
        body: JSON.stringify({ model, messages, stream: true }),
      },
      { ...fetchOptions, signal },
    );
    // `finally` also runs when the consumer stops iterating early, which drops the connection.
    try {
      if (response.status < 200 || response.status > 299)
        throw await httpError(response, "POST /chat/completions");
      const payloads: string[] = [];
      let overflow = false;
      const parser = createParser({
        onEvent: (event) => payloads.push(event.data),
        // Unknown fields and bad `retry` values are ignored, as the SSE rules say; only an
        // event or line that never ends is a failure.
        onError: (error) => {
          if (error.type === "max-buffer-size-exceeded") overflow = true;
        },
        maxBufferSize: MAX_EVENT_CHARS,
      });
      const decoder = new TextDecoder();
      let finished = false;
      for (;;) {
        const chunk = await response.read();
        // At the end, a blank line dispatches a last event whose own blank line never came
        // (as our old parser did); after a well-ended stream it is a no-op.
        parser.feed(chunk ? decoder.decode(chunk, { stream: true }) : `${decoder.decode()}\n\n`);
        if (overflow) {
          throw new LlmError("malformed", "The model provider sent a reply Parley could not read.", {
            detail: `stream event longer than ${MAX_EVENT_CHARS} characters`,
          });
        }
        for (const payload of payloads.splice(0)) {
          if (payload === "[DONE]") return;
          const delta = parseDelta(payload, options.apiKey);
          if (delta.finished) finished = true;
          if (delta.content) {
            yield delta.content;
            signal.throwIfAborted();
          }
        }
        if (!chunk) break;
      }
      // llama.cpp and some proxies omit [DONE]; a finish_reason already says the reply is
      // complete. Without either the reply was cut off.
      if (!finished) {
        throw new LlmError("malformed", "The model provider's reply ended unexpectedly.", {
          detail: "stream ended without [DONE]",
        });
      }
    } finally {
      response.close();
    }
  }
}

function parseDelta(payload: string, apiKey: string | undefined): { content?: string; finished: boolean } {
  const json = safeJson(payload);
  const parsed = streamChunkSchema.safeParse(json);
  if (parsed.success) {
    const choice = parsed.data.choices[0];
    return { content: choice?.delta?.content ?? undefined, finished: Boolean(choice?.finish_reason) };
  }
  // Some servers report a failure mid-stream as an error object instead of a chunk.
  const error = errorBodySchema.safeParse(json);
  if (error.success) {
    const publicMessage = `The model provider reported an error: ${sanitiseProviderText(error.data, [apiKey])}`;
    throw new LlmError("http", publicMessage, { detail: `stream error event: ${publicMessage}` });
  }
  throw new LlmError("malformed", "The model provider sent a reply Parley could not read.", {
    detail: "unparseable stream chunk",
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
