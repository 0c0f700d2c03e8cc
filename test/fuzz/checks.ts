/**
 * Comparisons of gateway answers with the model, shared by the operations: expected outcomes,
 * id sets (lists, forget results) and the fields of Memory, Session and Document nodes,
 * including the nested by-id fields (Memory.session/source/derived, Document.chunks).
 */
import type { OpContext, Outcome } from "./context.js";
import type { DocumentRecord, Key, OwnedRecord, SessionRecord } from "./model.js";
import { sameScope, showScope, type Scope } from "./scope.js";
import type { ViolationKind } from "./violations.js";

/** What the model expects a field to come back as. */
export type Expected = { kind: "data" } | { kind: "null" } | { kind: "error"; code: string };

export const DATA: Expected = { kind: "data" };
export const NULL: Expected = { kind: "null" };
export const error = (code: string): Expected => ({ kind: "error", code });

/** Context for classifying a mismatch. */
export interface Hints {
  /** The expected data is there only because the key owns the record (S ⊄ F). */
  ownership?: boolean;
  /** The record in question belongs to another tenant or Context. */
  foreign?: boolean;
  /** The request carried a malformed scope (expected BAD_USER_INPUT). */
  invalidScope?: boolean;
  /** FORBIDDEN here would depend on whether the record exists (false: the shield refuses the caller outright). */
  oracle?: boolean;
}

const showExpected = (e: Expected) => (e.kind === "error" ? e.code : e.kind);
export const showOutcome = (o: Outcome) => (o.ok ? (o.data === null ? "null" : "data") : o.code);

/** Compares an outcome with the expectation; reports a classified violation and returns false on mismatch. */
export function expectOutcome(ctx: OpContext, label: string, actual: Outcome, expected: Expected, hints: Hints = {}) {
  const matches =
    expected.kind === "data"
      ? actual.ok && actual.data !== null
      : expected.kind === "null"
        ? actual.ok && actual.data === null
        : !actual.ok && actual.code === expected.code;
  if (matches) return true;
  if (!actual.ok && actual.code === "INTERNAL_SERVER_ERROR") return false; // reported with the response
  let kind: ViolationKind = "wrong-outcome";
  const refused = expected.kind === "null" || (expected.kind === "error" && expected.code === "NOT_FOUND");
  const unseen = (actual.ok && actual.data === null) || (!actual.ok && actual.code === "NOT_FOUND");
  if (!actual.ok && actual.code === "FORBIDDEN" && refused && hints.oracle !== false) kind = "existence-oracle";
  else if (expected.kind === "error" && expected.code === "BAD_USER_INPUT" && hints.invalidScope)
    kind = "invalid-scope-accepted";
  else if (unseen && hints.ownership) kind = "ownership";
  else if (expected.kind === "data" && unseen) kind = "wrong-visible-set";
  else if (actual.ok && actual.data !== null && refused)
    kind = hints.foreign ? "count-includes-foreign" : "wrong-visible-set";
  const why = !actual.ok ? ` (${actual.message.slice(0, 100)})` : "";
  ctx.report(kind, `${label}: expected ${showExpected(expected)}, got ${showOutcome(actual)}${why}`);
  return false;
}

/** Short description of a record for messages. */
export function describeRecord(rec: OwnedRecord | undefined, id?: string): string {
  if (!rec) return `unknown id ${JSON.stringify((id ?? "").slice(0, 40))}`;
  const tail = rec.id.slice(-8);
  const whose = rec.tenant ?? "shared";
  return `…${tail} ${showScope(rec.scope)} of ${whose} by ${rec.owner}${rec.alive ? "" : " (deleted)"}${
    rec.contextId.startsWith("platform") ? "" : ` in ${rec.contextId}`
  }`;
}

/** Any record (or a chunk's document) by id. */
export function lookup(ctx: OpContext, id: string): OwnedRecord | undefined {
  const m = ctx.model;
  return m.memories.get(id) ?? m.sessions.get(id) ?? m.documents.get(id) ?? m.documentOfChunk(id);
}

export interface SetClassifier {
  /** Kind for an expected record that is missing (default wrong-visible-set). */
  missing?: (rec: OwnedRecord) => ViolationKind;
  /** Kind for an unexpected record (default: count-includes-foreign for another tenant's, else wrong-visible-set). */
  extra?: (rec: OwnedRecord | undefined) => ViolationKind;
}

