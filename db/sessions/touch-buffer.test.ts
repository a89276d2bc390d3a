import { TouchBuffer } from "./touch-buffer";

const waitFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("last-seen writes gathered", () => {
  it("writes the sessions touched within the interval together, each once, after the interval", async () => {
    const writes: string[][] = [];
    const buffer = new TouchBuffer(
      async (ids) => void writes.push(ids),
      () => {},
      50,
    );
    buffer.add("a");
    buffer.add("b");
    buffer.add("a");
    expect(writes).toEqual([]);
    await waitFor(120);
    expect(writes).toEqual([["a", "b"]]);
    buffer.add("c");
    await waitFor(120);
    expect(writes).toEqual([["a", "b"], ["c"]]);
  });

  it("splits a large batch into writes of at most 1,000 sessions", async () => {
    const writes: string[][] = [];
    const buffer = new TouchBuffer(
      async (ids) => void writes.push(ids),
      () => {},
      10_000,
    );
    for (let index = 0; index < 2_500; index += 1) buffer.add(`session-${index}`);
    await buffer.flush();
    expect(writes.map((ids) => ids.length)).toEqual([1_000, 1_000, 500]);
    expect(new Set(writes.flat()).size).toBe(2_500);
  });

  it("reports the sessions of a failed write, so they can be tried again", async () => {
    const failed: string[] = [];
    const buffer = new TouchBuffer(
      async () => {
        throw new Error("the database stopped answering");
      },
      (ids) => failed.push(...ids),
      10_000,
    );
    buffer.add("a");
    buffer.add("b");
    await buffer.flush();
    expect(failed).toEqual(["a", "b"]);
  });

  it("writes one batch at a time: touches made during a slow write wait for it", async () => {
    const writes: string[][] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const buffer = new TouchBuffer(
      async (ids) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await waitFor(100);
        writes.push(ids);
        inFlight -= 1;
      },
      () => {},
      10,
    );
    buffer.add("a");
    await waitFor(40);
    buffer.add("b");
    await waitFor(40);
    buffer.add("c");
    await waitFor(300);
    expect(writes).toEqual([["a"], ["b", "c"]]);
    expect(mostInFlight).toBe(1);
  });
});
