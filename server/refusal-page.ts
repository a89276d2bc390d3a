import type { IncomingMessage, ServerResponse } from "node:http";
import { settleUnreadBody } from "./settle-unread-body";

/**
 * A refusal answered by the server itself, before Remix: a small page that says what was
 * wrong, in the words of the 4xx pages Remix renders ("Not accepted (403)"), and a way back.
 */
export function sendRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  refusal: { status: number; reason: string; headers?: Record<string, string> },
): void {
  const { status, reason } = refusal;
  const title = `Not accepted (${status})`;
  const body =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark"><title>${title} · Parley</title></head>` +
    `<body><main><h1>${title}</h1><p>${escapeHtml(reason)}</p>` +
    `<p><a href="/">Back to Parley</a></p></main></body></html>`;
  // A malformed request says nothing good about what follows on its connection.
  if (status === 400) res.setHeader("Connection", "close");
  settleUnreadBody(req, res);
  res.writeHead(status, {
    ...refusal.headers,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
