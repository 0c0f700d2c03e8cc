import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const LOG = "test-artifacts/test-run.log";
const SECRETS = "test-artifacts/test-run.secrets";

/**
 * Issue 5: "a test scans logs of a full test run for every secret it created". Every test
 * logs to LOG (vitest.config.ts), the harness appends every secret it creates or uses to
 * SECRETS, and this teardown fails the run if any secret, or its last 20 characters, appears
 * in any log line. Secrets themselves are never printed, only how many leaked.
 */
export function setup() {
  mkdirSync("test-artifacts", { recursive: true });
  rmSync(LOG, { force: true });
  rmSync(SECRETS, { force: true });
  return () => {
    const logs = existsSync(LOG) ? readFileSync(LOG, "utf8") : "";
    const secrets = existsSync(SECRETS)
      ? [
          ...new Set(
            readFileSync(SECRETS, "utf8")
              .split("\n")
              .filter((s) => s.length >= 16),
          ),
        ]
      : [];
    const lines = logs.split("\n").filter(Boolean).length;
    // `npm test` sets SCOPEGATE_FULL_RUN: a whole run must have enough to check, or the scan proves nothing.
    if (process.env.SCOPEGATE_FULL_RUN && (lines < 100 || secrets.length < 20)) {
      throw new Error(`log scan had too little to check: ${lines} log lines, ${secrets.length} secrets`);
    }
    const leaked = secrets.filter((s) => logs.includes(s) || logs.includes(s.slice(-20)));
    if (leaked.length > 0) throw new Error(`${leaked.length} of ${secrets.length} secrets appear in ${LOG}`);
    console.log(`log scan: ${lines} log lines, ${secrets.length} secrets, none logged`);
  };
}
