import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, databaseTimeouts, parseConfig } from "./config.server";

const quiet = () => {};

describe("parseConfig", () => {
  it("applies the embedded defaults when nothing is set", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const config = parseConfig({ DATA_DIR: dataDir }, quiet);
    expect(config.embeddedDatabase).toBe(true);
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.PORT).toBe(3000);
    expect(config.MESSAGE_MAX_CHARS).toBe(16_000);
  });

  it("keeps a generated development secret in DATA_DIR and reuses it", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const warnings: string[] = [];
    const first = parseConfig({ DATA_DIR: dataDir }, (line) => warnings.push(line));
    const second = parseConfig({ DATA_DIR: dataDir }, (line) => warnings.push(line));
    expect(first.SESSION_SECRET).toHaveLength(43);
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET);
    expect(readFileSync(path.join(dataDir, "session-secret"), "utf8").trim()).toBe(first.SESSION_SECRET);
    expect(warnings).toHaveLength(1);
  });

  it("reads every limit as a number, or null when it is off", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const defaults = parseConfig({ DATA_DIR: dataDir }, quiet);
    expect(defaults.MESSAGES_PER_HOUR).toBe(100);
    expect(defaults.GUEST_MESSAGES_PER_HOUR).toBe(20);
    expect(defaults.TRUST_PROXY).toBe(false);
    const set = parseConfig(
      { DATA_DIR: dataDir, MESSAGES_PER_HOUR: " 3 ", CHATS_PER_HOUR: "Off", TRUST_PROXY: "True" },
      quiet,
    );
    expect(set.MESSAGES_PER_HOUR).toBe(3);
    expect(set.CHATS_PER_HOUR).toBeNull();
    expect(set.TRUST_PROXY).toBe(true);
    try {
      parseConfig(
        { DATA_DIR: dataDir, GUESTS_PER_IP_PER_HOUR: "0", MESSAGES_PER_HOUR: "1.5", TRUST_PROXY: "yes" },
        quiet,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.sort()).toEqual([
        'GUESTS_PER_IP_PER_HOUR: must be a positive whole number or "off"',
        'MESSAGES_PER_HOUR: must be a positive whole number or "off"',
        'TRUST_PROXY: must be "true" or "false"',
      ]);
    }
  });

  it("reports one line per bad variable", () => {
    try {
      parseConfig(
        { PORT: "eighty", DATABASE_URL: "not a url", LOG_LEVEL: "loud", SESSION_SECRET: "short" },
        quiet,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((line) => line.split(":")[0]).sort()).toEqual([
        "DATABASE_URL",
        "LOG_LEVEL",
        "PORT",
        "SESSION_SECRET",
      ]);
    }
  });

  it("bounds the in-process store by bytes, and says so to whoever still sets the old entry count", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const warnings: string[] = [];
    const config = parseConfig(
      { DATA_DIR: dataDir, SESSION_SECRET: "x".repeat(32), MEMORY_STORE_MAX_ENTRIES: "50000" },
      (line) => warnings.push(line),
    );
    expect(config.MEMORY_STORE_MAX_BYTES).toBe(64 * 1024 * 1024);
    expect(warnings).toEqual([expect.stringMatching(/^MEMORY_STORE_MAX_ENTRIES is no longer read/)]);
    expect(
      parseConfig({ DATA_DIR: dataDir, MEMORY_STORE_MAX_BYTES: "1048576" }, quiet).MEMORY_STORE_MAX_BYTES,
    ).toBe(1_048_576);
  });

  it("bounds every wait for the database by default, Postgres's own limit below the client's", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const config = parseConfig({ DATA_DIR: dataDir }, quiet);
    expect(databaseTimeouts(config)).toEqual({
      connectMs: 3000,
      queryMs: 4000,
      statementMs: 3000,
      lockMs: 2000,
      idleInTransactionMs: 10_000,
    });
    expect(() =>
      parseConfig({ DATA_DIR: dataDir, DB_STATEMENT_TIMEOUT_MS: "5000", DB_QUERY_TIMEOUT_MS: "5000" }, quiet),
    ).toThrow(/DB_STATEMENT_TIMEOUT_MS: must be below DB_QUERY_TIMEOUT_MS/);
    expect(() => parseConfig({ DATA_DIR: dataDir, DB_QUERY_TIMEOUT_MS: "0" }, quiet)).toThrow(
      /DB_QUERY_TIMEOUT_MS/,
    );
  });

  it("requires SESSION_SECRET in production", () => {
    expect(() => parseConfig({ NODE_ENV: "production" }, quiet)).toThrow(/SESSION_SECRET: required/);
  });

  it("treats an empty URL as unset", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const config = parseConfig(
      { DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: " ", LLM_MODEL: "", PORT: "" },
      quiet,
    );
    expect(config.LLM_MODEL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.embeddedDatabase).toBe(true);
    expect(config.REDIS_URL).toBeUndefined();
  });

  it("keeps ORIGIN as the origin a browser would send, and refuses anything more", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const origin = (value: string) => parseConfig({ DATA_DIR: dataDir, ORIGIN: value }, quiet).ORIGIN;
    expect(origin("https://Chat.Example.com")).toBe("https://chat.example.com");
    expect(origin("https://chat.example.com:443/")).toBe("https://chat.example.com");
    expect(origin("http://localhost:8080")).toBe("http://localhost:8080");
    for (const bad of ["chat.example.com", "ftp://chat.example.com", "https://chat.example.com/parley"]) {
      expect(() => origin(bad), bad).toThrow(/ORIGIN: must be/);
    }
    expect(() => origin("https://user:pw@chat.example.com")).toThrow(/ORIGIN: must be an origin only/);
  });

  it("wants an operator token long enough not to be guessed", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    expect(parseConfig({ DATA_DIR: dataDir }, quiet).OPERATOR_TOKEN).toBeUndefined();
    expect(() => parseConfig({ DATA_DIR: dataDir, OPERATOR_TOKEN: "short" }, quiet)).toThrow(
      /OPERATOR_TOKEN: must be at least 32 characters/,
    );
  });

  it("opens sign-ups and guests by default, and reads the instance's account settings", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const defaults = parseConfig({ DATA_DIR: dataDir }, quiet);
    expect(defaults).toMatchObject({
      SIGNUPS: "open",
      GUESTS: "on",
      SESSION_IDLE_DAYS: 30,
      SESSION_MAX_DAYS: 365,
    });
    const family = parseConfig(
      { DATA_DIR: dataDir, SIGNUPS: "closed", GUESTS: "off", SESSION_IDLE_DAYS: "7", SESSION_MAX_DAYS: "90" },
      quiet,
    );
    expect(family).toMatchObject({
      SIGNUPS: "closed",
      GUESTS: "off",
      SESSION_IDLE_DAYS: 7,
      SESSION_MAX_DAYS: 90,
    });
    expect(() => parseConfig({ DATA_DIR: dataDir, SIGNUPS: "maybe", GUESTS: "yes" }, quiet)).toThrow(
      /SIGNUPS: .*\n.*GUESTS: /s,
    );
  });

  it("behind PgBouncer, requires a direct migration URL; otherwise migrations use DATABASE_URL", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-config-"));
    const pooled = "postgres://parley@127.0.0.1:6432/parley";
    const direct = "postgres://parley@127.0.0.1:5432/parley";
    const plain = parseConfig({ DATA_DIR: dataDir, DATABASE_URL: direct }, quiet);
    expect(plain.DB_POOLER).toBe("none");
    expect(plain.MIGRATION_DATABASE_URL).toBeUndefined();
    expect(() =>
      parseConfig({ DATA_DIR: dataDir, DATABASE_URL: pooled, DB_POOLER: "pgbouncer" }, quiet),
    ).toThrow(/MIGRATION_DATABASE_URL: required when DB_POOLER=pgbouncer/);
    const behind = parseConfig(
      { DATA_DIR: dataDir, DATABASE_URL: pooled, DB_POOLER: "pgbouncer", MIGRATION_DATABASE_URL: direct },
      quiet,
    );
    expect(behind).toMatchObject({ DB_POOLER: "pgbouncer", MIGRATION_DATABASE_URL: direct });
    expect(() =>
      parseConfig({ DATA_DIR: dataDir, DB_POOLER: "pgcat", MIGRATION_DATABASE_URL: "x" }, quiet),
    ).toThrow(/MIGRATION_DATABASE_URL: Invalid URL\n.*DB_POOLER: /s);
  });
});
