/**
 * The runner: starts a fresh in-memory gateway, provisions the world, then generates, executes
 * and checks `ops` operations with a seeded PRNG, auditing the database against the model every
 * `auditEvery` operations and at the end.
 */
import { startTestGateway } from "../harness.js";
import { auditAgainstDatabase } from "./audit.js";
import { OpContext, Stats } from "./context.js";
import { Generator } from "./generator.js";
import type { Key } from "./model.js";
import { Model } from "./model.js";
import { execute } from "./ops/index.js";
import { Prng } from "./prng.js";
import { Violations } from "./violations.js";
import { provisionWorld } from "./world.js";

export interface FuzzOptions {
  seed: number;
  ops: number;
  /** Management audit every this many operations (0: only at the end). */
  auditEvery?: number;
  /** Called every 500 operations with the number done. */
  progress?: (done: number, violations: number) => void;
}

export interface FuzzResult {
  seed: number;
  ops: number;
  violations: Violations;
  stats: Stats;
  setupMs: number;
  /** Time of the operations and audits, without setup. */
  runMs: number;
  model: Model;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { seed, ops } = options;
  const auditEvery = options.auditEvery ?? 1000;
  const t = await startTestGateway();
  try {
    const model = new Model();
    const prng = new Prng(seed);
    const violations = new Violations();
    const stats = new Stats();
    const context = (index: number, type: string, key: Key | null) =>
      new OpContext(t, model, prng, violations, stats, index, type, key);

    const setupStart = performance.now();
    await provisionWorld(context(-1, "setup", null));
    const runStart = performance.now();
    const generator = new Generator(prng, model);
    for (let i = 0; i < ops; i++) {
      const op = generator.next();
      const started = performance.now();
      try {
        await execute(context(i, op.type, op.key), op);
        stats.time(op.type, performance.now() - started);
      } catch (err) {
        throw new Error(`seed ${seed}, op #${i} ${op.type} by ${op.key.label}: ${(err as Error).stack ?? err}`);
      }
      if (auditEvery > 0 && (i + 1) % auditEvery === 0 && i + 1 < ops)
        await auditAgainstDatabase(context(i, "audit", null));
      if ((i + 1) % 500 === 0) options.progress?.(i + 1, violations.total);
    }
    await auditAgainstDatabase(context(ops, "audit", null));
    return {
      seed,
      ops,
      violations,
      stats,
      setupMs: runStart - setupStart,
      runMs: performance.now() - runStart,
      model,
    };
  } finally {
    await t.close();
  }
}
