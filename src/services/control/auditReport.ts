import type { Scope } from "../../domain/scope.js";
import type { KeyModel } from "../../domain/models.js";

export interface ScopeAuditReport {
  contextId: string;
  namespace: string;
  database: string;
  generatedAt: string;
  dimension: string;
  passed: boolean;
  checks: Array<{ name: string; count: number; passed: boolean }>;
  tables: Array<{ name: string; definition: string; expected: string; matches: boolean }>;
  keys: Array<KeyModel & { recordsMissingFloor: number }>;
  counts: Array<{ table: string; value: string | null; count: number }>;
  redactions: Array<{ scope: unknown; at: unknown; counts: unknown }>;
}

const cell = (v: unknown) =>
  String(v ?? "—")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
const scope = (s: Scope) =>
  Object.keys(s).length
    ? Object.entries(s)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")
    : "{} (shared)";

/** The audit as a document a person can print: verdict first, evidence after. */
export function renderAuditMarkdown(r: ScopeAuditReport): string {
  const lines = [
    `# Scope audit — Context \`${r.contextId}\``,
    "",
    `**Result: ${r.passed ? "PASS" : "FAIL"}** · generated ${r.generatedAt} · database \`${r.namespace}/${r.database}\``,
    "",
    "## Checks (each must be 0)",
    "",
    "| check | count | result |",
    "|---|---|---|",
    ...r.checks.map((c) => `| ${cell(c.name)} | ${c.count} | ${c.passed ? "pass" : "FAIL"} |`),
    "",
    "## Table permissions (read back from the database)",
    "",
    "| table | matches migrations | definition |",
    "|---|---|---|",
    ...r.tables.map((t) => `| ${t.name} | ${t.matches ? "yes" : "**NO**"} | \`${cell(t.definition)}\` |`),
    "",
    "## Keys",
    "",
    "| name | principal | floor | last used | revoked | expires | records missing floor |",
    "|---|---|---|---|---|---|---|",
    ...r.keys.map(
      (k) =>
        `| ${cell(k.name)} | ${k.principal} | ${cell(scope(k.scopeFloor))} | ${cell(k.lastUsedAt)} | ${cell(k.revokedAt)} | ${cell(k.expiresAt)} | ${k.recordsMissingFloor} |`,
    ),
    "",
    `## Records per \`${r.dimension}\``,
    "",
    `| table | ${r.dimension} | records |`,
    "|---|---|---|",
    ...r.counts.map((c) => `| ${c.table} | ${cell(c.value ?? "(none)")} | ${c.count} |`),
    "",
    "## Redactions",
    "",
    ...(r.redactions.length
      ? r.redactions.map((e) => `- ${cell(e.at)}: ${cell(scope(e.scope as Scope))} — ${cell(JSON.stringify(e.counts))}`)
      : ["none"]),
    "",
  ];
  return lines.join("\n");
}
