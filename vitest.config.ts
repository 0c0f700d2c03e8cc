import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql ships both ESM (.mjs) and CJS builds; Apollo and graphql-shield load the CJS one.
// Pin every import to that single copy so `instanceof` checks see one realm.
const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30000,
    hookTimeout: 60000,
    fileParallelism: false,
    // Every test's logs go to one file; the global teardown scans it for every secret the run created.
    globalSetup: ["test/logScan.globalSetup.ts"],
    env: {
      SCOPEGATE_LOG: "info",
      SCOPEGATE_LOG_FILE: "test-artifacts/test-run.log",
      SCOPEGATE_SECRETS_FILE: "test-artifacts/test-run.secrets",
    },
  },
});
