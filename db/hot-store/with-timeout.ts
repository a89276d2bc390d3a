/** The error a timed-out promise rejects with; callers turn it into their own error. */
export class TimeoutElapsedError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutElapsedError";
  }
}

/**
 * Settles like `promise`, or rejects with TimeoutElapsedError after `ms`. The underlying
 * work is not cancelled: node-redis keeps waiting for the reply, which simply goes unread.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutElapsedError(ms)), ms);
  });
  return Promise.race([promise, elapsed]).finally(() => clearTimeout(timer));
}
