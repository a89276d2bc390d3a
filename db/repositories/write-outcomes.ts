/**
 * What a chat write that did not happen says instead, in one form: a `kind` in the outcome
 * union it returns. Nothing here is thrown.
 */

/**
 * A reply is still being written in this chat. One at a time: the partial unique index
 * `messages_one_pending_reply_idx` refuses a second pending reply, and every write that can
 * meet it (append, update, rewrite) returns this.
 */
export type Busy = { kind: "busy" };

/** No chat or message of this user's matched (or, for a conditional update, no longer matched). */
export type NotFound = { kind: "not-found" };

/** What `work` resolves, or busy when it would have made a second reply pending in one chat. */
export function busyIfReplyInProgress<T>(work: Promise<T>): Promise<T | Busy> {
  return work.catch((error: unknown) => {
    if (isOnePendingReplyViolation(error)) return { kind: "busy" } as const;
    throw error;
  });
}

/** Postgres (and PGlite) report the partial unique index on pending replies by name. */
function isOnePendingReplyViolation(error: unknown): boolean {
  const candidate = error as {
    code?: string;
    constraint?: string;
    message?: string;
  } | null;
  return (
    candidate?.code === "23505" &&
    (candidate.constraint === "messages_one_pending_reply_idx" ||
      String(candidate.message).includes("messages_one_pending_reply_idx"))
  );
}
