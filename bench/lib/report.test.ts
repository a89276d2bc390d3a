import { fmt, kB, rate, renderMarkdown, table, verdict } from "./report";
import type { BenchResults } from "./results";

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    version: 1,
    mode: "quick",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:00.000Z",
    wallSeconds: 60,
    machine: {
      cpuModel: "Test CPU",
      cores: 2,
      memoryGiB: 8,
      kernel: "Linux 6",
      node: "v20.0.0",
      postgres: "15.0",
      redis: "7.0.0",
      pglite: "0.4.6",
      autocannon: "8.0.0",
      openFilesLimit: "soft 1024, hard 4096",
      ephemeralPorts: "32768-60999",
      hostname: "test",
    },
    dataset: {
      postgres: {
        plan: {
          users: 10,
          chatsPerUser: 2,
          busyChats: 1,
          busyMessages: 200,
          regularMessagesMin: 2,
          regularMessagesMax: 4,
        },
        counts: { users: 10, chats: 20, messages: 250, messageBytes: 100_000 },
        seedSeconds: 1,
      },
    },
    settings: { connections: 10 },
    routes: { "chat document": "ok", "send (fetcher)": "unavailable: 404" },
    rows: [
      {
        scenario: "open-chat",
        name: "chat document (200 messages)",
        variant: "Parley + Redis",
        status: "ok",
        rps: 540,
        p50Ms: 15,
        p99Ms: 40,
        bytesPerResponse: 20_000,
        cpuMsPerRequest: 3,
      },
      {
        scenario: "open-chat",
        name: "chat data request (200 messages)",
        variant: "Parley + Redis",
        status: "ok",
        rps: 100,
        p50Ms: 50,
        p99Ms: 90,
        bytesPerResponse: 9_000,
        cpuMsPerRequest: 9,
      },
      {
        scenario: "list",
        name: "chat list data request",
        variant: "Parley + Redis",
        status: "unavailable",
        note: "unavailable: 404",
      },
      {
        scenario: "sync",
        name: "sync check",
        variant: "Parley + Redis",
        status: "ok",
        rps: 3000,
        p99Ms: 9,
        cpuMsPerRequest: 0.3,
      },
      {
        scenario: "sync",
        name: "sync check",
        variant: "bare node:http ceiling",
        status: "ok",
        rps: 8000,
        p99Ms: 4,
        cpuMsPerRequest: 0.12,
      },
    ],
    pageWeights: [],
    accounting: [],
    tabs: [
      {
        tabs: 1000,
        design: "held SSE connection (15 s heartbeat)",
        intervalMs: 15000,
        status: "ok",
        serverRssMB: 60,
        serverCpuSecPerMin: 2,
        openSockets: 1001,
        delayP50Ms: 40,
        delayP99Ms: 60,
        errors: 0,
      },
    ],
    servers: [{ name: "parley-redis", startMs: 1000, rssMBAtEnd: 300 }],
    problems: ['route "send (fetcher)": unavailable: 404'],
    ...overrides,
  };
}

describe("report helpers", () => {
  it("formats numbers and sizes, and never prints NaN", () => {
    expect(fmt(1234.5)).toBe("1,235");
    expect(fmt(12.345, 2)).toBe("12.35");
    expect(fmt(Number.NaN)).toBe("–");
    expect(fmt(undefined)).toBe("–");
    expect(kB(2048)).toBe("2.0 kB");
    expect(rate(8.24)).toBe("8.2");
    expect(rate(3031.4)).toBe("3,031");
    expect(kB(150 * 1024)).toBe("150 kB");
  });

  it("marks a missed goal loudly, in both directions", () => {
    expect(verdict(12, 10, true)).toBe("meets");
    expect(verdict(8, 10, true)).toBe("**misses**");
    expect(verdict(0.05, 0.1, false)).toBe("meets");
    expect(verdict(0.2, 0.1, false)).toBe("**misses**");
    expect(verdict(undefined, 1, true)).toBe("not measured");
  });

  it("builds a Markdown table with escaped pipes", () => {
    expect(table(["a", "b"], [["1", "x|y"]])).toBe("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
  });
});

describe("renderMarkdown", () => {
  const markdown = renderMarkdown(results());

  it("records the machine", () => {
    expect(markdown).toContain("Machine: 2 cores (Test CPU), 8 GiB");
    expect(markdown).toContain("Postgres 15.0; Redis 7.0.0");
  });

  it("compares with the template and says where Parley loses", () => {
    // 540/27 = 20x and 3/42 = 0.07x: the document meets both goals.
    expect(markdown).toMatch(
      /\| Chat page document \| 27\/s, 42 ms \| 540\/s.*\| 20\.0× \| meets .*\| 0\.07× \| meets /,
    );
    // 100/72 = 1.4x and 9/13 = 0.69x: the data request misses both.
    expect(markdown).toMatch(
      /\| 200-message fetch \(data request\) .*\| 1\.4× \| \*\*misses\*\* .*\| 0\.69× \| \*\*misses\*\* /,
    );
    expect(markdown).toContain("| Chat list (data request) | 127/s, 7 ms | unavailable: 404 |");
  });

  it("puts the sync check next to its ceiling and judges the goal", () => {
    expect(markdown).toContain("| Parley + Redis | 3,000 | 9.00 | 300 | 0.38× | 2.50× | ok |");
    expect(markdown).toContain("0.38× — **misses**");
  });

  it("lists unavailable routes and problems instead of failing", () => {
    expect(markdown).toContain("send (fetcher) unavailable: 404");
    expect(markdown).toContain("## Problems found in this run");
    expect(markdown).toContain("| 1000 | held SSE connection (15 s heartbeat) | 60 | – | – | – | 2.00 |");
  });
});
