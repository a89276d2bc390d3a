import { defineConfig } from "vitest/config";

// Imports such as `#app/...` and `#db/...` resolve through package.json "imports".
export default defineConfig({
  test: {
    globals: true,
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "server/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // As Playwright does on CI: a test that fails once and passes on retry is reported as flaky.
    // A few tests measure real time in the hundreds of milliseconds (provider time-outs).
    retry: process.env.CI ? 1 : 0,
  },
});
