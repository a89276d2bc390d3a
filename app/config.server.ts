import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_MEMORY_STORE_MAX_BYTES } from "#db/hot-store/memory-store";
import type { DbTimeouts } from "#db/client";
import { limitSettings } from "#app/lib/limit-settings.server";
import { redisSettings, redisTargetProblems } from "#app/lib/redis-settings.server";

/**
 * Parley's whole configuration, parsed once from the environment. Every variable is listed,
 * with its default and meaning, in `.env.example`; keep the two in step.
 */
const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .pipe(z.url().optional())
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The public address people open Parley at: scheme, host and port only (Parley is served from
 * the root of its origin), normalised the way a browser writes its Origin header.
 */
const publicOrigin = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .refine((value) => {
    // zod runs this check even after the URL check failed: only judge what parses.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  }, "must be an origin only, such as https://chat.example.com (no path, query or credentials)")
  .transform((value) => new URL(value).origin)
  .optional();

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  DB_CONNECT_TIMEOUT_MS: positiveInt(3000),
  DB_QUERY_TIMEOUT_MS: positiveInt(4000),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(3000),
  DB_LOCK_TIMEOUT_MS: positiveInt(2000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt(10_000),
  /** Migrations' own, direct Postgres URL (they hold a session lock); unset: DATABASE_URL. */
  MIGRATION_DATABASE_URL: optionalUrl,
  /** pgbouncer: DATABASE_URL is a PgBouncer in transaction mode (no start-up parameters sent). */
  DB_POOLER: z.enum(["none", "pgbouncer"]).default("none"),
  CLEANUP_INTERVAL_SECONDS: positiveInt(900),
  CLEANUP_GUEST_GRACE_SECONDS: positiveInt(3600),
  DATA_DIR: z.string().trim().min(1).default(".data"),
  SESSION_SECRET: z
    .string()
    .optional()
    .refine((value) => value === undefined || value.length >= 32, "must be at least 32 characters"),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ORIGIN: publicOrigin,
  KEEP_ALIVE_TIMEOUT_MS: positiveInt(20_000),
  OPERATOR_TOKEN: z
    .string()
    .trim()
    .min(32, "must be at least 32 characters")
    .regex(/^\S+$/, "must not contain spaces")
    .optional(),
  /** A port of its own for `/metrics` without a token (server/metrics-endpoint.ts); unset, none. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Where METRICS_PORT listens: keep it where only the scraper reaches. */
  METRICS_HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** Behind a reverse proxy: believe the address it appends to X-Forwarded-For. */
  TRUST_PROXY: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["true", "false"], { error: 'must be "true" or "false"' }))
    .transform((value) => value === "true")
    .default(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  CACHE_TTL_SECONDS: positiveInt(300),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(250),
  REDIS_CONNECT_TIMEOUT_MS: positiveInt(1000),
  MEMORY_STORE_MAX_BYTES: positiveInt(DEFAULT_MEMORY_STORE_MAX_BYTES),
  /** Rendered chat pages kept per process, compressed (server/response-cache); 0 turns it off. */
  RESPONSE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(16 * 1024 * 1024),
  MESSAGE_MAX_CHARS: positiveInt(16_000),
  CHAT_PAGE_SIZE: positiveInt(30),
  // About a screen or two: the first window is what a page renders and sends; "Show earlier" brings the rest.
  MESSAGE_PAGE_SIZE: positiveInt(20),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().trim().min(1).optional(),
  LLM_HISTORY_BUDGET_CHARS: positiveInt(24_000),
  LLM_FIRST_BYTE_TIMEOUT_MS: positiveInt(30_000),
  LLM_IDLE_TIMEOUT_MS: positiveInt(30_000),
  LLM_OFFLINE_DELAY_MS: z.coerce.number().int().min(0).default(35),
  REPLY_HEARTBEAT_TIMEOUT_MS: positiveInt(15_000),
  ...limitSettings,
  /** open: anyone may create an account; closed: only `npm run user:create` makes them. */
  SIGNUPS: z.enum(["open", "closed"]).default("open"),
  /** on: visitors chat as guests without an account; off: every page asks them to sign in. */
  GUESTS: z.enum(["on", "off"]).default("on"),
  /** A session unused for this long ends; one never ends later than SESSION_MAX_DAYS after it began. */
  SESSION_IDLE_DAYS: positiveInt(30),
  SESSION_MAX_DAYS: positiveInt(365),
  ...redisSettings,
  /** The largest file the import takes; a bigger upload is cut off with a 413. */
  IMPORT_MAX_BYTES: positiveInt(50 * 1024 * 1024),
});

