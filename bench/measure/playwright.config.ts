import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import base from "../../playwright.config";

const root = fileURLToPath(new URL("../..", import.meta.url));
const servers = Array.isArray(base.webServer) ? base.webServer : base.webServer ? [base.webServer] : [];

/**
 * Browser measurements for the closing figures (polling cost, reply latency). Not tests:
 * they print figures and assert nothing about time. Run with
 * `npx playwright test -c bench/measure/playwright.config.ts` after `npx remix build`.
 */
export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "*.measure.ts",
  outputDir: "../../test-results/measure",
  workers: 1,
  retries: 0,
  timeout: 240_000,
  reporter: [["list"]],
  // The servers' commands are relative to the repository root, not this folder.
  webServer: servers.map((server) => ({ ...server, cwd: root })),
});
