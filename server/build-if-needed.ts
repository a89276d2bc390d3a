import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What `npm run build` reads: the Remix app and, for build/server.js, the server around it. */
const SOURCES = ["app", "db", "migrations", "server", "remix.config.js", "package.json"];

/** What `npm run build` writes: the Remix server build and the bundled server that loads it. */
const BUILD_OUTPUTS = ["build/index.js", "build/server.js"];

function newestMtime(target: string): number {
  const info = statSync(target, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function npmRunBuild(root: string): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
}

/**
 * `npm start` on a fresh clone, or after an edit, builds first; otherwise it starts at once.
 * Returns whether it built.
 */
export function buildIfNeeded(
  root: string,
  log: (message: string) => void,
  build: (root: string) => void = npmRunBuild,
): boolean {
  // A missing output counts as written at time 0: older than any source.
  const built = Math.min(...BUILD_OUTPUTS.map((output) => newestMtime(path.join(root, output))));
  const sources = Math.max(...SOURCES.map((source) => newestMtime(path.join(root, source))));
  if (built >= sources) return false;
  log(built === 0 ? "no build yet: building" : "sources changed since the last build: building");
  build(root);
  return true;
}
