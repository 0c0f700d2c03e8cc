import { and, deny, or, rule, shield } from "graphql-shield";
import type { IRules } from "graphql-shield";
import { isTenantCaller } from "../domain/caller.js";
import { ReadOnlyCredentialError } from "../domain/credentials.js";
import { ForbiddenError, UnauthenticatedError } from "../domain/errors.js";
import { contextIdOf } from "../domain/globalIds.js";
import { effectiveScope, parseScope } from "../domain/scope.js";
import type { RequestContext } from "./requestContext.js";

/**
 * Layer 1 (DESIGN §4): who may use which field at all. Every field of every type has an
 * explicit rule; anything missing is denied (fallbackRule) and fails the build (schema.ts).
 */
const isAuthenticated = rule({ cache: "contextual" })(
  (_p, _a, ctx: RequestContext) => ctx.caller.kind !== "ANONYMOUS" || new UnauthenticatedError(),
);

const isManagement = rule({ cache: "contextual" })(
  (_p, _a, ctx: RequestContext) =>
    ctx.caller.kind === "MANAGEMENT" ||
    (ctx.caller.kind === "ANONYMOUS" ? new UnauthenticatedError() : new ForbiddenError("management key required")),
);

/** `_service` (the whole SDL): the management key, or the router with its secret (RequestContext.trustedRouter). */
const isManagementOrRouter = rule({ cache: "contextual" })(
  (_p, _a, ctx: RequestContext) =>
    ctx.caller.kind === "MANAGEMENT" ||
    ctx.trustedRouter === true ||
    (ctx.caller.kind === "ANONYMOUS"
      ? new UnauthenticatedError()
      : new ForbiddenError("management key or router secret required")),
);

/** Any tenant caller: a context key, a browser token or an external JWT (README: Credentials). */
const isContextKey = rule({ cache: "contextual" })(
  (_p, _a, ctx: RequestContext) =>
    isTenantCaller(ctx.caller) ||
    (ctx.caller.kind === "ANONYMOUS" ? new UnauthenticatedError() : new ForbiddenError("context key required")),
);

/** A context key itself: tokens and external JWTs cannot issue tokens. */
const isKeyItself = rule({ cache: "contextual" })((_p, _a, ctx: RequestContext) => {
  if (ctx.caller.kind === "ANONYMOUS") return new UnauthenticatedError();
  return ctx.caller.kind === "CONTEXT_KEY" || new ForbiddenError("only a context key can issue tokens");
});

const isAgent = rule({ cache: "contextual" })((_p, _a, ctx: RequestContext) => {
  if (ctx.caller.kind === "ANONYMOUS") return new UnauthenticatedError();
  return (isTenantCaller(ctx.caller) && ctx.caller.principal === "AGENT") || new ForbiddenError("agent key required");
});

/** Writes need a READ_WRITE credential (the management key always is one). */
const mayWrite = rule({ cache: "contextual" })(
  (_p, _a, ctx: RequestContext) =>
    !isTenantCaller(ctx.caller) || ctx.caller.access === "READ_WRITE" || new ReadOnlyCredentialError(),
);

/** Scope arguments must stay inside the caller's floor (same values on floor dims). */
const scopeWithinFloor = rule({ cache: "strict" })((_p, args: Record<string, any>, ctx: RequestContext) => {
  if (!isTenantCaller(ctx.caller)) return true;
  const items: Array<{ scope?: unknown }> = Array.isArray(args.input?.items) ? args.input.items : [];
  const requested = [args.scope, args.input?.scope, ...items.map((i) => i?.scope)].filter(
    (s) => s !== undefined && s !== null,
  );
  try {
    for (const scope of requested) effectiveScope(ctx.caller.floor, parseScope(scope));
    return true;
  } catch (err) {
    return err as Error;
  }
});

/** Tenant callers name no other Context: contextId is for the management key. */
const noForeignContext = rule({ cache: "strict" })((_p, args: Record<string, any>, ctx: RequestContext) => {
  const named = args.contextId ?? args.input?.contextId;
  if (!named || !isTenantCaller(ctx.caller)) return true;
  // The caller's own Context, by its global id or its own id, is not a foreign one.
  return (
    contextIdOf(String(named)) === ctx.caller.context.id || new ForbiddenError("contextId is for the management key")
  );
});

const tenantRead = and(isContextKey, scopeWithinFloor);
const tenantWrite = and(or(isContextKey, isManagement), mayWrite, scopeWithinFloor, noForeignContext);

