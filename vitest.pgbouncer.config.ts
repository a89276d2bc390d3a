import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The repository and session suites again, with every test database used through PgBouncer in
 * transaction-pooling mode (`npm run test:pgbouncer`): no session state may be relied on
 * across statements, and no start-up parameter may be sent (docs/decisions/0021).
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      "db/repositories/*.test.ts",
      "db/sessions/*.test.ts",
      "app/services/assistant/reply-runner.test.ts",
    ],
    globalSetup: ["db/testing/pgbouncer-global-setup.ts"],
  },
});
