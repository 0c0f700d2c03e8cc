/**
 * Sessions: only agents create them (supervisors FORBIDDEN); only the owner key adds turns and
 * ends them (everyone else, a supervisor of the same org included, NOT_FOUND); a turn to an
 * ended session is CONFLICT.
 */
import type { OpContext } from "../context.js";
import { checkSessionNode, DATA, error, expectOutcome, type Expected } from "../checks.js";
import type { OpOf } from "../operation.js";
import { sameScope, showScope } from "../scope.js";
import { checkScopes } from "./common.js";

export async function createSession(ctx: OpContext, op: OpOf<"createSession">): Promise<void> {
  const key = ctx.key!;
  const reply = await ctx.call(`mutation($i: CreateSessionInput!) { createSession(input: $i) { id scope endedAt } }`, {
    i: { scope: op.scope, metadata: op.metadata },
  });
  const outcome = ctx.outcome(reply, "createSession");
  ctx.note(outcome);
  const scopes = checkScopes(key, op.scope);
  let expected: Expected = DATA;
  if (scopes.fail?.kind === "error" && scopes.fail.code === "BAD_USER_INPUT") expected = scopes.fail;
  else if (scopes.fail || key.principal === "SUPERVISOR") expected = error("FORBIDDEN");
  const label = `createSession(scope=${showScope(op.scope)})`;
  expectOutcome(ctx, label, outcome, expected, { invalidScope: scopes.fail !== undefined && scopes.invalid });
  if (!outcome.ok || outcome.data === null) return;
  const s = outcome.data;
  if (!scopes.fail && !sameScope(s.scope, scopes.effective))
    ctx.report("wrong-outcome", `${label}: stamped ${showScope(s.scope)}, expected ${showScope(scopes.effective)}`);
  if (s.endedAt !== null) ctx.report("wrong-outcome", `${label}: a new session is already ended`);
  ctx.model.sessions.set(s.id, {
    id: s.id,
    contextId: key.contextId,
    scope: s.scope,
    owner: key.label,
    tenant: key.tenant.name,
    position: ctx.model.nextPosition(),
    alive: true,
    ended: false,
    turns: [],
  });
}

export async function addTurn(ctx: OpContext, op: OpOf<"addTurn">): Promise<void> {
  const key = ctx.key!;
  const reply = await ctx.call(
    `mutation($s: ID!, $i: AddTurnInput!) { addTurn(sessionId: $s, input: $i) { seq role content } }`,
    { s: op.sessionId, i: { role: op.role, content: op.content } },
  );
  const outcome = ctx.outcome(reply, "addTurn");
  ctx.note(outcome);
  const session = ctx.model.sessions.get(op.sessionId);
  const owned = ctx.model.ownsSession(key, session);
  // Only agent keys add turns (DESIGN §5): a supervisor is refused for any session id alike (no oracle).
  const expected: Expected =
    key.principal !== "AGENT"
      ? error("FORBIDDEN")
      : !owned
        ? error("NOT_FOUND")
        : session!.ended
          ? error("CONFLICT")
          : DATA;
  const label = `addTurn(${describeSession(ctx, op.sessionId)})`;
  expectOutcome(ctx, label, outcome, expected, {
    ownership: owned && ctx.model.readableOnlyAsOwner(key, session),
    oracle: key.principal === "AGENT",
  });
  if (!outcome.ok || outcome.data === null || !session) return;
  session.turns.push({ role: op.role, content: op.content });
  const t = outcome.data;
  if (t.seq !== session.turns.length || t.content !== op.content)
    ctx.report("wrong-outcome", `${label}: turn seq ${t.seq}, expected ${session.turns.length}`);
}

export async function endSession(ctx: OpContext, op: OpOf<"endSession">): Promise<void> {
  const key = ctx.key!;
  const reply = await ctx.call(`mutation($id: ID!) { endSession(id: $id) { id endedAt } }`, { id: op.sessionId });
  const outcome = ctx.outcome(reply, "endSession");
  ctx.note(outcome);
  const session = ctx.model.sessions.get(op.sessionId);
  const owned = ctx.model.ownsSession(key, session);
  const label = `endSession(${describeSession(ctx, op.sessionId)})`;
  const expectedEnd: Expected = key.principal !== "AGENT" ? error("FORBIDDEN") : owned ? DATA : error("NOT_FOUND");
  expectOutcome(ctx, label, outcome, expectedEnd, {
    ownership: owned && ctx.model.readableOnlyAsOwner(key, session),
    oracle: key.principal === "AGENT",
  });
  if (!outcome.ok || outcome.data === null || !session) return;
  session.ended = true;
  checkSessionNode(ctx, outcome.data, label);
}

/** "own session …ABCD {org,user}" etc., for messages. */
export function describeSession(ctx: OpContext, id: string): string {
  const s = ctx.model.sessions.get(id);
  if (!s) return `unknown ${JSON.stringify(id.slice(0, 30))}`;
  const whose =
    s.owner === ctx.key!.label ? "own" : s.tenant === ctx.key!.tenant.name ? `sibling ${s.owner}` : `${s.owner}'s`;
  return `${whose} session …${id.slice(-8)} ${showScope(s.scope)}${s.ended ? " ended" : ""}`;
}
