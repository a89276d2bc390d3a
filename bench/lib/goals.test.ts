import { evaluateGoals } from "./goals";
import { NO_RESPONSE_CACHE, type BenchResults, type RequestRow, type TabsRow } from "./results";

function run(rows: RequestRow[], tabs: TabsRow[] = [], rssMB?: number): BenchResults {
  return {
    rows,
    tabs,
    servers: rssMB === undefined ? [] : [{ name: "parley-redis", startMs: 1, rssMBAtEnd: rssMB }],
  } as unknown as BenchResults;
}

const request = (name: string, variant: string, rps: number, cpuMsPerRequest: number): RequestRow => ({
  scenario: "open-chat",
  name,
  variant,
  status: "ok",
  rps,
  cpuMsPerRequest,
});

const tab = (design: string, tabs: number, cpu: number, perTabKB: number, skipped = 0): TabsRow => ({
  tabs,
  design,
  intervalMs: 2000,
  status: "ok",
  serverCpuSecPerMin: cpu,
  memoryPerTabKB: perTabKB,
  skippedPolls: skipped,
});

const verdictOf = (results: BenchResults, goal: string) =>
  evaluateGoals(results).find((row) => row.goal.startsWith(goal))?.verdict;

describe("evaluateGoals", () => {
  it("holds warm requests to 10× and 0.1× the template, cold ones to 0.3× its CPU", () => {
    const results = run([
      {
        ...request("chat document (200 messages)", "Parley + Redis", 300, 4),
        responseCache: { hits: 99, misses: 1, hitRatio: 0.99 },
      },
      request("chat document (200 messages)", NO_RESPONSE_CACHE, 60, 13),
      request("chat data request (200 messages)", "Parley + Redis", 700, 1.4),
      request("chat data request (200 messages)", NO_RESPONSE_CACHE, 200, 3.8),
    ]);
    // 300/27 = 11.1×, 4/42 = 0.095×: met; 13/42 = 0.31×: missed.
    expect(verdictOf(results, "Chat document, warm (cached): throughput")).toBe("meets");
    expect(verdictOf(results, "Chat document, warm (cached): CPU")).toBe("meets");
    expect(verdictOf(results, "Chat document, cold")).toBe("**misses**");
    // 700/72 = 9.7×: missed; 1.4/13 = 0.108×: missed; 3.8/13 = 0.29×: met.
    expect(verdictOf(results, "Chat `.data`, warm (cached): throughput")).toBe("**misses**");
    expect(verdictOf(results, "Chat `.data`, warm (cached): CPU")).toBe("**misses**");
    expect(verdictOf(results, "Chat `.data`, cold")).toBe("meets");
    expect(verdictOf(results, "Chat list `.data`, warm")).toBe("not measured");
    const document = evaluateGoals(results).find((row) =>
      row.goal.startsWith("Chat document, warm (cached): throughput"),
    );
    expect(document?.figure).toContain("hit ratio 99.0% (99 hits, 1 misses)");
  });

  it("compares idle tabs with the SSE baseline at the same count, and active tabs with a quarter core", () => {
    const results = run(
      [],
      [
        tab("Parley polling (idle, every 15 s)", 5000, 2.5, 4),
        tab("Parley polling (active, every 2 s)", 5000, 14, 4),
        tab("held SSE connection (15 s heartbeat)", 1000, 1, 10),
        tab("held SSE connection (15 s heartbeat)", 5000, 2.8, 9),
      ],
    );
    expect(verdictOf(results, "5,000 idle tabs (15 s polls), one per person: server CPU")).toBe("meets"); // 2.5 ≤ 2.8
    expect(verdictOf(results, "5,000 idle tabs (15 s polls): memory per tab")).toBe("meets"); // 4 ≤ 4.5
    expect(verdictOf(results, "5,000 tabs away")).toBe("not measured");
    expect(verdictOf(results, "5,000 active tabs")).toBe("meets"); // 14/60 = 0.233 core
    const skipped = run([], [tab("Parley polling (active, every 2 s)", 5000, 10, 4, 3)]);
    expect(verdictOf(skipped, "5,000 active tabs")).toBe("**misses**");
  });

  it("shows what bare polling costs beside active tabs that miss a quarter core", () => {
    const results = run(
      [],
      [
        tab("Parley polling (active, every 2 s)", 5000, 24, 4),
        tab("bare node:http polling (active, every 2 s)", 5000, 30, 4),
      ],
    );
    const active = evaluateGoals(results).find((row) => row.goal.startsWith("5,000 active tabs"));
    expect(active?.verdict).toBe("**misses**"); // 24/60 = 0.4 core
    expect(active?.figure).toContain("bare node:http polling as often: 0.500 cores");
  });

  it("judges tabs away on their own, and shows what bare polling as often costs against SSE", () => {
    const results = run(
      [],
      [
        tab("Parley polling (idle, every 15 s)", 5000, 9, 7),
        tab("Parley polling (away, every 60 s)", 5000, 3, 2),
        tab("bare node:http polling (idle, every 15 s)", 5000, 6, 30),
        tab("bare node:http polling (away, every 60 s)", 5000, 2.25, 9),
        tab("held SSE connection (15 s heartbeat)", 5000, 4.5, 10),
      ],
    );
    const goals = evaluateGoals(results);
    const idleCpu = goals.find((row) => row.goal.startsWith("5,000 idle tabs (15 s polls), one per person"));
    expect(idleCpu?.verdict).toBe("**misses**"); // 9 / 4.5 = 2×
    expect(idleCpu?.figure).toContain("bare node:http polling as often: 1.33×");
    const idleMemory = goals.find((row) => row.goal.startsWith("5,000 idle tabs (15 s polls): memory"));
    expect(idleMemory?.figure).toContain("bare node:http polling as often: 30.0 kB, 3.00×");
    expect(verdictOf(results, "5,000 tabs away (60 s polls: no input for 10 minutes), one per person")).toBe(
      "meets",
    ); // 3 / 4.5
    expect(verdictOf(results, "5,000 tabs away (60 s polls: no input for 10 minutes): memory")).toBe("meets"); // 2 / 10
    const awayCpu = goals.find((row) =>
      row.goal.startsWith("5,000 tabs away (60 s polls: no input for 10 minutes), one"),
    );
    expect(awayCpu?.figure).toContain("bare node:http polling as often: 0.50×");
  });

  it("does not judge memory per tab when the collected RSS was lower with the tabs than without them", () => {
    const results = run(
      [],
      [
        tab("Parley polling (idle, every 15 s)", 5000, 9, -2.5),
        tab("held SSE connection (15 s heartbeat)", 5000, 4.5, 10),
      ],
    );
    const memory = evaluateGoals(results).find((row) =>
      row.goal.startsWith("5,000 idle tabs (15 s polls): memory per tab"),
    );
    expect(memory?.verdict).toBe("not measured");
    expect(memory?.figure).toContain("lower with the tabs than before them");
  });

  it("says when the tab goals were measured at another count", () => {
    const results = run(
      [],
      [
        tab("Parley polling (idle, every 15 s)", 1000, 3, 20),
        tab("held SSE connection (15 s heartbeat)", 1000, 1, 10),
      ],
    );
    const idle = evaluateGoals(results).find((row) => row.goal.includes("server CPU against the SSE"));
    expect(idle?.verdict).toBe("**misses**");
    expect(idle?.figure).toContain("at 1000 tabs, not 5000");
  });

  it("holds the sync check to the ceiling and memory to a quarter of the template", () => {
    const results = run(
      [
        { ...request("sync check", "Parley + Redis", 9900, 0.08), scenario: "sync" },
        { ...request("sync check", "bare node:http ceiling", 10000, 0.08), scenario: "sync" },
      ],
      [],
      360,
    );
    expect(verdictOf(results, "Sync check")).toBe("**misses**"); // 0.99× < 1.0×
    expect(verdictOf(results, "RSS after the whole run")).toBe("**misses**"); // 360 > 358.5
  });
});
