/**
 * Writes: remember (optionally into a session, with inference, naming a Context),
 * rememberMany and uploadDocument. Each is stamped with E = F ∪ R; refused scopes, sessions the
 * key cannot read and foreign Contexts fail as the model says, and nothing is half-written.
 */
import type { OpContext } from "../context.js";
import { checkDocumentNode, checkMemoryNode, DATA, error, expectOutcome, type Expected } from "../checks.js";
import type { OpOf } from "../operation.js";
import type { DocumentRecord } from "../model.js";
import { sameScope, showScope, type Scope } from "../scope.js";
import { addMemory, checkScopes, graphqlLiteral } from "./common.js";
import { describeSession } from "./sessions.js";

const MEMORY_SELECTION = "id text scope session { id }";

/** A session id the key may name in remember/recall: one it can read by id; else NOT_FOUND. */
function sessionUsable(ctx: OpContext, sessionId: string | undefined): boolean {
  if (sessionId === undefined) return true;
  return ctx.model.readableById(ctx.key!, ctx.model.sessions.get(sessionId));
}

function ownsNarrowedSession(ctx: OpContext, sessionId: string | undefined): boolean {
  return sessionId !== undefined && ctx.model.readableOnlyAsOwner(ctx.key!, ctx.model.sessions.get(sessionId));
}

export async function remember(ctx: OpContext, op: OpOf<"remember">): Promise<void> {
  const key = ctx.key!;
  ctx.model.bumpTenant(key.tenant.name);
  const literal = op.literal && op.scope !== undefined ? graphqlLiteral(op.scope) : null;
  const query =
    literal !== null
      ? `mutation($text: String!, $sid: ID, $infer: Boolean, $cid: ID) { remember(input: { text: $text, scope: ${literal}, sessionId: $sid, infer: $infer, contextId: $cid }) { ${MEMORY_SELECTION} } }`
      : `mutation($i: RememberInput!) { remember(input: $i) { ${MEMORY_SELECTION} } }`;
  const input = { text: op.text, scope: op.scope, sessionId: op.sessionId, infer: op.infer, contextId: op.contextId };
  const reply = await ctx.call(
    query,
    literal !== null ? { text: op.text, sid: op.sessionId, infer: op.infer, cid: op.contextId } : { i: input },
  );
  const outcome = ctx.outcome(reply, "remember");
  ctx.note(outcome);

  const scopes = checkScopes(key, op.scope);
  const foreignContext = op.contextId !== undefined && op.contextId !== key.contextId;
  let expected: Expected = DATA;
  if (scopes.fail?.kind === "error" && scopes.fail.code === "BAD_USER_INPUT") expected = scopes.fail;
  else if (scopes.fail || foreignContext) expected = error("FORBIDDEN");
  else if (!sessionUsable(ctx, op.sessionId)) expected = error("NOT_FOUND");
  const label = `remember(scope=${showScope(op.scope)}${op.sessionId !== undefined ? `, ${describeSession(ctx, op.sessionId)}` : ""}${
    op.contextId ? `, contextId=${op.contextId}` : ""
  }${op.infer ? ", infer" : ""})`;
  expectOutcome(ctx, label, outcome, expected, {
    invalidScope: scopes.fail !== undefined && scopes.invalid,
    ownership: ownsNarrowedSession(ctx, op.sessionId),
  });
  if (!outcome.ok || outcome.data === null) return;
  const made = outcome.data;
  if (!scopes.fail && !sameScope(made.scope, scopes.effective))
    ctx.report("wrong-outcome", `${label}: stamped ${showScope(made.scope)}, expected ${showScope(scopes.effective)}`);
  const session = op.sessionId && ctx.model.sessions.has(op.sessionId) ? op.sessionId : null;
  addMemory(ctx, made, session, null, op.contextId ?? key.contextId);
  checkMemoryNode(ctx, made, label);
  if (op.infer) {
    // Facts extracted by the model are stored with the source: learn their ids from the management key.
    const d = await ctx.manage(
      `query($c: ID!, $id: ID!) { context(id: $c) { memory(id: $id) { derived { id text scope } } } }`,
      { c: key.contextId, id: made.id },
    );
    for (const fact of d.context.memory?.derived ?? []) addMemory(ctx, fact, session, made.id);
  }
}

