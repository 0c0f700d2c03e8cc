/**
 * Text reports of a fuzz run: the summary table (violations by kind with examples, outcome
 * histogram per operation type) and the per-violation list printed when a run fails.
 */
import type { FuzzResult } from "./runner.js";
import { describeViolation, VIOLATION_KINDS, type Violation, type ViolationKind } from "./violations.js";

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * Up to n examples of a kind, of different operation types where possible, preferring keys with a
 * valid floor (a tenant whose floor should have been refused breaks many rules at once).
 */
function examples(result: FuzzResult, kind: ViolationKind, n: number): Violation[] {
  const probeKeys = new Set(result.model.keys.filter((k) => k.tenant.invalidFloor).map((k) => k.label));
  const all = result.violations.list.filter((v) => v.kind === kind);
  const ranked = [...all.filter((v) => !probeKeys.has(v.key)), ...all.filter((v) => probeKeys.has(v.key))];
  const picked: Violation[] = [];
  for (const v of ranked) if (picked.length < n && !picked.some((p) => p.opType === v.opType)) picked.push(v);
  for (const v of ranked) if (picked.length < n && !picked.includes(v)) picked.push(v);
  return picked;
}

/** Summary: run facts, violations by kind with up to two examples each, outcome codes per op type. */
export function summary(result: FuzzResult, examplesPerKind = 2): string {
  const { stats, violations } = result;
  const perThousand = (result.runMs / Math.max(1, result.ops)) * 1000;
  const out: string[] = [];
  out.push(
    `isolation fuzz: seed ${result.seed}, ${result.ops} ops in ${(result.runMs / 1000).toFixed(1)} s ` +
      `(${(perThousand / 1000).toFixed(2)} s per 1,000 ops; setup ${(result.setupMs / 1000).toFixed(1)} s), ` +
      `${stats.requests} tenant requests + ${stats.managementRequests} management requests, ` +
      `${result.model.tenants.length} tenants / ${result.model.keys.length} keys in ${result.model.contexts.length} Contexts`,
  );
  out.push("");
  const kinds = [...violations.counts.entries()].sort((a, b) => b[1] - a[1]);
  if (kinds.length === 0) out.push("violations: none");
  else {
    out.push(`violations: ${violations.total}`);
    out.push(
      table(
        ["kind", "count", "meaning"],
        kinds.map(([kind, n]) => [kind, String(n), VIOLATION_KINDS[kind as ViolationKind]]),
      ),
    );
    out.push("");
    out.push("examples:");
    for (const [kind] of kinds) {
      for (const v of examples(result, kind as ViolationKind, examplesPerKind)) out.push(`  ${describeViolation(v)}`);
    }
  }
  out.push("");
  const codes = new Set<string>();
  for (const m of stats.outcomes.values()) for (const c of m.keys()) codes.add(c);
  const order = ["OK", "null", ...[...codes].filter((c) => c !== "OK" && c !== "null").sort()].filter((c) =>
    codes.has(c),
  );
  const rows = [...stats.outcomes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([op, m]) => {
      const runs = stats.runs.get(op) ?? 0;
      return [
        op,
        String(runs),
        String([...m.values()].reduce((n, x) => n + x, 0)),
        ...order.map((c) => String(m.get(c) ?? "")),
        runs > 0 ? ((stats.millis.get(op) ?? 0) / runs).toFixed(1) : "",
      ];
    });
  out.push("outcomes per operation type: extensions.code of each top-level field (OK = data, null = null data)");
  out.push(table(["operation", "ops", "fields", ...order, "ms/op"], rows));
  return out.join("\n");
}

/** Every violation on one line (capped), with the seed to reproduce the run. */
export function failureReport(result: FuzzResult, maxLines = 400): string {
  const { violations } = result;
  const lines = violations.list.slice(0, maxLines).map(describeViolation);
  const more = violations.total - lines.length;
  return [
    `isolation fuzz found ${violations.total} violations (seed ${result.seed}, ${result.ops} ops); ` +
      `reproduce with: npm run fuzz -- --ops ${result.ops} --seed ${result.seed}`,
    ...[...violations.counts.entries()].map(([k, n]) => `  ${k}: ${n}`),
    ...lines,
    ...(more > 0 ? [`… and ${more} more`] : []),
  ].join("\n");
}
