import type { ReplyOutcome } from "./reply-runner.server";
import { finishRunningReplies, running, type RunningReply } from "./running-replies.server";

/**
 * What a stopping process does with the replies it is writing: waits for them within the time
 * it is given, then interrupts the rest and waits for their outcome to be written.
 */

function fakeReply(id: string, finishesAfterMs: number | null) {
  let finish: (outcome: ReplyOutcome) => void = () => undefined;
  const done = new Promise<ReplyOutcome>((resolve) => (finish = resolve));
  const settled = done.then(() => void running.delete(id));
  const entry: RunningReply = {
    stop: () => undefined,
    interrupt: () => finish({ status: "interrupted", text: "partial", error: "The reply was interrupted." }),
    done,
    settled,
  };
  if (finishesAfterMs !== null)
    setTimeout(() => finish({ status: "complete", text: "all" }), finishesAfterMs);
  running.set(id, entry);
  return entry;
}

describe("finishRunningReplies", () => {
  afterEach(() => running.clear());

  it("resolves at once when nothing is being written", async () => {
    expect(await finishRunningReplies(5_000)).toEqual({ finished: 0, interrupted: 0 });
  });

  it("lets replies finish within the time given, without interrupting them", async () => {
    const reply = fakeReply("a", 50);
    const started = Date.now();
    expect(await finishRunningReplies(5_000)).toEqual({ finished: 1, interrupted: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await reply.done).status).toBe("complete");
  });

  it("interrupts what is still running when the time is up, and waits for its outcome", async () => {
    const quick = fakeReply("quick", 20);
    const endless = fakeReply("endless", null);
    expect(await finishRunningReplies(200)).toEqual({ finished: 1, interrupted: 1 });
    expect((await quick.done).status).toBe("complete");
    expect((await endless.done).status).toBe("interrupted");
  });
});
