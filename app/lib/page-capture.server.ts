import { randomBytes } from "node:crypto";
import type { Versions } from "#db/repositories/chats";
import { newClientId } from "./message-rules";

/**
 * A page rendered to be kept by the response cache (server/response-cache): Parley's server
 * puts a PageCapture in the load context, and the render reports into it what the cache must
 * know. A cached body is served to the same user again and again, so every value that must
 * differ per response (the CSP nonce, the request id, a draft's client id) is made here and
 * recorded: each later serve puts a fresh value of the same kind wherever it stood. And the
 * loaders report the versions they read, which key the kept copy. Under another server there
 * is no capture and these are plain fresh values.
 */
export type PerRequestKind = "nonce" | "request-id" | "client-id";

const MAKERS: Record<PerRequestKind, () => string> = {
  nonce: () => randomBytes(16).toString("base64"),
  // Longer than an ordinary request id (8): sixteen random characters are never found by chance in a body.
  "request-id": () => randomBytes(12).toString("base64url"),
  "client-id": newClientId,
};

export function freshValue(kind: PerRequestKind): string {
  return MAKERS[kind]();
}

export interface PageCapture {
  /** Every per-request value the render used, in the order made. */
  readonly values: Array<{ kind: PerRequestKind; value: string }>;
  /** The user and versions the page's loaders read (null: none did, so nothing keys it). */
  read: { userId: string; versions: Versions } | null;
  /** A loader read something the versions do not cover (a reply still being written, say). */
  refused: boolean;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Set by Parley's own server when this render may be kept (server/response-cache). */
    pageCapture?: PageCapture;
  }
}

function captureOf(context: object | undefined): PageCapture | undefined {
  return (context as { pageCapture?: PageCapture } | undefined)?.pageCapture;
}

/** A fresh value that must differ per response; recorded when the render may be kept. */
export function perRequestValue(context: object | undefined, kind: PerRequestKind): string {
  const value = freshValue(kind);
  captureOf(context)?.values.push({ kind, value });
  return value;
}

/** Records the versions a loader read; two different readings in one render keep nothing. */
export function noteVersionsRead(context: object, userId: string, versions: Versions): void {
  const capture = captureOf(context);
  if (!capture) return;
  const read = capture.read;
  if (!read) capture.read = { userId, versions };
  else if (
    read.userId !== userId ||
    read.versions.list !== versions.list ||
    read.versions.chat !== versions.chat
  )
    capture.refused = true;
}

/** This render shows something no version covers: it is sent, never kept. */
export function refuseCapture(context: object): void {
  const capture = captureOf(context);
  if (capture) capture.refused = true;
}
