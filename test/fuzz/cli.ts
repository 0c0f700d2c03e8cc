/**
 * `npm run fuzz -- --ops N --seed S [--audit-every K] [--list]`: runs N operations against a fresh
 * in-memory gateway, prints the summary table (and with --list every violation), exits 1 on any violation.
 */
import { failureReport, summary } from "./report.js";
import { runFuzz } from "./runner.js";

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} needs a non-negative integer`);
    process.exit(2);
  }
  return value;
}

const ops = argument("ops", 3000);
const seed = argument("seed", 1);
const auditEvery = argument("audit-every", 1000);
const result = await runFuzz({
  seed,
  ops,
  auditEvery,
  progress: (done, violations) => process.stderr.write(`… ${done} ops, ${violations} violations\n`),
});
console.log(summary(result));
if (process.argv.includes("--list") && result.violations.total > 0) console.log(`\n${failureReport(result, 100_000)}`);
process.exit(result.violations.total > 0 ? 1 : 0);
