/**
 * What the fake OpenAI server does with one chat completion request. Shared by the server,
 * its control API (validated, since Playwright specs send these over HTTP) and the client.
 */
import { z } from "zod";

/**
 * `match`: when set, the behaviour is kept for the first request whose last user message
 * contains this text. Tests running in parallel against one fake server use it so each takes
 * only its own scripted behaviour.
 */
type Matched = { match?: string };

export type Behaviour = Matched &
  /** Streams the chunks like OpenAI: role chunk, content chunks, finish chunk, [DONE]. */
  (
    | { type: "reply"; chunks: string[]; delayMs?: number; firstDelayMs?: number }
    /** Answers with this status; body defaults to an OpenAI-style error JSON. */
    | { type: "status"; status: number; body?: string }
    /** Accepts the request and never sends a byte until the client goes away. */
    | { type: "hang" }
    /** Role chunk, one content chunk, then `data: {not json` and the end of the body. */
    | { type: "malformed" }
    /** Streams the chunks, then neither finishes nor closes: silent, so the idle timeout ends it. */
    | { type: "stall-after"; chunks: string[] }
    /**
     * Streams the chunks, then keeps the stream alive with SSE comments (as hosted providers do
     * while a model thinks) until the client hangs up: a reply still being written, for as long
     * as a test needs, however slow the machine.
     */
    | { type: "hold"; chunks: string[]; keepAliveMs?: number }
  );

const match = z.string().min(1).optional();

export const behaviourSchema = z.discriminatedUnion("type", [
  z.object({
    match,
    type: z.literal("reply"),
    chunks: z.array(z.string()),
    delayMs: z.number().int().min(0).optional(),
    firstDelayMs: z.number().int().min(0).optional(),
  }),
  z.object({
    match,
    type: z.literal("status"),
    status: z.number().int().min(100).max(599),
    body: z.string().optional(),
  }),
  z.object({ match, type: z.literal("hang") }),
  z.object({ match, type: z.literal("malformed") }),
  z.object({ match, type: z.literal("stall-after"), chunks: z.array(z.string()) }),
  z.object({
    match,
    type: z.literal("hold"),
    chunks: z.array(z.string()),
    keepAliveMs: z.number().int().min(10).optional(),
  }),
]) satisfies z.ZodType<Behaviour>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  receivedAt: string;
}

export const DEFAULT_REPLY: Behaviour = {
  type: "reply",
  chunks: ["Hello", " from", " the", " fake", " model."],
  delayMs: 40,
};
