import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, parseConfig } from "#app/config.server";
import { redisTarget } from "./redis-settings.server";

const quiet = () => {};

function parse(env: Record<string, string>) {
  return parseConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "parley-config-")), ...env }, quiet);
}

function problems(env: Record<string, string>): string[] {
  try {
    parse(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("the Redis settings", () => {
  it("chooses a single server, a cluster or Sentinel, or none", () => {
    expect(redisTarget(parse({}))).toBeUndefined();
    expect(redisTarget(parse({ REDIS_URL: "redis://127.0.0.1:6379" }))).toEqual({
      kind: "standalone",
      url: "redis://127.0.0.1:6379",
    });
    expect(
      redisTarget(parse({ REDIS_CLUSTER_URLS: " rediss://u:p@10.0.0.1:7000 , rediss://10.0.0.2:7000,, " })),
    ).toEqual({ kind: "cluster", urls: ["rediss://u:p@10.0.0.1:7000", "rediss://10.0.0.2:7000"] });
    expect(
      redisTarget(
        parse({ REDIS_SENTINEL_URLS: "redis://s1:26379,redis://s2:26379", REDIS_SENTINEL_NAME: "main" }),
      ),
    ).toEqual({ kind: "sentinel", urls: ["redis://s1:26379", "redis://s2:26379"], name: "main" });
  });

  it("refuses two ways to reach Redis at once, with one clear line", () => {
    expect(problems({ REDIS_URL: "redis://a:6379", REDIS_CLUSTER_URLS: "redis://b:7000" })).toEqual([
      "REDIS_URL, REDIS_CLUSTER_URLS: set only one of REDIS_URL, REDIS_CLUSTER_URLS and REDIS_SENTINEL_URLS",
    ]);
    expect(
      problems({
        REDIS_CLUSTER_URLS: "redis://b:7000",
        REDIS_SENTINEL_URLS: "redis://s:26379",
        REDIS_SENTINEL_NAME: "m",
      }),
    ).toHaveLength(1);
  });

  it("wants a master name with Sentinel, and only then", () => {
    expect(problems({ REDIS_SENTINEL_URLS: "redis://s:26379" })).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_NAME: required with REDIS_SENTINEL_URLS/),
    ]);
    expect(problems({ REDIS_URL: "redis://a:6379", REDIS_SENTINEL_NAME: "m" })).toEqual([
      "REDIS_SENTINEL_NAME: only read with REDIS_SENTINEL_URLS",
    ]);
  });

  it("refuses lists with anything but redis:// or rediss:// URLs, or both schemes mixed", () => {
    expect(problems({ REDIS_CLUSTER_URLS: "http://a:7000" })).toEqual([
      'REDIS_CLUSTER_URLS: "http://a:7000" is not a redis:// or rediss:// URL',
    ]);
    expect(problems({ REDIS_CLUSTER_URLS: "a:7000" })[0]).toMatch(/^REDIS_CLUSTER_URLS: /);
    expect(problems({ REDIS_CLUSTER_URLS: "redis://a:7000,rediss://b:7000" })).toEqual([
      "REDIS_CLUSTER_URLS: mixes redis:// and rediss:// (use one for every node)",
    ]);
    expect(problems({ REDIS_SENTINEL_URLS: ",", REDIS_SENTINEL_NAME: "m" })).toEqual([
      "REDIS_SENTINEL_URLS: lists no URL",
    ]);
  });

  it("reads the TLS CA file at start, and refuses one that cannot be read", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "parley-ca-"));
    const file = path.join(dir, "ca.crt");
    writeFileSync(file, "-----BEGIN CERTIFICATE-----\n…\n");
    expect(parse({ REDIS_TLS_CA_FILE: file }).REDIS_TLS_CA_FILE?.pem).toMatch(/BEGIN CERTIFICATE/);
    expect(problems({ REDIS_TLS_CA_FILE: path.join(dir, "missing.crt") })).toEqual([
      expect.stringMatching(/^REDIS_TLS_CA_FILE: cannot be read \(ENOENT/),
    ]);
  });
});
