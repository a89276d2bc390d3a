import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnChild } from "./children";
import type { Fixture, SeedPlan } from "./seed";

/**
 * The embedded configuration's data: a PGlite data directory seeded by a separate process
 * and kept in a cache under the OS temp directory, keyed by everything that shapes it (plan,
 * migrations, seed code, PGlite version, secret). Each run copies it, so the app can write.
 */
export interface EmbeddedData {
  /** The app's DATA_DIR (PGlite lives in DATA_DIR/pglite). */
  dataDir: string;
  fixture: Fixture;
  cached: boolean;
}

export function startEmbeddedSeed(
  root: string,
  plan: SeedPlan,
  secret: string,
  runDir: string,
  logDir: string,
): () => Promise<EmbeddedData> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(plan));
  hash.update(secret);
  hash.update(readdirSync(path.join(root, "migrations")).sort().join(","));
  hash.update(readFileSync(path.join(root, "bench/lib/seed.ts")));
  hash.update(readFileSync(path.join(root, "node_modules/@electric-sql/pglite/package.json")));
  const cacheDir = path.join(os.tmpdir(), "parley-bench-cache", `pglite-${hash.digest("hex").slice(0, 16)}`);
  const target = path.join(runDir, "embedded");
  const finish = (cached: boolean): EmbeddedData => {
    mkdirSync(target, { recursive: true });
    cpSync(path.join(cacheDir, "pglite"), path.join(target, "pglite"), { recursive: true });
    const fixture = JSON.parse(readFileSync(path.join(cacheDir, "fixture.json"), "utf8")) as Fixture;
    return { dataDir: target, fixture, cached };
  };
  if (existsSync(path.join(cacheDir, "fixture.json"))) return async () => finish(true);

  const building = `${cacheDir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const child = spawnChild(
    "seed-pglite",
    [
      "node",
      "--import",
      "tsx",
      path.join(root, "bench/lib/seed-pglite-cli.ts"),
      path.join(building, "pglite"),
      path.join(building, "fixture.json"),
      JSON.stringify(plan),
      secret,
    ],
    { cwd: root, env: { NODE_ENV: "production" }, logDir },
  );
  return async () => {
    const code = await child.exited;
    if (code !== "0") throw new Error(`seeding PGlite failed (${code}):\n${child.tail()}`);
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(building, cacheDir);
    return finish(false);
  };
}
