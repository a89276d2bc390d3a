import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { constants, createGzip, gzip } from "node:zlib";

const COMPRESSIBLE = /^(text\/html|application\/json|text\/x-script|text\/plain|application\/javascript)/;
/** Documents and `.data` responses: rendered whole before they are sent, so collected and gzipped in one call. */
const COLLECTED = /^(text\/html|text\/x-script)/;
const MIN_BYTES = 1024;
/**
 * Level 1. Measured on a 200-message chat document (bench/measure-renders.ts, see
 * docs/decisions/0023): level 1 costs about a third of level 6's CPU for a body about 15%
 * larger, and compression was the largest single share of a page's CPU.
 */
export const GZIP_LEVEL = 1;
const gzipAsync = promisify(gzip);

/** A response ready to send: when its body was collected, the bytes and the headers to send them with. */
export type PreparedResponse =
  { response: Response; collected?: undefined } | { response: Response; collected: Collected };

interface Collected {
  headers: Headers;
  body: Buffer;
}

/**
 * Gzips HTML and data responses for clients that accept it: a chat page's HTML shrinks about
 * five times. Small bodies are left alone (compression would cost more than it saves).
 * A document or `.data` body is read whole and compressed in one call (no stream of small
 * chunks through a gzip stream); anything else (exports) keeps streaming.
 */
export async function gzipResponse(req: IncomingMessage, response: Response): Promise<PreparedResponse> {
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.body || response.headers.has("Content-Encoding") || !COMPRESSIBLE.test(type)) {
    return { response };
  }
  const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  if (COLLECTED.test(type)) {
    const raw = Buffer.from(await response.arrayBuffer());
    const headers = new Headers(response.headers);
    if (raw.length < MIN_BYTES || !acceptsGzip) {
      headers.set("Content-Length", String(raw.length));
      return { response, collected: { headers, body: raw } };
    }
    const body = await gzipAsync(raw, { level: GZIP_LEVEL, strategy: constants.Z_DEFAULT_STRATEGY });
    headers.set("Content-Encoding", "gzip");
    headers.set("Content-Length", String(body.length));
    headers.append("Vary", "Accept-Encoding");
    return { response, collected: { headers, body } };
  }
  const length = Number(response.headers.get("Content-Length") ?? Number.NaN);
  if ((Number.isFinite(length) && length < MIN_BYTES) || !acceptsGzip) return { response };
  const stream = createGzip({ level: GZIP_LEVEL });
  Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(stream);
  const headers = new Headers(response.headers);
  headers.set("Content-Encoding", "gzip");
  headers.delete("Content-Length");
  headers.append("Vary", "Accept-Encoding");
  return {
    response: new Response(Readable.toWeb(stream) as ReadableStream, {
      status: response.status,
      statusText: response.statusText,
      headers,
    }),
  };
}