export async function rememberMany(ctx: OpContext, op: OpOf<"rememberMany">): Promise<void> {
  const key = ctx.key!;
  ctx.model.bumpTenant(key.tenant.name);
  const reply = await ctx.call(`mutation($i: RememberManyInput!) { rememberMany(input: $i) { id text scope } }`, {
    i: { items: op.items, scope: op.scope, sessionId: op.sessionId },
  });
  const outcome = ctx.outcome(reply, "rememberMany");
  ctx.note(outcome);
  const scopes = checkScopes(key, op.scope, ...op.items.map((i) => i.scope));
  let expected: Expected = DATA;
  if (scopes.fail) expected = scopes.fail;
  else if (op.items.some((i) => i.text.trim() === "")) expected = error("BAD_USER_INPUT");
  else if (!sessionUsable(ctx, op.sessionId)) expected = error("NOT_FOUND");
  const label = `rememberMany(${op.items.length} items, scope=${showScope(op.scope)}, item scopes=${op.items
    .map((i) => showScope(i.scope))
    .join("|")}${op.sessionId !== undefined ? `, ${describeSession(ctx, op.sessionId)}` : ""})`;
  expectOutcome(ctx, label, outcome, expected, {
    invalidScope: scopes.fail !== undefined && scopes.invalid,
    ownership: ownsNarrowedSession(ctx, op.sessionId),
  });
  if (!outcome.ok || outcome.data === null) return;
  const session = op.sessionId && ctx.model.sessions.has(op.sessionId) ? op.sessionId : null;
  const made: Array<{ id: string; text: string; scope: Scope }> = outcome.data;
  if (made.length !== op.items.length)
    ctx.report("wrong-outcome", `${label}: stored ${made.length} of ${op.items.length} items`);
  made.forEach((m, i) => {
    const item = op.items[i];
    const want = item ? checkScopes(key, item.scope ?? op.scope) : undefined;
    if (want && !want.fail && !sameScope(m.scope, want.effective))
      ctx.report(
        "wrong-outcome",
        `${label}: item ${i} stamped ${showScope(m.scope)}, expected ${showScope(want.effective)}`,
      );
    if (item && m.text !== item.text) ctx.report("wrong-outcome", `${label}: item ${i} text differs`);
    addMemory(ctx, m, session);
  });
}

export async function uploadDocument(ctx: OpContext, op: OpOf<"uploadDocument">): Promise<void> {
  const key = ctx.key!;
  ctx.model.bumpTenant(key.tenant.name);
  const reply = await ctx.call(
    `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { deduplicated document { id title scope chunkCount chunks { id position document { id } } } } }`,
    { i: { title: op.title, content: op.content, mimeType: op.mimeType, scope: op.scope } },
  );
  const outcome = ctx.outcome(reply, "uploadDocument");
  ctx.note(outcome);
  const scopes = checkScopes(key, op.scope);
  const expected: Expected = scopes.fail ?? (op.title.trim() === "" ? error("BAD_USER_INPUT") : DATA);
  const label = `uploadDocument(scope=${showScope(op.scope)}, ${op.content.length} chars)`;
  expectOutcome(ctx, label, outcome, expected, { invalidScope: scopes.fail !== undefined && scopes.invalid });
  if (!outcome.ok || outcome.data === null) return;
  const doc = outcome.data.document;
  const effective: Scope = scopes.fail ? doc.scope : scopes.effective;
  if (!sameScope(doc.scope, effective))
    ctx.report("wrong-outcome", `${label}: stamped ${showScope(doc.scope)}, expected ${showScope(effective)}`);
  const twin = [...ctx.model.documents.values()].find(
    (d) =>
      d.alive &&
      d.contextId === key.contextId &&
      sameScope(d.scope, effective) &&
      d.mimeType === op.mimeType &&
      d.content === op.content,
  );
  if (twin && (!outcome.data.deduplicated || doc.id !== twin.id))
    ctx.report(
      "wrong-outcome",
      `${label}: identical content at the same scope should return …${twin.id.slice(-8)} deduplicated, got …${String(doc.id).slice(-8)} deduplicated=${outcome.data.deduplicated}`,
    );
  if (!twin && outcome.data.deduplicated)
    ctx.report("wrong-outcome", `${label}: deduplicated=true but no live twin exists (…${String(doc.id).slice(-8)})`);
  if (ctx.model.documents.has(doc.id)) {
    checkDocumentNode(ctx, doc, label);
    return;
  }
  const d = await ctx.manage(`query($c: ID!, $id: ID!) { context(id: $c) { document(id: $id) { chunks { id } } } }`, {
    c: key.contextId,
    id: doc.id,
  });
  const chunkIds: string[] = (d.context.document?.chunks ?? []).map((c: { id: string }) => c.id);
  const rec: DocumentRecord = {
    id: doc.id,
    contextId: key.contextId,
    scope: doc.scope,
    owner: key.label,
    tenant: key.tenant.name,
    position: ctx.model.nextPosition(),
    alive: true,
    title: op.title.trim(),
    mimeType: op.mimeType,
    content: op.content,
    chunkIds,
  };
  ctx.model.documents.set(rec.id, rec);
  for (const c of chunkIds) ctx.model.chunkDocument.set(c, rec.id);
  checkDocumentNode(ctx, doc, label);
}
