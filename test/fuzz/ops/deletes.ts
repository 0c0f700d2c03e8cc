/**
 * Deletes: forget by ids, by scope and by query (with and without dryRun) and deleteDocument.
 * Exact sets where the model can compute them (ids, scope), the "deletable by this key" invariant
 * for ranking-dependent forget by query, and after every real delete a management read of a
 * sample of records the key may not delete, which must all still exist.
 */
import type { OpContext } from "../context.js";
import { compareIds, DATA, describeRecord, error, expectOutcome, type Expected } from "../checks.js";
import type { OpOf } from "../operation.js";
import type { OwnedRecord } from "../model.js";
import { isSubset, showScope } from "../scope.js";
import type { ViolationKind } from "../violations.js";
import { checkScopes, markDeleted } from "./common.js";

const FORGET = `mutation($i: ForgetInput!) { forget(input: $i) { count dryRun ids } }`;
const MAX_QUERY_CHARS = 4000;
const LIMIT_MAX = 50;

/** An extra id in a delete result: another tenant's (or shared) is foreign, the rest `sameTenant`. */
function extraKind(ctx: OpContext, dryRun: boolean, sameTenant: ViolationKind) {
  return (rec: OwnedRecord | undefined): ViolationKind =>
    rec && (ctx.model.isForeign(ctx.key!, rec) || rec.tenant === null)
      ? dryRun
        ? "count-includes-foreign"
        : "foreign-deleted"
      : sameTenant;
}

/** A deletable record left out: the key's own narrowed record is an ownership failure. */
function missingKind(ctx: OpContext, otherwise: ViolationKind) {
  return (rec: OwnedRecord): ViolationKind =>
    rec.owner === ctx.key!.label && !isSubset(rec.scope, ctx.key!.floor) ? "ownership" : otherwise;
}

/** The live memories among `ids` the key may delete (the invariant when no exact set applies). */
function deletableAmong(ctx: OpContext, ids: readonly string[]): OwnedRecord[] {
  return [...new Set(ids)]
    .map((id) => ctx.model.memories.get(id))
    .filter((m): m is NonNullable<typeof m> => ctx.model.deletable(ctx.key!, m));
}

/** count = ids.length, dryRun echoed; a real run's ids leave the model. */
function settle(
  ctx: OpContext,
  label: string,
  result: { count: number; dryRun: boolean; ids: string[] },
  dryRun: boolean,
) {
  if (result.count !== result.ids.length)
    ctx.report("wrong-outcome", `${label}: count ${result.count} but ${result.ids.length} ids`);
  if (result.dryRun !== dryRun) ctx.report("wrong-outcome", `${label}: dryRun echoed as ${result.dryRun}`);
  if (!dryRun) markDeleted(ctx, result.ids);
}

export async function forgetIds(ctx: OpContext, op: OpOf<"forgetIds">): Promise<void> {
  const key = ctx.key!;
  if (!op.dryRun) ctx.model.bumpTenant(key.tenant.name);
  const reply = await ctx.call(FORGET, { i: { ids: op.ids, dryRun: op.dryRun, scope: op.alsoScope ? {} : undefined } });
  const outcome = ctx.outcome(reply, "forget");
  ctx.note(outcome);
  const label = `forget(ids: ${op.ids.length}${op.alsoScope ? " + scope" : ""}${op.dryRun ? ", dryRun" : ""})`;
  const want = [...new Set(op.ids)]
    .map((id) => ctx.model.memories.get(id))
    .filter((m): m is NonNullable<typeof m> => ctx.model.deletable(key, m));
  const ownership = want.some((m) => missingKind(ctx, "wrong-outcome")(m) === "ownership");
  const exact = expectOutcome(ctx, label, outcome, op.alsoScope ? error("BAD_USER_INPUT") : DATA, { ownership });
  if (!outcome.ok || outcome.data === null) return;
  compareIds(ctx, label, exact ? want : deletableAmong(ctx, outcome.data.ids), outcome.data.ids, {
    missing: missingKind(ctx, "wrong-outcome"),
    extra: extraKind(ctx, op.dryRun, "wrong-delete"),
  });
  settle(ctx, label, outcome.data, op.dryRun);
  if (!op.dryRun && outcome.data.ids.length > 0) await checkUndeletable(ctx, label);
}

