import { createHash } from "node:crypto";
import { uuidv7 } from "#db/ids";
import type { SharedLinkRow } from "#db/schema";
import { sharedLinkPath } from "#app/lib/shared-link-token";
import type { SharedLinkPage, SharedLinkSummaryView } from "#app/lib/view-types";
import { limitStore } from "#app/services/limits/limit-store.server";
import { userQuotaKeys } from "#app/services/limits/quotas.server";
import { plural, refusal, type Refusal } from "#app/services/limits/refusal.server";
import { renderMarkdownHtml } from "#app/services/markdown.server";
import type { Runtime } from "#app/services/runtime.server";
import { newSharedLinkToken, sharedLinkTokenHash } from "./tokens.server";

/**
 * Sharing a chat: a read-only copy of it behind an unguessable link. Creating one copies the
 * chat's complete messages (db/repositories/shared-links.ts), so what was shared never
 * changes, whatever happens in the chat afterwards; revoking, deleting the chat or the account
 * removes it and buries its cached page at once (db/cache/shared-link-cache.ts).
 */

/** Links a person may make in an hour: each one copies a chat. */
export const SHARED_LINKS_PER_HOUR = 30;
/** Links a person may hold at once: revoking one makes room. */
export const MAX_SHARED_LINKS = 100;
/** The newest messages a link copies (a longer chat is shared from that many before its end). */
export const MAX_SHARED_MESSAGES = 1000;
const HOUR_SECONDS = 3600;

export type CreateOutcome =
  | { kind: "created"; path: string }
  | { kind: "not-found" }
  | { kind: "refused"; status: 409 | 429; refusal: Refusal };

/** Shares the user's chat as it is now. The token is returned once, here, and stored nowhere. */
export async function createSharedLink(
  runtime: Runtime,
  userId: string,
  chatId: string,
): Promise<CreateOutcome> {
  const verdict = await limitStore(runtime.store).attempt(userQuotaKeys.sharedLinks(userId), {
    windowSeconds: HOUR_SECONDS,
    limit: SHARED_LINKS_PER_HOUR,
  });
  if (!verdict.allowed) {
    const message = (wait: string) =>
      `You have shared ${plural(SHARED_LINKS_PER_HOUR, "link")} in the last hour. You can share again ${wait}.`;
    return { kind: "refused", status: 429, refusal: refusal(verdict.waitMs, message) };
  }
  const token = newSharedLinkToken();
  const outcome = await runtime.sharedLinks.create({
    id: uuidv7(),
    userId,
    chatId,
    tokenHash: sharedLinkTokenHash(token),
    maxMessages: MAX_SHARED_MESSAGES,
    maxLinksPerUser: MAX_SHARED_LINKS,
  });
  if (outcome.kind === "not-found") return outcome;
  if (outcome.kind === "full") {
    const message = `You have ${plural(outcome.max, "shared link")} already. Revoke one to share another.`;
    return { kind: "refused", status: 409, refusal: { retryAfterSeconds: 0, message } };
  }
  return { kind: "created", path: sharedLinkPath(token) };
}

/** The page of the link with this (well-formed) token, or null: no such link, or revoked. */
export function openSharedLink(runtime: Runtime, token: string): Promise<SharedLinkPage | null> {
  return runtime.sharedLinks.open(sharedLinkTokenHash(token), toSharedLinkPage);
}

export async function listSharedLinks(runtime: Runtime, userId: string): Promise<SharedLinkSummaryView[]> {
  const rows = await runtime.sharedLinks.list(userId, MAX_SHARED_LINKS);
  return rows.map((row) => ({
    id: row.id,
    chatId: row.chat_id,
    title: row.title,
    messageCount: row.message_count,
    createdAt: row.created_at.toISOString(),
  }));
}

export function revokeSharedLink(runtime: Runtime, userId: string, linkId: string): Promise<boolean> {
  return runtime.sharedLinks.revoke(userId, linkId);
}

/**
 * The page as it is cached: the replies already rendered to safe HTML by the same pipeline
 * as the chat page (the person's messages stay plain text), and an entity tag that changes
 * only when what the page shows changes.
 */
function toSharedLinkPage(link: SharedLinkRow): SharedLinkPage {
  const messages = link.messages.map((message) => ({
    id: message.id,
    role: message.role,
    content: message.role === "assistant" ? "" : message.content,
    html: message.role === "assistant" ? renderMarkdownHtml(message.content) : null,
  }));
  const body = { title: link.title, sharedAt: link.created_at.toISOString(), messages };
  const etag = `"${createHash("sha256").update(JSON.stringify(body)).digest("base64url").slice(0, 27)}"`;
  return { ...body, etag };
}
