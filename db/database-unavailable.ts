/**
 * The one error a caller sees when Postgres cannot be used right now: it does not answer
 * (network frozen, host gone), refuses connections, or is too slow (statement or lock time
 * limit). Other database errors (a unique violation, a bad query) are not this.
 */

/** Seconds a client should wait before trying again (the 503's Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

export const NOT_SAVED_MESSAGE = "The database is not answering; nothing was saved, try again in a moment.";

/**
 * For a write whose outcome cannot be known: its COMMIT (or a single-statement write) was sent
 * and no answer came. Postgres may have committed it; saying "nothing was saved" could make
 * someone retype and store it twice, so the text says it may have been saved and to check.
 */
export const MAYBE_SAVED_MESSAGE =
  "The database stopped answering while saving, so your change may or may not have been saved. Reload in a moment to check before trying again.";

export type UnavailableReason =
  /** No answer within the limit: a frozen network or a stalled server. */
  | "no-answer"
  /** Connection refused, reset or ended by the server (shutdown, restart, idle transaction ended). */
  | "unreachable"
  /** Postgres answered, but cancelled the statement: it ran, or waited for a lock, too long. */
  | "too-slow";

export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
  /**
   * This object also has the shape of a thrown Remix `data()` (type, data, init): Remix's
   * router turns it into a 503 route error response carrying `data`, for documents and
   * single-fetch requests alike, under any server. So every loader and action answers a 503
   * with a clear message without each one catching it. Remix drops `init.headers` for a
   * route without a `headers` export; app/entry.server.tsx adds Retry-After to every 503.
   */
  readonly type = "DataWithResponseInit";
  readonly data: string;
  readonly init: { status: 503; headers: Record<string, string> };

  constructor(
    readonly reason: UnavailableReason,
    /** True when a write was sent and its outcome is unknown: Postgres may have committed it. */
    readonly mayHaveCommitted: boolean,
    options?: { cause?: unknown },
  ) {
    super(`database ${reason}: ${causeText(options?.cause)}`, options);
    this.data = mayHaveCommitted ? MAYBE_SAVED_MESSAGE : NOT_SAVED_MESSAGE;
    this.init = { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } };
  }
}

/**
 * Whether `error` is a DatabaseUnavailableError. Not `instanceof`: the production server and
 * the Remix bundle each load their own copy of this module (app/lib/singleton.server.ts), and
 * the error may come from either copy's class.
 */
export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return (
    error instanceof Error &&
    error.name === "DatabaseUnavailableError" &&
    (error as Partial<DatabaseUnavailableError>).type === "DataWithResponseInit"
  );
}

/** What a failure from `pg` means: unavailability (and whether the connection is still sound), or null. */
export function classifyPgFailure(
  error: unknown,
): { reason: UnavailableReason; connectionLost: boolean } | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    // statement_timeout (57014) and lock_timeout (55P03): Postgres cancelled the statement and
    // answered; the connection is fine.
    if (code === "57014" || code === "55P03") return { reason: "too-slow", connectionLost: false };
    // Connection exceptions, shutdowns, "cannot connect now", too many connections, and the
    // end of a session left idle in a transaction.
    if (code.startsWith("08") || code.startsWith("57P") || code === "53300" || code === "25P03") {
      return { reason: "unreachable", connectionLost: true };
    }
    if (NETWORK_CODES.has(code)) return { reason: "unreachable", connectionLost: true };
  }
  const message = error.message;
  if (NO_ANSWER_MESSAGES.some((text) => message.includes(text))) {
    return { reason: "no-answer", connectionLost: true };
  }
  if (LOST_MESSAGES.some((text) => message.includes(text)))
    return { reason: "unreachable", connectionLost: true };
  return null;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** pg's and pg-pool's own words (they set no code) for a limit that ran out. */
const NO_ANSWER_MESSAGES = [
  "Query read timeout",
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
  "timeout expired",
];

const LOST_MESSAGES = ["Connection terminated", "is not queryable", "Client was closed"];

function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