export async function forgetScope(ctx: OpContext, op: OpOf<"forgetScope">): Promise<void> {
  const key = ctx.key!;
  if (!op.dryRun) ctx.model.bumpTenant(key.tenant.name);
  const reply = await ctx.call(FORGET, { i: { scope: op.scope, dryRun: op.dryRun } });
  const outcome = ctx.outcome(reply, "forget");
  ctx.note(outcome);
  const scopes = checkScopes(key, op.scope);
  const label = `forget(scope=${showScope(op.scope)}${op.dryRun ? ", dryRun" : ""})`;
  const exact = expectOutcome(ctx, label, outcome, scopes.fail ?? DATA, {
    invalidScope: scopes.fail !== undefined && scopes.invalid,
  });
  if (!outcome.ok || outcome.data === null) return;
  // An invalid scope the gateway accepted: check only that everything it removed was the key's to delete.
  const want =
    exact && !scopes.fail ? ctx.model.forgettableUnder(key, scopes.effective) : deletableAmong(ctx, outcome.data.ids);
  compareIds(ctx, label, want, outcome.data.ids, {
    missing: () => "forget-scope",
    extra: extraKind(ctx, op.dryRun, "forget-scope"),
  });
  settle(ctx, label, outcome.data, op.dryRun);
  if (!op.dryRun && outcome.data.ids.length > 0) await checkUndeletable(ctx, label);
}

export async function forgetQuery(ctx: OpContext, op: OpOf<"forgetQuery">): Promise<void> {
  const key = ctx.key!;
  if (!op.dryRun) ctx.model.bumpTenant(key.tenant.name);
  const reply = await ctx.call(FORGET, { i: { query: op.query, limit: op.limit, dryRun: op.dryRun } });
  const outcome = ctx.outcome(reply, "forget");
  ctx.note(outcome);
  const label = `forget(query, limit=${op.limit}${op.dryRun ? ", dryRun" : ""})`;
  const badLimit = !Number.isInteger(op.limit) || op.limit < 1 || op.limit > LIMIT_MAX;
  const badQuery = op.query.trim() === "" || op.query.length > MAX_QUERY_CHARS;
  const expected: Expected = badLimit || badQuery ? error("BAD_USER_INPUT") : DATA;
  expectOutcome(ctx, label, outcome, expected);
  if (!outcome.ok || outcome.data === null) return;
  const ids: string[] = outcome.data.ids;
  if (ids.length > op.limit) ctx.report("wrong-outcome", `${label}: ${ids.length} ids over the limit`);
  // Ranking decides which: check only that each one was the key's to delete.
  compareIds(ctx, label, deletableAmong(ctx, ids), ids, { extra: extraKind(ctx, op.dryRun, "wrong-delete") });
  settle(ctx, label, outcome.data, op.dryRun);
  if (!op.dryRun && ids.length > 0) await checkUndeletable(ctx, label);
}

export async function deleteDocument(ctx: OpContext, op: OpOf<"deleteDocument">): Promise<void> {
  const key = ctx.key!;
  ctx.model.bumpTenant(key.tenant.name);
  const reply = await ctx.call(`mutation($id: ID!) { deleteDocument(id: $id) }`, { id: op.id });
  const outcome = ctx.outcome(reply, "deleteDocument");
  ctx.note(outcome);
  const rec = ctx.model.documents.get(op.id);
  const may = ctx.model.deletable(key, rec);
  const label = `deleteDocument(${describeRecord(rec, op.id)})`;
  const deleted = outcome.ok && outcome.data === true;
  if (deleted && !may) {
    const foreign = rec === undefined || ctx.model.isForeign(key, rec) || rec.tenant === null;
    ctx.report(foreign ? "foreign-deleted" : "wrong-delete", `${label}: deleted, expected NOT_FOUND`);
  } else {
    expectOutcome(ctx, label, outcome, may ? DATA : error("NOT_FOUND"), {
      ownership: may && rec !== undefined && missingKind(ctx, "wrong-outcome")(rec) === "ownership",
    });
  }
  if (deleted && rec) {
    rec.alive = false;
    await checkUndeletable(ctx, label);
  }
}

/**
 * After a real delete: up to 10 live records in the key's Context that it may not delete (other
 * tenants', shared, a sibling's) are read with the management key; each must still exist.
 */
async function checkUndeletable(ctx: OpContext, label: string): Promise<void> {
  const key = ctx.key!;
  const candidates = [
    ...ctx.model.liveIn("memory", key.contextId),
    ...ctx.model.liveIn("document", key.contextId),
  ].filter((r) => !ctx.model.deletable(key, r));
  const sample = ctx.prng.sample(candidates, 10);
  if (sample.length === 0) return;
  const vars: Record<string, unknown> = { c: key.contextId };
  const fields = sample.map((r, i) => {
    vars[`i${i}`] = r.id;
    return `r${i}: ${ctx.model.memories.has(r.id) ? "memory" : "document"}(id: $i${i}) { id }`;
  });
  const decl = sample.map((_, i) => `$i${i}: ID!`).join(", ");
  const d = await ctx.manage(`query($c: ID!, ${decl}) { context(id: $c) { ${fields.join(" ")} } }`, vars);
  sample.forEach((r, i) => {
    if (d.context[`r${i}`]) return;
    ctx.report(
      ctx.model.isForeign(key, r) || r.tenant === null ? "foreign-deleted" : "wrong-delete",
      `${label}: ${describeRecord(r)} is gone (management read)`,
    );
    r.alive = false;
  });
}
