import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { failureReport, summary } from "./fuzz/report.js";
import { runFuzz } from "./fuzz/runner.js";

/**
 * The seeded, model-based isolation fuzzer (test/fuzz/): a fixed seed and operation count, so CI
 * runs the same operations every time. On failure the message gives the seed and the first 400
 * violations with their operation index; all of them go to test-artifacts/isolation-fuzz.txt, and
 * `npm run fuzz -- --ops 3000 --seed 20251129 --list` replays the run.
 */
const SEED = 20251129;
const OPS = 3000;
const ARTIFACT = "test-artifacts/isolation-fuzz.txt";

describe("isolation fuzz: random operations of many tenants over real HTTP, checked against a model", () => {
  it(`${OPS} operations (seed ${SEED}) keep every key inside its scope floor`, async () => {
    const result = await runFuzz({ seed: SEED, ops: OPS });
    const table = summary(result);
    console.log(table);
    mkdirSync("test-artifacts", { recursive: true });
    writeFileSync(ARTIFACT, `${table}\n\n${failureReport(result, Number.POSITIVE_INFINITY)}\n`);
    expect(result.stats.requests).toBeGreaterThanOrEqual(OPS);
    if (result.violations.total > 0) expect.fail(`${failureReport(result)}\n(all violations: ${ARTIFACT})`);
  }, 240_000);
});