export const rules: IRules = {
  Query: {
    me: isAuthenticated,
    contexts: isManagement,
    context: isManagement,
    keys: isManagement,
    scopeAudit: isManagement,
    // Federation: composing a supergraph is an operator or router action (the SDL is the whole
    // schema, even with introspection off); entity references are resolved with the caller's forwarded key.
    _service: isManagementOrRouter,
    _entities: isAuthenticated,
    // Relay: every id resolves through the service and visibility rule of its typed field
    // (resolvers/node.ts), so anyone authenticated may ask; what they may not see is null.
    node: isAuthenticated,
    nodes: isAuthenticated,
    session: tenantRead,
    sessions: tenantRead,
    memory: tenantRead,
    memories: tenantRead,
    tokenUsage: tenantRead,
    recall: tenantRead,
    decisionTraces: tenantRead,
    document: tenantRead,
    documents: tenantRead,
  },
  Mutation: {
    createContext: isManagement,
    updateContext: isManagement,
    deleteContext: isManagement,
    createKey: isManagement,
    revokeKey: isManagement,
    rotateKey: isManagement,
    runRetention: isManagement,
    reindex: isManagement,
    redactScope: isManagement,
    issueToken: and(isKeyItself, scopeWithinFloor),
    createSession: and(isAgent, mayWrite, scopeWithinFloor),
    addTurn: and(isAgent, mayWrite),
    endSession: and(isAgent, mayWrite),
    remember: tenantWrite,
    forget: tenantWrite,
    rememberMany: tenantWrite,
    uploadDocument: tenantWrite,
    deleteDocument: tenantWrite,
    answer: tenantWrite,
  },
  // Live data: context keys only (bounded per key); scopes within the floor like the queries.
  Subscription: {
    memoryEvents: tenantRead,
    sessionTurns: tenantRead,
    answerStream: and(tenantRead, noForeignContext),
  },
  // Object types are reached only through the root fields above, which already decided
  // who may see them; their fields are readable by any authenticated caller.
  Caller: { "*": isAuthenticated },
  Context: { "*": isManagement },
  ContextConfig: { "*": isManagement },
  Models: { "*": isManagement },
  Chunking: { "*": isManagement },
  Key: { "*": isManagement },
  ContextAuth: { "*": isManagement },
  JwtPublicKey: { "*": isManagement },
  IssuedToken: { "*": isAuthenticated },
  CreatedKey: { "*": isManagement },
  Session: { "*": isAuthenticated },
  Turn: { "*": isAuthenticated },
  Memory: { "*": isAuthenticated },
  TokenUsage: { "*": isAuthenticated },
  SessionConnection: { "*": isAuthenticated },
  SessionEdge: { "*": isAuthenticated },
  MemoryConnection: { "*": isAuthenticated },
  MemoryEdge: { "*": isAuthenticated },
  TurnConnection: { "*": isAuthenticated },
  TurnEdge: { "*": isAuthenticated },
  PageInfo: { "*": isAuthenticated },
  ForgetResult: { "*": isAuthenticated },
  RecallResult: { "*": isAuthenticated },
  RecallHit: { "*": isAuthenticated },
  Document: { "*": isAuthenticated },
  DocumentChunk: { "*": isAuthenticated },
  DocumentEdge: { "*": isAuthenticated },
  DocumentConnection: { "*": isAuthenticated },
  UploadDocumentResult: { "*": isAuthenticated },
  DecisionTrace: { "*": isAuthenticated },
  DecisionTraceEdge: { "*": isAuthenticated },
  DecisionTraceConnection: { "*": isAuthenticated },
  Usage: { "*": isAuthenticated },
  Citation: { "*": isAuthenticated },
  Answer: { "*": isAuthenticated },
  MemoryEvent: { "*": isAuthenticated },
  AnswerChunk: { "*": isAuthenticated },
  ScopeTokenLimits: { "*": isManagement },
  ContextRateLimit: { "*": isManagement },
  RetentionPolicy: { "*": isManagement },
  TableCount: { "*": isManagement },
  RetentionReport: { "*": isManagement },
  ReindexReport: { "*": isManagement },
  RedactionReport: { "*": isManagement },
  AuditCheck: { "*": isManagement },
  AuditTable: { "*": isManagement },
  AuditKey: { "*": isManagement },
  AuditCount: { "*": isManagement },
  ScopeAudit: { "*": isManagement },
  _Service: { "*": isManagementOrRouter },
};

export const permissions = shield(rules, {
  fallbackRule: deny,
  fallbackError: () => new ForbiddenError("no permission rule allows this field"),
  allowExternalErrors: true,
  debug: false,
});
