/**
 * Usage: a key's tokenUsage and decisionTraces cover every trace at or under its floor. The traces
 * themselves come from the management key (ground truth); the model decides which a key must see.
 */
import type { OpContext } from "../context.js";
import { compareIds, DATA, error, expectOutcome, type Expected } from "../checks.js";
import type { OpOf } from "../operation.js";
import { carries, showScope, type Scope } from "../scope.js";
import { checkScopes } from "./common.js";

const USAGE_FIELDS = "scope model promptTokens completionTokens totalTokens calls";

interface UsageRow {
  scope: Scope;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  calls: number;
}

const rowKey = (r: UsageRow) =>
  JSON.stringify([showScope(r.scope), r.model, r.promptTokens, r.completionTokens, r.totalTokens, r.calls]);

export async function tokenUsage(ctx: OpContext, op: OpOf<"tokenUsage">): Promise<void> {
  const key = ctx.key!;
  const args = op.groupBy ? `(groupBy: ["org"])` : "";
  const reply = await ctx.call(`{ tokenUsage${args} { ${USAGE_FIELDS} } }`);
  const outcome = ctx.outcome(reply, "tokenUsage");
  ctx.note(outcome);
  const label = `tokenUsage${op.groupBy ? "(groupBy org)" : ""}`;
  if (!expectOutcome(ctx, label, outcome, DATA) || !outcome.ok) return;
  const truth = await ctx.manage(`query($c: ID!) { context(id: $c) { tokenUsage${args} { ${USAGE_FIELDS} } } }`, {
    c: key.contextId,
  });
  const want: UsageRow[] = truth.context.tokenUsage.filter((r: UsageRow) => carries(r.scope, key.floor));
  const got: UsageRow[] = outcome.data;
  const foreign = got.filter((r) => !carries(r.scope, key.floor));
  if (foreign.length > 0)
    ctx.report(
      "count-includes-foreign",
      `${label}: rows outside the floor: ${foreign.map((r) => showScope(r.scope)).join(", ")}`,
    );
  const a = want.map(rowKey).sort().join("\n");
  const b = got.map(rowKey).sort().join("\n");
  if (a !== b) {
    const sum = (rows: UsageRow[]) =>
      `${rows.reduce((n, r) => n + r.calls, 0)} calls / ${rows.reduce((n, r) => n + r.totalTokens, 0)} tokens in ${rows.length} rows`;
    ctx.report("usage-mismatch", `${label}: key sees ${sum(got)}, management sees ${sum(want)} at or under the floor`);
  }
}

export async function decisionTraces(ctx: OpContext, op: OpOf<"decisionTraces">): Promise<void> {
  const key = ctx.key!;
  const scopes = op.scope === undefined ? null : checkScopes(key, op.scope);
  const expected: Expected = scopes?.fail ?? (op.first < 1 || op.first > 100 ? error("BAD_USER_INPUT") : DATA);
  const label = `decisionTraces(first=${op.first}${op.scope === undefined ? "" : `, filter scope=${showScope(op.scope)}`})`;
  const got: Array<{ id: string; scope: Scope }> = [];
  let after: string | undefined;
  for (let page = 0; page < 30; page++) {
    const reply = await ctx.call(
      `query($f: Int, $a: String, $filter: DecisionTraceFilter) { decisionTraces(first: $f, after: $a, filter: $filter) { edges { node { id scope } } pageInfo { hasNextPage endCursor } } }`,
      { f: op.first, a: after, filter: op.scope === undefined ? undefined : { scope: op.scope } },
    );
    const outcome = ctx.outcome(reply, "decisionTraces");
    if (page === 0) {
      ctx.note(outcome);
      if (!expectOutcome(ctx, label, outcome, expected, { invalidScope: scopes?.fail !== undefined && scopes.invalid }))
        return;
    }
    if (!outcome.ok || outcome.data === null) return;
    got.push(...outcome.data.edges.map((e: any) => e.node));
    if (!outcome.data.pageInfo.hasNextPage) break;
    after = outcome.data.pageInfo.endCursor;
  }
  if (scopes?.fail) return;
  const all = await managementTraces(ctx, key.contextId);
  const underFloor = all.filter((t) => carries(t.scope, key.floor));
  const traceRecord = (t: { id: string; scope: Scope }) => ({
    id: t.id,
    contextId: key.contextId,
    scope: t.scope,
    owner: "?",
    tenant: carries(t.scope, key.floor) ? key.tenant.name : "another tenant",
    position: t.id,
    alive: true,
  });
  if (op.scope === undefined) {
    compareIds(
      ctx,
      label,
      underFloor.map(traceRecord),
      got.map((t) => t.id),
      {
        missing: () => "usage-mismatch",
        extra: (rec) => (rec ? "usage-mismatch" : "count-includes-foreign"),
      },
    );
    return;
  }
  // With a scope filter: invariant only, nothing outside the floor.
  const allowed = new Set(underFloor.map((t) => t.id));
  const outside = got.filter((t) => !allowed.has(t.id));
  if (outside.length > 0)
    ctx.report(
      "count-includes-foreign",
      `${label}: ${outside.length} traces outside the floor, e.g. ${showScope(outside[0]!.scope)}`,
    );
}

/** Every decision trace of a Context, as the management key lists them. */
async function managementTraces(ctx: OpContext, contextId: string): Promise<Array<{ id: string; scope: Scope }>> {
  const out: Array<{ id: string; scope: Scope }> = [];
  let after: string | null = null;
  for (;;) {
    const d = await ctx.manage(
      `query($c: ID!, $a: String) { context(id: $c) { decisionTraces(first: 100, after: $a) { edges { node { id scope } } pageInfo { hasNextPage endCursor } } } }`,
      { c: contextId, a: after },
    );
    const conn = d.context.decisionTraces;
    out.push(...conn.edges.map((e: any) => e.node));
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
}
