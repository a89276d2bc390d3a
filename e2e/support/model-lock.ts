import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * The fake model's queue is global: with two workers, a test that enqueues a scripted reply
 * could see it taken by another worker's message (or by the title namer that runs after a
 * chat's first reply). This is a cross-worker readers/writer lock on the local filesystem:
 *
 * - "shared": the test talks to the fake model with its default reply. Any number at once.
 * - "exclusive": the test scripts the queue. No shared holder may run meanwhile.
 *
 * Writers take priority (readers back off while a writer waits). Locks of dead processes are
 * cleaned up, so a crashed worker cannot wedge the run. The directory is keyed by the
 * Playwright runner's pid (the workers' parent), so runs never share it.
 */
export type ModelAccess = "shared" | "exclusive" | "none";

const root = path.join(tmpdir(), `parley-e2e-model-lock-${process.ppid}`);
const writerDir = path.join(root, "writer");
const readersDir = path.join(root, "readers");
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True while another live process holds (or is taking) the writer lock. */
function writerActive(): boolean {
  let owner: string;
  try {
    owner = readFileSync(path.join(writerDir, "owner"), "utf8");
  } catch {
    try {
      // Created but no owner yet: being taken right now, unless it is old (a crash in between).
      return Date.now() - statSync(writerDir).mtimeMs < 5_000;
    } catch {
      return false;
    }
  }
  if (alive(Number(owner))) return true;
  rmSync(writerDir, { recursive: true, force: true });
  return false;
}

function liveReaders(): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(readersDir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    if (alive(Number(name.split("-")[0]))) return true;
    rmSync(path.join(readersDir, name), { force: true });
    return false;
  });
}

export async function acquireModelLock(access: ModelAccess): Promise<() => void> {
  if (access === "none") return () => {};
  mkdirSync(readersDir, { recursive: true });

  if (access === "shared") {
    const mine = path.join(readersDir, `${process.pid}-${randomBytes(6).toString("hex")}`);
    for (;;) {
      if (writerActive()) {
        await sleep(POLL_MS);
        continue;
      }
      writeFileSync(mine, "");
      // A writer that arrived in between sees this file, or this check sees the writer.
      if (!writerActive()) return () => rmSync(mine, { force: true });
      rmSync(mine, { force: true });
      await sleep(POLL_MS);
    }
  }

  for (;;) {
    try {
      mkdirSync(writerDir);
      writeFileSync(path.join(writerDir, "owner"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      writerActive(); // removes a dead writer's lock
      await sleep(POLL_MS);
    }
  }
  while (liveReaders().length > 0) await sleep(POLL_MS);
  return () => rmSync(writerDir, { recursive: true, force: true });
}
