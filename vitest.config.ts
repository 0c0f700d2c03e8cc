import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql ships both ESM (.mjs) and CJS builds; Apollo and graphql-shield load the CJS one.
// Pin every import to that single copy so `instanceof` checks see one realm.
const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30000, hookTimeout: 60000, fileParallelism: false },
});
