/**
 * fetch with the two deadlines a streaming model call needs, and with every failure turned
 * into an LlmError (or the caller's abort reason). A plain overall timeout does not fit:
 * a long reply may legitimately stream for minutes, while a provider that goes silent
 * should be noticed in seconds.
 *
 * - first byte: from sending the request until the first body chunk arrives (a provider
 *   loading a model or queueing the prompt may send headers early and content late);
 * - idle: the longest wait for each later chunk. The clock runs only while we are waiting
 *   on the network, so a slow consumer never causes a false timeout.
 */
import { abortReason, LlmError } from "./provider.server";

export type FetchLike = typeof fetch;

export interface WatchedFetchOptions {
  fetch: FetchLike;
  signal?: AbortSignal;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

export interface WatchedResponse {
  readonly status: number;
  /** Next body chunk, or undefined at the end of the body. */
  read(): Promise<Uint8Array | undefined>;
  /** Reads the body as text, stopping after maxBytes (error bodies can be whole HTML pages). */
  text(maxBytes: number): Promise<{ text: string; truncated: boolean }>;
  /** Stops timers and drops the connection; safe to call more than once. */
  close(): void;
}

export async function watchedFetch(
  url: string,
  init: RequestInit,
  options: WatchedFetchOptions,
): Promise<WatchedResponse> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  let gotFirstChunk = false;

  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("Model provider deadline passed.", "TimeoutError"));
    }, ms);
  };
  const onCallerAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onCallerAbort, { once: true });
  // Undici does not reliably fail a body read once its signal aborts (a read of a fully
  // received but unconsumed body hangs), and an injected fetch may ignore the signal, so
  // every wait races this promise instead of trusting fetch to notice.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => {});
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const close = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onCallerAbort);
    controller.abort();
    reader?.cancel().catch(() => {});
  };

  // Which error the caller sees depends on why the request died, not on what fetch threw.
  const failure = (error: unknown): unknown => {
    if (signal?.aborted) return abortReason(signal);
    if (timedOut) {
      return gotFirstChunk
        ? new LlmError("timeout", "The model provider stopped sending the reply.", {
            detail: "idle timeout",
            cause: error,
          })
        : new LlmError("timeout", "The model provider did not answer in time.", {
            detail: "first byte timeout",
            cause: error,
          });
    }
    if (error instanceof LlmError) return error;
    return gotFirstChunk
      ? new LlmError("network", "The connection to the model provider was lost.", { cause: error })
      : new LlmError("network", "Could not reach the model provider.", { cause: error });
  };

  arm(options.firstByteTimeoutMs);
  const pending = options.fetch(url, { ...init, signal: controller.signal });
  let response: Response;
  try {
    response = await Promise.race([pending, aborted]);
  } catch (error) {
    close();
    // A fetch that ignored the abort may still answer later: release that body.
    pending.then(
      (late) => late.body?.cancel().catch(() => {}),
      () => {},
    );
    throw failure(error);
  }
  reader = response.body?.getReader();

  const read = async (): Promise<Uint8Array | undefined> => {
    const body = reader;
    if (!body) return undefined;
    // Until the first chunk the first-byte timer (armed before fetch) keeps running.
    if (gotFirstChunk) arm(options.idleTimeoutMs);
    try {
      controller.signal.throwIfAborted();
      const { done, value } = await Promise.race([body.read(), aborted]);
      clearTimeout(timer);
      if (done) return undefined;
      gotFirstChunk = true;
      return value;
    } catch (error) {
      close();
      throw failure(error);
    }
  };

  const text = async (maxBytes: number) => {
    const decoder = new TextDecoder();
    let out = "";
    let bytes = 0;
    for (let chunk = await read(); chunk; chunk = await read()) {
      out += decoder.decode(chunk, { stream: true });
      bytes += chunk.byteLength;
      if (bytes > maxBytes) return { text: out, truncated: true };
    }
    return { text: out + decoder.decode(), truncated: false };
  };

  return { status: response.status, read, text, close };
}
