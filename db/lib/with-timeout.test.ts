import { describe, expect, it } from "vitest";
import { TimeoutElapsedError, withTimeout } from "./with-timeout";

const never = new Promise<never>(() => {});

describe("withTimeout", () => {
  it("settles like the promise when it answers in time", async () => {
    await expect(withTimeout(Promise.resolve("answer"), 1_000)).resolves.toBe("answer");
    const failure = new Error("refused");
    await expect(withTimeout(Promise.reject(failure), 1_000)).rejects.toBe(failure);
  });

  it("rejects with TimeoutElapsedError, carrying the deadline, when the promise is too slow", async () => {
    const started = performance.now();
    const error = await withTimeout(never, 50).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TimeoutElapsedError);
    expect(error).toMatchObject({ ms: 50, message: "no answer within 50 ms" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("ignores a late answer or failure of the promise after the deadline", async () => {
    let fail!: (error: Error) => void;
    const late = new Promise<never>((_, reject) => (fail = reject));
    const timedOut = withTimeout(late, 20);
    await expect(timedOut).rejects.toBeInstanceOf(TimeoutElapsedError);
    // Would surface as an unhandled rejection (and fail the run) if nobody listened any more.
    fail(new Error("too late"));
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});
