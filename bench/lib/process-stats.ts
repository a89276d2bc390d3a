import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * Process figures read from /proc (Linux): CPU time (utime + stime, every thread, including
 * libuv's pool and V8's helpers), resident memory and open sockets. Reading /proc costs the
 * measured process nothing.
 */
const TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` is 100 on every Linux this runs on.

/** CPU seconds (user + system) the process has used so far; NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    return parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return Number.NaN;
  }
}

/** Parses /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses. */
export function parseCpuSeconds(stat: string): number {
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields after the name start at field 3 (state); utime is field 14, stime field 15.
  const utime = Number(afterName[14 - 3]);
  const stime = Number(afterName[15 - 3]);
  return (utime + stime) / TICKS_PER_SECOND;
}

export interface MemoryFigures {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size (VmHWM), bytes. */
  peakRss: number;
}

export function memory(pid: number): MemoryFigures {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return { rss: Number.NaN, peakRss: Number.NaN };
  }
}

export function parseStatus(status: string): MemoryFigures {
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  };
  return { rss: kb("VmRSS"), peakRss: kb("VmHWM") };
}

/** Open sockets of a process (every socket fd: TCP, listening and Unix). */
export function openSockets(pid: number): number {
  let count = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) count += 1;
      } catch {
        // closed while we looked
      }
    }
  } catch {
    return Number.NaN;
  }
  return count;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** CPU of a set of processes (e.g. Postgres backends) at one moment. */
export function cpuOfEach(pids: number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    const seconds = cpuSeconds(pid);
    if (Number.isFinite(seconds)) result.set(pid, seconds);
  }
  return result;
}

/**
 * CPU used between two samples of a changing set of processes: processes present at both
 * count their difference, processes that appeared count in full (they started inside the
 * window); processes that vanished are lost (an under-count, noted in the README).
 */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/**
 * Waits until the process has used less than `idleCpuFraction` of a core over a `windowMs`
 * window (its background work, e.g. assistant replies, is done), or `maxMs` passed.
 * Resolves the time it waited.
 */
export async function waitForQuiet(
  pid: number,
  options: { windowMs?: number; idleCpuFraction?: number; maxMs?: number } = {},
): Promise<{ waitedMs: number; quiet: boolean }> {
  const windowMs = options.windowMs ?? 500;
  const idle = options.idleCpuFraction ?? 0.03;
  const maxMs = options.maxMs ?? 30_000;
  const started = Date.now();
  let last = cpuSeconds(pid);
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = cpuSeconds(pid);
    if (!Number.isFinite(now)) return { waitedMs: Date.now() - started, quiet: false };
    if (now - last < (idle * windowMs) / 1000) return { waitedMs: Date.now() - started, quiet: true };
    last = now;
  }
  return { waitedMs: Date.now() - started, quiet: false };
}

/**
 * CPU seconds the whole machine has spent busy (all cores, all processes) since boot, from
 * the first line of /proc/stat. Compared with what the bench's own processes used over the
 * same window, it shows how much other load (someone else's build, tests) shared the machine.
 */
export function machineBusySeconds(): number {
  try {
    return parseMachineBusy(readFileSync("/proc/stat", "utf8"));
  } catch {
    return Number.NaN;
  }
}

export function parseMachineBusy(stat: string): number {
  const fields = stat.split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal. Only time spent in processes (user, nice,
  // system) is comparable with processes' utime + stime; interrupt time is left out.
  const [user, nice, system] = fields;
  return (user + nice + system) / TICKS_PER_SECOND;
}

/** CPU seconds of every process on the machine right now (for naming who else was busy). */
export function snapshotProcesses(): Map<number, number> {
  const snapshot = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return snapshot;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const seconds = cpuSeconds(Number(entry));
    if (Number.isFinite(seconds)) snapshot.set(Number(entry), seconds);
  }
  return snapshot;
}

function commandLine(pid: number): string {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    if (text) return text.length > 70 ? `${text.slice(0, 67)}...` : text;
  } catch {
    // gone
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return `pid ${pid}`;
  }
}

/**
 * The processes that used the most CPU between two snapshots, leaving out `exclude`
 * (the bench's own), as "command (cores)" strings, busiest first.
 */
export function busiestOthers(
  before: Map<number, number>,
  after: Map<number, number>,
  seconds: number,
  exclude: Set<number>,
  count = 3,
): string[] {
  const deltas: Array<[number, number]> = [];
  for (const [pid, cpu] of after) {
    if (exclude.has(pid)) continue;
    const delta = cpu - (before.get(pid) ?? 0);
    if (delta / seconds >= 0.05) deltas.push([pid, delta]);
  }
  return deltas
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([pid, delta]) => `${commandLine(pid)} (${(delta / seconds).toFixed(2)} cores)`);
}
