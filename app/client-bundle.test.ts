import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The classic Remix compiler does not enforce `.server` boundaries at build time: if a
 * browser module imported server code, the database driver or a secret would ship to every
 * visitor. This reads the built browser bundle (`npm test` builds first) and fails on any sign
 * of server-only code.
 */
const BUILD_DIR = path.resolve("public/build");

function bundleFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? bundleFiles(full) : full.endsWith(".js") ? [full] : [];
  });
}

const FORBIDDEN: Array<[string, RegExp]> = [
  ["pg (node-postgres)", /from\s*"pg"|pg-pool|pg-protocol|new Pool\(|pgpass|postgres:\/\//],
  ["node-redis", /from\s*"redis"|@redis\/client|RESP_TYPES|redis:\/\//],
  ["kysely", /kysely|PostgresDialect|Migrator/],
  ["PGlite", /pglite|PGlite/],
  ["server configuration", /SESSION_SECRET|LLM_API_KEY|DATABASE_URL|REDIS_URL/],
  ["node built-ins", /from\s*"node:(fs|net|child_process|crypto)"/],
];

describe("browser bundle", () => {
  const files = existsSync(BUILD_DIR) ? bundleFiles(BUILD_DIR) : [];

  it("exists (npm test builds before running this)", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(FORBIDDEN)("contains no %s", (_name, pattern) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(file, "utf8")));
    expect(offenders.map((file) => path.relative(BUILD_DIR, file))).toEqual([]);
  });

  it("contains no session secret from this machine", () => {
    const secretFile = path.resolve(".data/session-secret");
    const secrets = [
      process.env.SESSION_SECRET,
      existsSync(secretFile) ? readFileSync(secretFile, "utf8").trim() : undefined,
    ].filter((secret): secret is string => Boolean(secret && secret.length >= 16));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const secret of secrets)
        expect(text.includes(secret), `${file} contains a session secret`).toBe(false);
    }
  });
});
