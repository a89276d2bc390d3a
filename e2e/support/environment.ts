/**
 * The end-to-end environment: the built app on real Postgres and Redis, talking to a fake
 * OpenAI-compatible server on loopback. Shared by playwright.config.ts, the app launcher and
 * the fixtures, so they agree on ports and secrets.
 */
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const E2E_EMBEDDED_PORT = Number(process.env.E2E_EMBEDDED_PORT ?? 3101);
export const E2E_FAKE_LLM_PORT = Number(process.env.E2E_FAKE_LLM_PORT ?? 4010);
/**
 * A port for an extra app instance a test starts itself, counted from the main app's port so
 * two e2e runs on one machine (different E2E_APP_PORT) never collide. Each spec owns its offsets
 * (grep for them before taking one: specs run two at a time); 40–41 are nginx's (proxyPort).
 */
export const extraInstancePort = (offset: number) => E2E_APP_PORT + 10 + offset;
/** nginx's port for a spec that runs instances behind it (e2e/proxied), after the instances'. */
export const proxyPort = (offset: number) => E2E_APP_PORT + 50 + offset;
export const E2E_APP_URL = `http://127.0.0.1:${E2E_APP_PORT}`;
export const E2E_EMBEDDED_URL = `http://127.0.0.1:${E2E_EMBEDDED_PORT}`;
export const E2E_FAKE_LLM_URL = `http://127.0.0.1:${E2E_FAKE_LLM_PORT}`;
export const E2E_SESSION_SECRET = "e2e-session-secret-that-is-long-enough-0123456789";
/** The main app's OPERATOR_TOKEN (the embedded instance has none, so its details are a 404). */
export const E2E_OPERATOR_TOKEN = "e2e-operator-token-that-is-long-enough-0123456789";

const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// Named after the port, so two e2e runs on one machine (different ports) never share data.
export const E2E_DATABASE_NAME = `parley_e2e_${E2E_APP_PORT}`;
export const E2E_DATABASE_URL = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${E2E_DATABASE_NAME}`;
  return url.toString();
})();
export const E2E_ADMIN_DATABASE_URL = adminUrl;
/** The URL of Redis database `index` on the test server. */
export function redisUrlIndexed(index: number | string): string {
  const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  url.pathname = `/${index}`;
  return url.toString();
}
/** A Redis database index of its own, so e2e keys never meet the other tests'. */
export const E2E_REDIS_URL = redisUrlIndexed(process.env.E2E_REDIS_DB ?? 5);

/**
 * Quotas high enough that no spec meets them (every request from 127.0.0.1, many guests an
 * hour), yet still checked on every write; e2e/limits.spec.ts sets small ones of its own.
 */
export const E2E_UNREACHED_LIMITS = {
  MESSAGES_PER_HOUR: "100000",
  GUEST_MESSAGES_PER_HOUR: "100000",
  CHATS_PER_HOUR: "100000",
  GUESTS_PER_IP_PER_HOUR: "100000",
  // The account specs fail sign-ins on purpose, all from 127.0.0.1 (per email, the default holds).
  SIGNIN_FAILURES_PER_IP_PER_HOUR: "100000",
};

/** Environment for an app instance under test. */
export function appEnvironment(port: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: E2E_DATABASE_URL,
    REDIS_URL: E2E_REDIS_URL,
    SESSION_SECRET: E2E_SESSION_SECRET,
    OPERATOR_TOKEN: E2E_OPERATOR_TOKEN,
    LLM_BASE_URL: `${E2E_FAKE_LLM_URL}/v1`,
    LLM_MODEL: "fake-model-a",
    LLM_FIRST_BYTE_TIMEOUT_MS: "2000",
    LLM_IDLE_TIMEOUT_MS: "2000",
    REPLY_HEARTBEAT_TIMEOUT_MS: "4000",
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
    ...E2E_UNREACHED_LIMITS,
    ...overrides,
  };
}
