/**
 * One deadline helper for every "answer within N ms or give up" wait in Parley (Redis
 * commands, the database ping, the health check's wait for migrations). It lives in db/lib
 * so that db/ and app/ can both use it (app may import db, never the reverse).
 */

/** The error a timed-out promise rejects with; callers turn it into their own error or answer. */
export class TimeoutElapsedError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutElapsedError";
  }
}

/**
 * Settles like `promise`, or rejects with TimeoutElapsedError after `ms`. The underlying work
 * is not cancelled (node-redis keeps waiting for a reply that then goes unread; a query runs
 * on). The timer is cleared as soon as `promise` settles, and never keeps the process alive
 * by itself: a deadline is never the only thing worth waiting for.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutElapsedError(ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, elapsed]).finally(() => clearTimeout(timer));
}
