import { getConfig } from "#app/config.server";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;

// A value that can stand bare in `key=value`; anything else is quoted, so one event stays one line.
const BARE = /^[^\s"=\\]+$/;

function formatValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === undefined) return "undefined";
  return BARE.test(text) ? text : JSON.stringify(text);
}

/**
 * One line per event, `time level message key=value…` (logfmt): values with spaces, quotes or
 * line breaks (an error's stack) are JSON-quoted, so a log collector sees one event as one line.
 */
export function formatLogLine(
  time: Date,
  level: Level,
  message: string,
  fields?: Record<string, unknown>,
): string {
  const suffix = fields
    ? Object.entries(fields)
        .map(([key, value]) => ` ${key}=${formatValue(value)}`)
        .join("")
    : "";
  return `${time.toISOString()} ${level} ${message}${suffix}`;
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (LEVELS[level] < LEVELS[getConfig().LOG_LEVEL]) return;
  const line = formatLogLine(new Date(), level, message, fields);
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