export type Environment = z.infer<typeof environmentSchema>;

export type Config = Omit<Environment, "SESSION_SECRET"> & {
  SESSION_SECRET: string;
  /** True when Postgres is embedded (PGlite) because DATABASE_URL is unset. */
  embeddedDatabase: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Warn = (message: string) => void;

/** Parses an environment; throws ConfigError listing one line per problem. */
export function parseConfig(env: Record<string, string | undefined>, warn: Warn = console.warn): Config {
  // A blank value (`LLM_MODEL=` in a .env file, `${VAR:-}` in compose) means "not set".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
    );
  }
  const environment = parsed.data;
  if (present.MEMORY_STORE_MAX_ENTRIES !== undefined) {
    // Renamed when the store became bounded by bytes; silently ignoring it would surprise.
    warn("MEMORY_STORE_MAX_ENTRIES is no longer read: the in-process store's cap is MEMORY_STORE_MAX_BYTES.");
  }
  if (environment.NODE_ENV === "production" && !environment.SESSION_SECRET) {
    throw new ConfigError(["SESSION_SECRET: required when NODE_ENV=production (32+ characters)"]);
  }
  // Postgres must cancel a slow statement (and answer) before the client gives up on the
  // connection; the other way round, every slow statement would cost a connection.
  if (environment.DB_STATEMENT_TIMEOUT_MS >= environment.DB_QUERY_TIMEOUT_MS) {
    throw new ConfigError(["DB_STATEMENT_TIMEOUT_MS: must be below DB_QUERY_TIMEOUT_MS"]);
  }
  const redisProblems = redisTargetProblems(environment);
  if (redisProblems.length > 0) throw new ConfigError(redisProblems);
  // Kysely's migrator holds a session advisory lock across statements: through a transaction
  // pooler the unlock can reach another server connection and leave the lock held.
  if (
    environment.DB_POOLER === "pgbouncer" &&
    environment.DATABASE_URL &&
    !environment.MIGRATION_DATABASE_URL
  ) {
    throw new ConfigError([
      "MIGRATION_DATABASE_URL: required when DB_POOLER=pgbouncer (a direct Postgres URL: migrations hold a session lock)",
    ]);
  }
  return {
    ...environment,
    SESSION_SECRET: environment.SESSION_SECRET ?? developmentSecret(environment.DATA_DIR, warn),
    embeddedDatabase: environment.DATABASE_URL === undefined,
  };
}

/** The database time limits, for createDb (Postgres only; PGlite has no network to lose). */
export function databaseTimeouts(config: Config): DbTimeouts {
  return {
    connectMs: config.DB_CONNECT_TIMEOUT_MS,
    queryMs: config.DB_QUERY_TIMEOUT_MS,
    statementMs: config.DB_STATEMENT_TIMEOUT_MS,
    lockMs: config.DB_LOCK_TIMEOUT_MS,
    idleInTransactionMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

/**
 * Outside production a missing secret is generated once and kept in DATA_DIR, so sessions
 * survive restarts on a developer's machine without any set-up.
 */
function developmentSecret(dataDir: string, warn: Warn): string {
  const file = path.join(dataDir, "session-secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // No secret yet: make one below.
  }
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  warn(`SESSION_SECRET is not set: generated one in ${file} (set SESSION_SECRET in production).`);
  return secret;
}

let cached: Config | undefined;

/**
 * The process's configuration. On a bad environment it prints one line per problem and exits:
 * a misconfigured server must not start, and a stack trace would hide the message.
 */
export function getConfig(): Config {
  if (cached) return cached;
  try {
    cached = parseConfig(process.env);
    return cached;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
