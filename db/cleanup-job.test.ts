import { scheduleCleanup } from "./cleanup-job";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("scheduleCleanup", () => {
  it("runs after the first delay, then again after each run, never two at once, and stops", async () => {
    let runs = 0;
    let running = 0;
    let mostAtOnce = 0;
    const schedule = scheduleCleanup(
      async () => {
        runs += 1;
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(60); // longer than the interval: the next run waits for this one
        running -= 1;
      },
      { intervalMs: 20, firstDelayMs: 50 },
    );
    await sleep(30);
    expect(runs).toBe(0);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 2000 });
    await schedule.stop();
    expect(running).toBe(0); // stop waited for the run in progress
    const stoppedAt = runs;
    await sleep(150);
    expect(runs).toBe(stoppedAt);
    expect(mostAtOnce).toBe(1);
  });
});
