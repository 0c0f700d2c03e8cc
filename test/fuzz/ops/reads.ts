/**
 * Reads: by-id (memory, session, document, each also through Relay's `node(id:)`, aliased batches of
 * them, federation `_entities`) and
 * lists (memories, sessions, documents) paged to the end. By-id reads follow the by-id rule,
 * lists the list rule at E; both are compared with the exact sets the model computes.
 */
import type { OpContext } from "../context.js";
import { checkById, compareIds, DATA, error, expectOutcome, type Expected } from "../checks.js";
import type { OpOf } from "../operation.js";
import type { ListKind, OwnedRecord, RecordKind } from "../model.js";
import { sameScope, showScope } from "../scope.js";
import { ID_TYPE } from "../inputs.js";
import { checkScopes, graphqlLiteral } from "./common.js";

/** Selections of by-id reads, nested by-id fields included. */
export const BY_ID_SELECTION: Record<RecordKind, string> = {
  memory: "id text scope session { id } source { id } derived { id }",
  session:
    "id scope endedAt turns(first: 50) { edges { node { seq role content } } pageInfo { hasNextPage } } memories(first: 20) { id text }",
  document: "id title scope chunkCount chunks { id position document { id } }",
};

/**
 * A by-id read, asked twice in one request: through the typed field and through Relay's
 * `node(id:)`, which must see exactly the same (an object of another type counts as none, as the
 * typed field answers null for another type's id).
 */
export async function byId(ctx: OpContext, op: OpOf<"memory" | "session" | "document">): Promise<void> {
  const type = ID_TYPE[op.type];
  const selection = BY_ID_SELECTION[op.type];
  const reply = await ctx.call(
    `query($id: ID!) { ${op.type}(id: $id) { ${selection} } node(id: $id) { __typename ... on ${type} { ${selection} } } }`,
    { id: op.id },
  );
  const outcome = ctx.outcome(reply, op.type);
  ctx.note(outcome);
  checkById(ctx, op.type, op.id, outcome, `${op.type}(id)`);
  const viaNode = ctx.outcome(reply, "node");
  if (viaNode.ok && viaNode.data) {
    const { __typename, ...fields } = viaNode.data as Record<string, unknown>;
    viaNode.data = __typename === type ? fields : null;
  }
  ctx.note(viaNode);
  checkById(ctx, op.type, op.id, viaNode, `node(id) as ${type}`);
}

export async function aliasBatch(ctx: OpContext, op: OpOf<"aliasBatch">): Promise<void> {
  const vars: Record<string, string> = {};
  const fields = op.fields.map((f, i) => {
    vars[`i${i}`] = f.id;
    return `f${i}: ${f.kind}(id: $i${i}) { ${BY_ID_SELECTION[f.kind]} }`;
  });
  const decl = op.fields.map((_, i) => `$i${i}: ID!`).join(", ");
  const reply = await ctx.call(`query(${decl}) { ${fields.join(" ")} }`, vars);
  op.fields.forEach((f, i) => {
    const outcome = ctx.outcome(reply, `f${i}`);
    ctx.note(outcome);
    checkById(ctx, f.kind, f.id, outcome, `alias f${i}: ${f.kind}(id)`);
  });
}

export async function entities(ctx: OpContext, op: OpOf<"entities">): Promise<void> {
  const reply = await ctx.call(
    `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Memory { ${BY_ID_SELECTION.memory} } ... on Session { ${BY_ID_SELECTION.session} } } }`,
    { r: op.refs.map((r) => ({ __typename: r.typename, id: r.id })) },
  );
  const top = ctx.outcome(reply, "_entities");
  if (!top.ok) {
    ctx.note(top);
    ctx.report("wrong-outcome", `_entities failed as a whole with ${top.code}: ${top.message.slice(0, 100)}`);
    return;
  }
  op.refs.forEach((ref, i) => {
    const err = reply.errors.find((e) => Array.isArray(e.path) && e.path[0] === "_entities" && e.path[1] === i);
    const outcome =
      err && !top.data?.[i]
        ? { ok: false as const, code: String(err.extensions?.code ?? "NO_CODE"), message: String(err.message) }
        : { ok: true as const, data: top.data?.[i] ?? null };
    ctx.note(outcome);
    checkById(
      ctx,
      ref.typename === "Memory" ? "memory" : "session",
      ref.id,
      outcome,
      `_entities[${i}] ${ref.typename}`,
    );
  });
}

const LIST_SELECTION: Record<ListKind, string> = {
  memories: "id text scope",
  sessions: "id scope endedAt",
  documents: "id title scope chunkCount",
};
const RECORD_OF: Record<ListKind, RecordKind> = { memories: "memory", sessions: "session", documents: "document" };
const MAX_PAGES = 8;

