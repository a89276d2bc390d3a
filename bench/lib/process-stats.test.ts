import {
  cpuDelta,
  cpuSeconds,
  memory,
  parseCpuSeconds,
  parseMachineBusy,
  parseStatus,
} from "./process-stats";

describe("process stats parsing", () => {
  it("reads utime + stime even when the command name holds spaces and parentheses", () => {
    const stat = "1234 (node (tsx) x) S 1 1234 1234 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 11 0 100 0 0";
    expect(parseCpuSeconds(stat)).toBe(3.25);
  });

  it("reads VmRSS and VmHWM in bytes", () => {
    const status = "Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n";
    expect(parseStatus(status)).toEqual({ rss: 100 * 1024 * 1024, peakRss: 200 * 1024 * 1024 });
  });

  it("measures this very process", () => {
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(memory(process.pid).rss).toBeGreaterThan(1024 * 1024);
    expect(cpuSeconds(2 ** 22 + 12345)).toBeNaN();
  });

  it("reads the machine's busy time in processes from /proc/stat (user, nice, system)", () => {
    expect(parseMachineBusy("cpu  100 5 50 9000 40 3 2 0 0 0\ncpu0 1 2 3\n")).toBe(1.55);
  });

  it("counts CPU of a changing set of processes", () => {
    const before = new Map([
      [1, 10],
      [2, 5],
    ]);
    const after = new Map([
      [1, 12],
      [3, 0.5],
    ]);
    expect(cpuDelta(before, after)).toBe(2.5);
  });
});
