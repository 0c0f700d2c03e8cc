/**
 * Ranking-dependent reads: recall (any mode, scope, session filter) and answer. Their hits are
 * checked by invariant — every hit is a live record the key may list at E, in the session when one
 * is named, at most topK — and the fixed probe query must return identical hits and scores as long
 * as the key's tenant has not written since the last probe.
 */
import type { OpContext } from "../context.js";
import { DATA, describeRecord, error, expectOutcome, type Expected } from "../checks.js";
import type { OpOf } from "../operation.js";
import type { OwnedRecord } from "../model.js";
import type { Scope } from "../scope.js";
import { showScope } from "../scope.js";
import { checkScopes } from "./common.js";
import { describeSession } from "./sessions.js";

const MAX_QUERY_CHARS = 4000;
const TOP_K_MAX = 50;

export async function recall(ctx: OpContext, op: OpOf<"recall" | "recallProbe">): Promise<void> {
  const key = ctx.key!;
  const reply = await ctx.call(
    `query($q: String!, $k: Int, $s: Scope, $m: RecallMode, $sid: ID) { recall(query: $q, topK: $k, scope: $s, mode: $m, sessionId: $sid) {
      mode hits { kind score matchedBy text memory { id scope session { id } } chunk { id scope document { id } } } } }`,
    { q: op.query, k: op.topK, s: op.scope, m: op.mode, sid: op.sessionId },
  );
  const outcome = ctx.outcome(reply, "recall");
  ctx.note(outcome);
  const scopes = checkScopes(key, op.scope);
  let expected: Expected = DATA;
  if (scopes.fail) expected = scopes.fail;
  else if (op.query.trim() === "" || op.query.length > MAX_QUERY_CHARS) expected = error("BAD_USER_INPUT");
  else if (!Number.isInteger(op.topK) || op.topK < 1 || op.topK > TOP_K_MAX) expected = error("BAD_USER_INPUT");
  else if (op.sessionId !== undefined && !ctx.model.readableById(key, ctx.model.sessions.get(op.sessionId)))
    expected = error("NOT_FOUND");
  const label = `recall(${op.mode}, topK=${op.topK}, scope=${showScope(op.scope)}${
    op.sessionId !== undefined ? `, ${describeSession(ctx, op.sessionId)}` : ""
  })`;
  const session = op.sessionId ? ctx.model.sessions.get(op.sessionId) : undefined;
  if (
    !expectOutcome(ctx, label, outcome, expected, {
      invalidScope: scopes.fail !== undefined && scopes.invalid,
      ownership: ctx.model.readableOnlyAsOwner(key, session),
    })
  )
    return;
  if (!outcome.ok || outcome.data === null || scopes.fail) return;
  const hits: any[] = outcome.data.hits;
  checkHits(ctx, label, hits, scopes.effective, op.sessionId, op.topK);
  if (op.type === "recallProbe") checkProbe(ctx, op.mode, hits);
}

/** Every hit is a live record the key may list at E (in the named session), no more than topK. */
function checkHits(
  ctx: OpContext,
  label: string,
  hits: any[],
  effective: Scope,
  sessionId: string | undefined,
  topK: number,
): void {
  const key = ctx.key!;
  if (hits.length > topK) ctx.report("wrong-outcome", `${label}: ${hits.length} hits for topK ${topK}`);
  const seen = new Set<string>();
  for (const h of hits) {
    const node = h.kind === "MEMORY" ? h.memory : h.chunk;
    if (!node) {
      ctx.report("wrong-outcome", `${label}: ${h.kind} hit without its ${h.kind === "MEMORY" ? "memory" : "chunk"}`);
      continue;
    }
    if (seen.has(node.id)) ctx.report("wrong-visible-set", `${label}: hit …${node.id.slice(-8)} twice`);
    seen.add(node.id);
    const rec: OwnedRecord | undefined =
      h.kind === "MEMORY" ? ctx.model.memories.get(node.id) : ctx.model.documentOfChunk(node.id);
    const visible = rec !== undefined && ctx.model.listVisible(key, effective, rec);
    const inSession =
      sessionId === undefined || (h.kind === "MEMORY" && ctx.model.memories.get(node.id)?.sessionId === sessionId);
    if (!visible || !inSession) {
      ctx.report(
        rec && ctx.model.isForeign(key, rec) ? "count-includes-foreign" : "wrong-visible-set",
        `${label}: hit ${h.kind} ${describeRecord(rec, node.id)}${visible ? " outside the session" : " not visible at E"}`,
      );
      continue;
    }
    if (h.kind === "MEMORY") {
      const mem = ctx.model.memories.get(node.id)!;
      if (h.text !== mem.text) ctx.report("wrong-outcome", `${label}: hit text of ${describeRecord(mem)} differs`);
      const s = mem.sessionId ? ctx.model.sessions.get(mem.sessionId) : undefined;
      const want = s !== undefined && ctx.model.readableById(key, s);
      if (want !== (node.session !== null))
        ctx.report(
          want && ctx.model.readableOnlyAsOwner(key, s) ? "ownership" : "wrong-visible-set",
          `${label}: hit memory.session ${node.session ? "present" : "null"}, expected ${want ? "present" : "null"}`,
        );
    } else {
      const want = ctx.model.readableById(key, rec);
      if (want !== (node.document !== null))
        ctx.report(
          want && ctx.model.readableOnlyAsOwner(key, rec) ? "ownership" : "wrong-visible-set",
          `${label}: hit chunk.document ${node.document ? "present" : "null"}, expected ${want ? "present" : "null"} for ${describeRecord(rec)}`,
        );
    }
  }
}

