import { describe, expect, it } from "vitest";
import { failureReport, summary } from "./fuzz/report.js";
import { runFuzz } from "./fuzz/runner.js";

/**
 * The seeded, model-based isolation fuzzer (test/fuzz/): a fixed seed and operation count, so CI
 * runs the same operations every time. On failure the message lists the seed, and each violation
 * with its operation index; `npm run fuzz -- --ops 3000 --seed 20251129` replays the run.
 */
const SEED = 20251129;
const OPS = 3000;

describe("isolation fuzz: random operations of many tenants over real HTTP, checked against a model", () => {
  it(`${OPS} operations (seed ${SEED}) keep every key inside its scope floor`, async () => {
    const result = await runFuzz({ seed: SEED, ops: OPS });
    console.log(summary(result));
    expect(result.stats.requests).toBeGreaterThanOrEqual(OPS);
    if (result.violations.total > 0) expect.fail(failureReport(result));
  }, 240_000);
});
