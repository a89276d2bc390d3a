import { singleton } from "#app/lib/singleton.server";
import type { ReplyOutcome } from "./reply-runner.server";

/**
 * The replies this process is writing: so a stop that lands here acts at once, the sweeper
 * leaves them alone, and a process that shuts down can finish or interrupt them. Kept apart
 * from the assistant so that Parley's server can drain replies without loading the assistant.
 */
export interface RunningReply {
  stop(): void;
  interrupt(): void;
  /** The reply's outcome, written to Postgres. */
  done: Promise<ReplyOutcome>;
  /** The outcome and what follows it (naming the chat after its first reply). */
  settled: Promise<void>;
}

export const running = singleton("running-replies", () => new Map<string, RunningReply>());

/**
 * For a process that is shutting down, after its last request: lets the replies it is writing
 * finish for up to `withinMs`, then ends the rest as interrupted, their text kept and Retry
 * offered, at once (rather than leaving them pending until another instance's sweeper finds
 * their heartbeat stale). Resolves when every outcome is in Postgres. A chat still being named
 * when time is up keeps the title it has.
 */
export async function finishRunningReplies(
  withinMs: number,
): Promise<{ finished: number; interrupted: number }> {
  const before = running.size;
  if (before === 0) return { finished: 0, interrupted: 0 };
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...running.values()].map((reply) => reply.settled)),
    new Promise((resolve) => (timer = setTimeout(resolve, withinMs))),
  ]);
  clearTimeout(timer);
  const left = [...running.values()];
  for (const reply of left) reply.interrupt();
  const outcomes = await Promise.allSettled(left.map((reply) => reply.done));
  const interrupted = outcomes.filter(
    (outcome) => outcome.status === "fulfilled" && outcome.value.status === "interrupted",
  ).length;
  return { finished: before - interrupted, interrupted };
}