/**
 * A list paged to the end (at most 8 pages). With no cursor or one the key was given for this
 * list, the pages must hold exactly the visible records (after the cursor's position). An unknown,
 * garbage or other list's cursor may be refused with BAD_USER_INPUT, else only visible records may come back.
 */
export async function list(ctx: OpContext, op: OpOf<"memories" | "sessions" | "documents">): Promise<void> {
  const key = ctx.key!;
  const kind = RECORD_OF[op.type];
  const literal = op.literal && op.scope !== undefined ? graphqlLiteral(op.scope) : null;
  const query =
    literal !== null
      ? `query($first: Int, $after: String) { ${op.type}(first: $first, after: $after, scope: ${literal}) { edges { cursor node { ${LIST_SELECTION[op.type]} } } pageInfo { hasNextPage endCursor } } }`
      : `query($first: Int, $after: String, $scope: Scope) { ${op.type}(first: $first, after: $after, scope: $scope) { edges { cursor node { ${LIST_SELECTION[op.type]} } } pageInfo { hasNextPage endCursor } } }`;
  const cursor = op.after === undefined ? undefined : ctx.model.cursors.get(op.after);
  const scopes = checkScopes(key, op.scope);
  // A cursor belongs to one list: the same field read at the same effective scope.
  const view = scopes.fail ? "" : showScope(scopes.effective);
  const exactCursor =
    op.after === undefined || (cursor !== undefined && cursor.list === op.type && cursor.view === view);
  const label = `${op.type}(first=${op.first}, scope=${showScope(op.scope)}${
    op.after === undefined
      ? ""
      : `, after=${cursor ? `${cursor.key === key.label ? "own" : `${cursor.key}'s`} ${cursor.list} cursor` : "unknown cursor"}`
  })`;

  let expected: Expected = DATA;
  if (scopes.fail) expected = scopes.fail;
  else if (!Number.isInteger(op.first) || op.first < 1 || op.first > 100) expected = error("BAD_USER_INPUT");

  const got: string[] = [];
  let after = op.after;
  let capped = false;
  for (let page = 0; ; page++) {
    const reply = await ctx.call(query, { first: op.first, after, scope: literal !== null ? undefined : op.scope });
    const outcome = ctx.outcome(reply, op.type);
    if (page === 0) {
      ctx.note(outcome);
      const refusedCursor = !outcome.ok && outcome.code === "BAD_USER_INPUT" && op.after !== undefined;
      const cursorMayBeRefused = !exactCursor || (cursor !== undefined && cursor.key !== key.label);
      if (refusedCursor && cursorMayBeRefused && expected.kind === "data") return;
      if (!expectOutcome(ctx, label, outcome, expected, { invalidScope: scopes.fail !== undefined && scopes.invalid }))
        return;
    } else if (!outcome.ok) {
      ctx.report("wrong-outcome", `${label}: page ${page + 1} failed with ${outcome.code}`);
      return;
    }
    if (!outcome.ok || outcome.data === null) return;
    for (const edge of outcome.data.edges) {
      got.push(edge.node.id);
      const rec = ctx.model.record(kind, edge.node.id);
      if (rec) {
        ctx.model.noteCursor(edge.cursor, op.type, rec.position, key.label, view);
        checkListNode(ctx, rec, edge.node, label);
      }
    }
    if (!outcome.data.pageInfo.hasNextPage) break;
    if (page + 1 >= MAX_PAGES) {
      capped = true;
      break;
    }
    after = outcome.data.pageInfo.endCursor;
  }
  if (scopes.fail) return; // an accepted invalid scope was reported; nothing exact to compare
  const visible = ctx.model.expectedList(kind, key, scopes.effective);
  if (!exactCursor) {
    // Invariant only: nothing the key may not list.
    const allowed = new Set(visible.map((r) => r.id));
    compareIds(
      ctx,
      label,
      [],
      got.filter((id) => !allowed.has(id)),
    );
    return;
  }
  let want: OwnedRecord[] = cursor ? visible.filter((r) => r.position > cursor.position) : visible;
  if (capped) want = [...want].sort((a, b) => (a.position < b.position ? -1 : 1)).slice(0, got.length);
  compareIds(ctx, label, want, got);
}

/** Fields of a listed node equal the model's record. */
function checkListNode(ctx: OpContext, rec: OwnedRecord, node: any, label: string): void {
  if (node.scope !== undefined && !sameScope(rec.scope, node.scope))
    ctx.report(
      "wrong-outcome",
      `${label}: scope ${showScope(node.scope)} of …${rec.id.slice(-8)}, model has ${showScope(rec.scope)}`,
    );
  const text = (rec as { text?: string }).text;
  if (node.text !== undefined && node.text !== text)
    ctx.report("wrong-outcome", `${label}: text of …${rec.id.slice(-8)} differs`);
}
