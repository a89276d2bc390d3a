import { readFileSync } from "node:fs";
import { z } from "zod";
import type { RedisTarget } from "#db/hot-store/redis-backend";

/**
 * The settings that say which Redis the hot store uses besides REDIS_URL: a Redis Cluster
 * (REDIS_CLUSTER_URLS) or a master found through Sentinel (REDIS_SENTINEL_URLS and
 * REDIS_SENTINEL_NAME), and a CA for TLS (REDIS_TLS_CA_FILE). A part of the environment schema
 * (config.server.ts); redisTargetProblems says what may not be combined.
 */
const redisUrlList = z
  .string()
  .trim()
  .transform((value, context) => {
    const urls = value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    for (const url of urls) {
      if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol) || !new URL(url).hostname) {
        context.addIssue({ code: "custom", message: `"${url}" is not a redis:// or rediss:// URL` });
        return z.NEVER;
      }
    }
    const schemes = new Set(urls.map((url) => new URL(url).protocol));
    if (schemes.size > 1) {
      context.addIssue({ code: "custom", message: "mixes redis:// and rediss:// (use one for every node)" });
      return z.NEVER;
    }
    if (urls.length === 0) {
      context.addIssue({ code: "custom", message: "lists no URL" });
      return z.NEVER;
    }
    return urls;
  })
  .optional();

export const redisSettings = {
  REDIS_CLUSTER_URLS: redisUrlList,
  REDIS_SENTINEL_URLS: redisUrlList,
  REDIS_SENTINEL_NAME: z.string().trim().min(1).optional(),
  /** Read at start: a CA that is missing should stop the server, not every connection later. */
  REDIS_TLS_CA_FILE: z
    .string()
    .trim()
    .min(1)
    .transform((file, context) => {
      try {
        return { file, pem: readFileSync(file, "utf8") };
      } catch (error) {
        context.addIssue({ code: "custom", message: `cannot be read (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .optional(),
};

interface RedisSettings {
  REDIS_URL?: string;
  REDIS_CLUSTER_URLS?: string[];
  REDIS_SENTINEL_URLS?: string[];
  REDIS_SENTINEL_NAME?: string;
}

/** One line per combination that cannot work; empty when the settings agree. */
export function redisTargetProblems(settings: RedisSettings): string[] {
  const chosen = (["REDIS_URL", "REDIS_CLUSTER_URLS", "REDIS_SENTINEL_URLS"] as const).filter(
    (name) => settings[name] !== undefined,
  );
  const problems: string[] = [];
  if (chosen.length > 1) {
    problems.push(
      `${chosen.join(", ")}: set only one of REDIS_URL, REDIS_CLUSTER_URLS and REDIS_SENTINEL_URLS`,
    );
  }
  if (settings.REDIS_SENTINEL_URLS && !settings.REDIS_SENTINEL_NAME) {
    problems.push(
      "REDIS_SENTINEL_NAME: required with REDIS_SENTINEL_URLS (the master's name in sentinel.conf)",
    );
  }
  if (settings.REDIS_SENTINEL_NAME && !settings.REDIS_SENTINEL_URLS) {
    problems.push("REDIS_SENTINEL_NAME: only read with REDIS_SENTINEL_URLS");
  }
  return problems;
}

/** The Redis the hot store uses, or undefined for the in-process store. */
export function redisTarget(settings: RedisSettings): RedisTarget | undefined {
  if (settings.REDIS_CLUSTER_URLS) return { kind: "cluster", urls: settings.REDIS_CLUSTER_URLS };
  if (settings.REDIS_SENTINEL_URLS && settings.REDIS_SENTINEL_NAME) {
    return { kind: "sentinel", urls: settings.REDIS_SENTINEL_URLS, name: settings.REDIS_SENTINEL_NAME };
  }
  if (settings.REDIS_URL) return { kind: "standalone", url: settings.REDIS_URL };
  return undefined;
}