/** Identical hits and scores for the probe query while the key's tenant has not written. */
function checkProbe(ctx: OpContext, mode: string, hits: any[]): void {
  const key = ctx.key!;
  const perModel = ctx.model.probes;
  const slot = `${key.label}|${mode}`;
  const now = hits.map((h) => `…${(h.memory ?? h.chunk).id.slice(-8)}@${h.score}`).join(",");
  const version = ctx.model.tenantVersion(key.tenant.name);
  const before = perModel.get(slot);
  if (before && before.version === version && before.hits !== now) {
    const a = before.hits.split(",");
    const b = now.split(",");
    const i = a.findIndex((x, j) => x !== b[j]);
    ctx.report(
      "score-moved",
      `probe ${mode}: ${a.length} → ${b.length} hits, first difference at rank ${i < 0 ? b.length : i}: ${
        a[i] ?? "none"
      } → ${b[i] ?? "none"} (tenant ${key.tenant.name} did not write in between)`,
    );
  }
  perModel.set(slot, { version, hits: now });
}

export async function answer(ctx: OpContext, op: OpOf<"answer">): Promise<void> {
  const key = ctx.key!;
  const reply = await ctx.call(
    `mutation($i: AnswerInput!) { answer(input: $i) { text citations { kind score memory { id } chunk { id } } usage { totalTokens } } }`,
    { i: { question: op.question, scope: op.scope, sessionId: op.sessionId, topK: op.topK } },
  );
  const outcome = ctx.outcome(reply, "answer");
  ctx.note(outcome);
  const scopes = checkScopes(key, op.scope);
  const session = op.sessionId ? ctx.model.sessions.get(op.sessionId) : undefined;
  const question = op.question.trim();
  let expected: Expected = DATA;
  if (scopes.fail) expected = scopes.fail;
  else if (question === "" || question.length > MAX_QUERY_CHARS) expected = error("BAD_USER_INPUT");
  else if (op.sessionId !== undefined && !ctx.model.ownsSession(key, session)) expected = error("NOT_FOUND");
  else if (session?.ended) expected = error("CONFLICT");
  const label = `answer(scope=${showScope(op.scope)}${op.sessionId !== undefined ? `, ${describeSession(ctx, op.sessionId)}` : ""})`;
  const exact = expectOutcome(ctx, label, outcome, expected, {
    invalidScope: scopes.fail !== undefined && scopes.invalid,
    ownership: ctx.model.ownsSession(key, session) && ctx.model.readableOnlyAsOwner(key, session),
  });
  if (!outcome.ok || outcome.data === null) return;
  // An answer in a session is recorded as two turns, whether or not it should have been given.
  if (session && op.sessionId) {
    session.turns.push({ role: "USER", content: question }, { role: "ASSISTANT", content: outcome.data.text });
  }
  if (!exact || scopes.fail) return;
  for (const c of outcome.data.citations) {
    const node = c.memory ?? c.chunk;
    const rec = c.memory ? ctx.model.memories.get(node.id) : ctx.model.documentOfChunk(node.id);
    if (!rec || !ctx.model.listVisible(key, scopes.effective, rec))
      ctx.report(
        rec && ctx.model.isForeign(key, rec) ? "count-includes-foreign" : "wrong-visible-set",
        `${label}: cites ${describeRecord(rec, node.id)}, not visible at E`,
      );
  }
}
