/** A request over a limit: how long until it may be tried again, and what to tell the person. */
export interface Refusal {
  /** Whole seconds, at least 1: the Retry-After header. */
  retryAfterSeconds: number;
  message: string;
}

export function refusal(waitMs: number, message: (wait: string) => string): Refusal {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return { retryAfterSeconds, message: message(describeWait(retryAfterSeconds)) };
}

export const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;

/** "in 40 seconds", "in 12 minutes", "in 2 hours": rounded up, so it is never too early. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `in ${plural(seconds, "second")}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${plural(minutes, "minute")}`;
  return `in ${plural(Math.ceil(seconds / 3600), "hour")}`;
}
