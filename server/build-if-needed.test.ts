import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildIfNeeded } from "./build-if-needed";

let root: string;

function write(file: string, atSeconds: number) {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, "x");
  utimesSync(target, atSeconds, atSeconds);
}

/** A checkout whose sources were last written at `sourcesAt` (seconds since the epoch). */
function checkout(sourcesAt: number) {
  const files = ["app/root.tsx", "app/routes/_app/route.tsx", "db/client.ts", "migrations/one.ts"];
  for (const file of [...files, "server/start.ts", "remix.config.js", "package.json"]) write(file, sourcesAt);
  // Creating the files wrote their folders just now; a checkout's folders are as old as it is.
  for (const dir of ["app/routes/_app", "app/routes", "app", "db", "migrations", "server"])
    utimesSync(path.join(root, dir), sourcesAt, sourcesAt);
}

function run() {
  const builds: string[] = [];
  const logged: string[] = [];
  const built = buildIfNeeded(
    root,
    (message) => logged.push(message),
    (at) => builds.push(at),
  );
  return { built, builds, logged };
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "parley-build-if-needed-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("buildIfNeeded", () => {
  it("builds a fresh clone, which has no build", () => {
    checkout(1_000);
    expect(run()).toEqual({ built: true, builds: [root], logged: ["no build yet: building"] });
  });

  it("starts at once when both outputs are newer than every source", () => {
    checkout(1_000);
    write("build/index.js", 2_000);
    write("build/server.js", 2_000);
    expect(run()).toEqual({ built: false, builds: [], logged: [] });
  });

  it("builds when the bundled server is missing, though the Remix build is there", () => {
    checkout(1_000);
    write("build/index.js", 2_000);
    expect(run().built).toBe(true);
  });

  it("builds after an edit to the server's own code, which only build/server.js holds", () => {
    checkout(1_000);
    write("build/index.js", 2_000);
    write("build/server.js", 2_000);
    write("server/start.ts", 3_000);
    expect(run()).toMatchObject({ built: true, logged: ["sources changed since the last build: building"] });
  });

  it("builds after an edit deep in the app, which leaves its folders' times alone", () => {
    checkout(1_000);
    write("build/index.js", 2_000);
    write("build/server.js", 2_000);
    write("app/routes/_app/route.tsx", 3_000);
    expect(run().built).toBe(true);
  });
});