/**
 * Compares the ids a key got with the records it should get. Extra records of another tenant or
 * Context are `count-includes-foreign`; the rest is classified by `classify`.
 */
export function compareIds(
  ctx: OpContext,
  label: string,
  expected: readonly OwnedRecord[],
  got: readonly string[],
  classify: SetClassifier = {},
): void {
  const key = ctx.key!;
  const want = new Map(expected.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const groups = new Map<ViolationKind, string[]>();
  const add = (kind: ViolationKind, text: string) => groups.set(kind, [...(groups.get(kind) ?? []), text]);
  for (const id of got) {
    if (seen.has(id)) add("wrong-visible-set", `duplicate ${describeRecord(lookup(ctx, id), id)}`);
    seen.add(id);
    if (want.has(id)) continue;
    const rec = lookup(ctx, id);
    const kind = classify.extra
      ? classify.extra(rec)
      : rec && ctx.model.isForeign(key, rec)
        ? "count-includes-foreign"
        : "wrong-visible-set";
    add(kind, `extra ${describeRecord(rec, id)}`);
  }
  for (const rec of expected) {
    if (!seen.has(rec.id)) add(classify.missing?.(rec) ?? "wrong-visible-set", `missing ${describeRecord(rec)}`);
  }
  for (const [kind, items] of groups) {
    const shown = items.slice(0, 2).join("; ");
    ctx.report(
      kind,
      `${label}: ${items.length} wrong of ${expected.length} expected (${shown}${items.length > 2 ? "; …" : ""})`,
    );
  }
}

/** Missing-record classifier for by-id rule sets: own narrowed records are an ownership failure. */
export const byIdMissing =
  (ctx: OpContext) =>
  (rec: OwnedRecord): ViolationKind =>
    ctx.model.readableOnlyAsOwner(ctx.key!, rec) ? "ownership" : "wrong-visible-set";

/** Compares "is there / is it null" of a nested by-id field with the model. */
function expectNested(
  ctx: OpContext,
  label: string,
  target: OwnedRecord | undefined,
  got: { id: string } | null | undefined,
): void {
  if (got === undefined) return; // not selected
  const key = ctx.key!;
  const want = target !== undefined && ctx.model.readableById(key, target);
  if (want && got?.id === target!.id) return;
  if (!want && got === null) return;
  const kind: ViolationKind = want
    ? ctx.model.readableOnlyAsOwner(key, target)
      ? "ownership"
      : "wrong-visible-set"
    : target && ctx.model.isForeign(key, target)
      ? "count-includes-foreign"
      : "wrong-visible-set";
  ctx.report(
    kind,
    `${label}: expected ${want ? describeRecord(target) : "null"}, got ${got ? `…${got.id.slice(-8)}` : "null"}`,
  );
}

function expectScope(ctx: OpContext, label: string, rec: OwnedRecord, got: unknown): void {
  if (got !== undefined && !sameScope(rec.scope, got as Scope))
    ctx.report("wrong-outcome", `${label}: scope ${showScope(got)}, model has ${showScope(rec.scope)}`);
}

/** Checks a Memory node's fields against the model (text, scope, session, source, derived). */
export function checkMemoryNode(ctx: OpContext, node: any, label: string): void {
  const rec = ctx.model.memories.get(node?.id);
  if (!rec) return; // unknown ids are reported by the visibility checks
  if (node.text !== undefined && node.text !== rec.text)
    ctx.report("wrong-outcome", `${label}: text of ${describeRecord(rec)} differs`);
  expectScope(ctx, label, rec, node.scope);
  const session = rec.sessionId ? ctx.model.sessions.get(rec.sessionId) : undefined;
  expectNested(ctx, `${label}.session`, session, node.session);
  const source = rec.sourceId ? ctx.model.memories.get(rec.sourceId) : undefined;
  expectNested(ctx, `${label}.source`, source, node.source);
  if (Array.isArray(node.derived)) {
    const want = ctx.model.derivedOf(rec.id).filter((m) => ctx.model.readableById(ctx.key!, m));
    compareIds(
      ctx,
      `${label}.derived`,
      want,
      node.derived.map((d: { id: string }) => d.id),
      { missing: byIdMissing(ctx) },
    );
  }
}

/** Checks a Session node: scope, ended, turns (first 50, in order) and its memories (invariant). */
export function checkSessionNode(ctx: OpContext, node: any, label: string): void {
  const rec: SessionRecord | undefined = ctx.model.sessions.get(node?.id);
  if (!rec) return;
  expectScope(ctx, label, rec, node.scope);
  if (node.endedAt !== undefined && (node.endedAt !== null) !== rec.ended)
    ctx.report("wrong-outcome", `${label}: endedAt ${node.endedAt}, model says ${rec.ended ? "ended" : "open"}`);
  if (node.turns) {
    const got = node.turns.edges.map((e: any) => e.node);
    const want = rec.turns.slice(0, 50);
    const same =
      got.length === want.length &&
      got.every((t: any, i: number) => t.seq === i + 1 && t.role === want[i]!.role && t.content === want[i]!.content);
    if (!same)
      ctx.report("wrong-outcome", `${label}.turns: ${got.length} turns differ from the model's ${want.length}`);
  }
  if (Array.isArray(node.memories)) {
    for (const m of node.memories) {
      const mem = ctx.model.memories.get(m.id);
      if (mem?.alive && mem.sessionId === rec.id && !ctx.model.isForeign(ctx.key!, mem)) continue;
      ctx.report(
        mem && ctx.model.isForeign(ctx.key!, mem) ? "count-includes-foreign" : "wrong-visible-set",
        `${label}.memories lists ${describeRecord(mem, m.id)}, not a live memory of this session`,
      );
    }
  }
}

/** Checks a Document node: title, scope, chunk count and (by-id rule) its chunks. */
export function checkDocumentNode(ctx: OpContext, node: any, label: string): void {
  const rec: DocumentRecord | undefined = ctx.model.documents.get(node?.id);
  if (!rec) return;
  if (node.title !== undefined && node.title !== rec.title)
    ctx.report("wrong-outcome", `${label}: title ${JSON.stringify(node.title)} differs`);
  expectScope(ctx, label, rec, node.scope);
  if (node.chunkCount !== undefined && node.chunkCount !== rec.chunkIds.length)
    ctx.report("wrong-outcome", `${label}: chunkCount ${node.chunkCount}, model has ${rec.chunkIds.length}`);
  if (Array.isArray(node.chunks)) {
    const readable = ctx.model.readableById(ctx.key!, rec);
    const got: string[] = node.chunks.map((c: any) => c.id);
    const want = readable ? rec.chunkIds : [];
    const same = got.length === want.length && got.every((id, i) => id === want[i]);
    if (!same)
      ctx.report(
        readable && ctx.model.readableOnlyAsOwner(ctx.key!, rec) ? "ownership" : "wrong-visible-set",
        `${label}.chunks: got ${got.length} chunks, expected ${want.length} of ${describeRecord(rec)}`,
      );
    for (const c of node.chunks) expectNested(ctx, `${label}.chunks[].document`, rec, c.document);
  }
}

/** A by-id read of a memory, session or document: null unless the rule lets the key read it. */
export function checkById(
  ctx: OpContext,
  kind: "memory" | "session" | "document",
  id: string,
  outcome: Outcome,
  label: string,
): void {
  const key: Key = ctx.key!;
  const rec = ctx.model.record(kind, id);
  const readable = ctx.model.readableById(key, rec);
  const ok = expectOutcome(ctx, `${label} of ${describeRecord(rec, id)}`, outcome, readable ? DATA : NULL, {
    ownership: ctx.model.readableOnlyAsOwner(key, rec),
    foreign: rec !== undefined && ctx.model.isForeign(key, rec),
  });
  if (!ok || !outcome.ok || outcome.data === null) return;
  if (outcome.data.id !== id)
    ctx.report("wrong-outcome", `${label}: asked for …${id.slice(-8)}, got …${String(outcome.data.id).slice(-8)}`);
  if (kind === "memory") checkMemoryNode(ctx, outcome.data, label);
  else if (kind === "session") checkSessionNode(ctx, outcome.data, label);
  else checkDocumentNode(ctx, outcome.data, label);
}
