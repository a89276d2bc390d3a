import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  E2E_APP_URL,
  E2E_EMBEDDED_PORT,
  E2E_EMBEDDED_URL,
  E2E_FAKE_LLM_PORT,
  E2E_FAKE_LLM_URL,
  E2E_SESSION_SECRET,
  E2E_UNREACHED_LIMITS,
  proxyPort,
} from "./e2e/support/environment";

/** e2e/proxied/: matched on the path from the e2e folder, whatever the checkout's own path. */
const PROXIED_SPECS = /[\\/]e2e[\\/]proxied[\\/][^\\/]+\.spec\.ts$/;
const embeddedDataDir = mkdtempSync(path.join(tmpdir(), "parley-e2e-embedded-"));

/**
 * End-to-end tests in Debian's Chromium against the built app on real Postgres and Redis,
 * with a fake OpenAI-compatible server standing in for the model. `npm run test:e2e` builds
 * first. A second app instance runs on the embedded default (PGlite, in-process store).
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: E2E_APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "default", testIgnore: PROXIED_SPECS },
    // Two instances behind Debian's nginx, which each spec there starts itself (on its own
    // ports): the browser talks only to nginx, round-robin. One spec at a time, so no more than
    // two extra instances start together beside the default project's worker.
    {
      name: "multi-instance",
      testMatch: PROXIED_SPECS,
      workers: 1,
      use: { baseURL: `http://127.0.0.1:${proxyPort(0)}` },
    },
  ],
  webServer: [
    {
      command: `node --import tsx e2e/fake-llm/cli.ts --port ${E2E_FAKE_LLM_PORT}`,
      url: `${E2E_FAKE_LLM_URL}/v1/models`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
      command: "node --import tsx e2e/support/start-app.ts",
      url: `${E2E_APP_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      // The README's first command, as a user runs it: it checks the build, then runs the
      // bundled server in place of its shell (e2e/embedded.spec.ts looks at that process).
      command: "npm start",
      url: `${E2E_EMBEDDED_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 90_000,
      env: {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(E2E_EMBEDDED_PORT),
        DATA_DIR: embeddedDataDir,
        SESSION_SECRET: E2E_SESSION_SECRET,
        LLM_OFFLINE_DELAY_MS: "5",
        LOG_LEVEL: "warn",
        DATABASE_URL: "",
        REDIS_URL: "",
        ...E2E_UNREACHED_LIMITS,
      },
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
