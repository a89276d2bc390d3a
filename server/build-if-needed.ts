import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "db", "migrations", "remix.config.js", "package.json"];

function newestMtime(target: string): number {
  const info = statSync(target, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** `npm start` on a fresh clone, or after an edit, builds first; otherwise it starts at once. */
export function buildIfNeeded(root: string, log: (message: string) => void): void {
  const output = path.join(root, "build", "index.js");
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((source) => newestMtime(path.join(root, source))));
  if (built >= sources) return;
  log(built === 0 ? "no build yet: building" : "sources changed since the last build: building");
  execFileSync(path.join(root, "node_modules", ".bin", "remix"), ["build"], { cwd: root, stdio: "inherit" });
}
