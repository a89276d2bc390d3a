import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";

const COMPRESSIBLE = /^(text\/html|application\/json|text\/x-script|text\/plain|application\/javascript)/;
const MIN_BYTES = 1024;

/**
 * Gzips HTML and data responses for clients that accept it: a chat page's HTML shrinks about
 * five times. Small bodies are left alone (compression would cost more than it saves).
 */
export function gzipResponse(req: IncomingMessage, response: Response): Response {
  const type = response.headers.get("Content-Type") ?? "";
  const length = Number(response.headers.get("Content-Length") ?? Number.NaN);
  if (
    !response.body ||
    response.headers.has("Content-Encoding") ||
    !COMPRESSIBLE.test(type) ||
    (Number.isFinite(length) && length < MIN_BYTES) ||
    !/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))
  ) {
    return response;
  }
  const gzip = createGzip({ level: 6 });
  Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(gzip);
  const headers = new Headers(response.headers);
  headers.set("Content-Encoding", "gzip");
  headers.delete("Content-Length");
  headers.append("Vary", "Accept-Encoding");
  return new Response(Readable.toWeb(gzip) as ReadableStream, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
