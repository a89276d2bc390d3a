import { PollScheduler } from "./scheduler";

describe("PollScheduler", () => {
  it("spreads N tabs evenly over the interval, in order, then repeats every interval", () => {
    const scheduler = new PollScheduler({ tabs: 4, intervalMs: 1000, startAt: 0 });
    const fired: Array<[number, number]> = [];
    scheduler.advance(999, (tab, due) => {
      fired.push([tab, due]);
      scheduler.complete(tab);
    });
    expect(fired).toEqual([
      [0, 125],
      [1, 375],
      [2, 625],
      [3, 875],
    ]);
    fired.length = 0;
    scheduler.advance(1400, (tab, due) => {
      fired.push([tab, due]);
      scheduler.complete(tab);
    });
    expect(fired).toEqual([
      [0, 1125],
      [1, 1375],
    ]);
    expect(scheduler.nextDueAt()).toBe(1625);
    expect(scheduler.skipped).toBe(0);
    expect(scheduler.started).toBe(6);
  });

  it("counts a poll as skipped when the same tab's previous poll is still in flight", () => {
    const scheduler = new PollScheduler({ tabs: 2, intervalMs: 100, startAt: 0 });
    const fired: number[] = [];
    // Round 0: both tabs fire (due 25 and 75); neither completes.
    scheduler.advance(80, (tab) => fired.push(tab));
    expect(fired).toEqual([0, 1]);
    // Tab 1 completes; round 1: tab 0 (due 125) is still in flight -> skipped; tab 1 (175) fires.
    scheduler.complete(1);
    scheduler.advance(180, (tab) => fired.push(tab));
    expect(fired).toEqual([0, 1, 1]);
    expect(scheduler.skipped).toBe(1);
    expect(scheduler.inFlightCount).toBe(2);
    // After tab 0 completes it polls again at its next beat.
    scheduler.complete(0);
    scheduler.advance(230, (tab) => fired.push(tab));
    expect(fired).toEqual([0, 1, 1, 0]);
    expect(scheduler.skipped).toBe(1);
  });

  it("catches up after a stall: every missed beat of a busy tab is a skip, a free tab fires once per beat", () => {
    const scheduler = new PollScheduler({ tabs: 1, intervalMs: 10, startAt: 0 });
    let firedCount = 0;
    scheduler.advance(5, () => {
      firedCount += 1;
    });
    // The poll hangs for 10 beats.
    scheduler.advance(100, () => {
      firedCount += 1;
    });
    expect(firedCount).toBe(1);
    expect(scheduler.skipped).toBe(9);
    scheduler.complete(0);
    expect(() => scheduler.complete(0)).toThrow(/no poll in flight/);
  });

  it("rejects nonsense", () => {
    expect(() => new PollScheduler({ tabs: 0, intervalMs: 10, startAt: 0 })).toThrow();
    expect(() => new PollScheduler({ tabs: 2, intervalMs: 0, startAt: 0 })).toThrow();
  });
});
