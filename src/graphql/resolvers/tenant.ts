import { isTenantCaller } from "../../domain/caller.js";
import { BadUserInputError } from "../../domain/errors.js";
import type { Resolvers } from "../../generated/graphql.js";
import type { RequestContext } from "../requestContext.js";
import { connection, orNull } from "./connections.js";

/** Tenant-plane fields: arguments in, one service call out, on the caller's own Context (or the one named). */
export const tenantResolvers: Resolvers = {
  Query: {
    me: (_p, _a, { caller }) =>
      isTenantCaller(caller)
        ? {
            kind: caller.kind,
            contextId: caller.context.id,
            keyName: caller.key?.name ?? null,
            principal: caller.principal,
            scopeFloor: caller.floor,
            access: caller.access,
            expiresAt: caller.expiresAt,
          }
        : { kind: "MANAGEMENT" },
    session: (_p, { id }, ctx) => orNull(() => ctx.tenant().sessions.get(id)),
    sessions: async (_p, args, ctx) => connection(await ctx.tenant().sessions.page(args)),
    memory: (_p, { id }, ctx) => orNull(() => ctx.tenant().memories.get(id)),
    memories: async (_p, args, ctx) => connection(await ctx.tenant().memories.page(args)),
    tokenUsage: (_p, args, ctx) => ctx.tenant().usage.tokenUsage(args),
    recall: (_p, args, ctx) => ctx.tenant().recall.recall(args),
    decisionTraces: async (_p, args, ctx) => connection(await ctx.tenant().usage.traces(args)),
    document: (_p, { id }, ctx) => orNull(() => ctx.tenant().documents.get(id)),
    documents: async (_p, args, ctx) => connection(await ctx.tenant().documents.page(args)),
  },
  Mutation: {
    issueToken: (_p, { input }, ctx) => ctx.issueToken(input),
    createSession: (_p, { input }, ctx) => ctx.tenant().sessions.create(input),
    addTurn: (_p, { sessionId, input }, ctx) => ctx.tenant().sessions.addTurn(sessionId, input),
    endSession: (_p, { id }, ctx) => ctx.tenant().sessions.end(id),
    remember: (_p, { input }, ctx) =>
      input.infer
        ? ctx.tenant(input.contextId).answers.rememberWithFacts(input)
        : ctx.tenant(input.contextId).memories.remember(input),
    answer: (_p, { input }, ctx) => ctx.tenant(input.contextId).answers.answer(input),
    forget: (_p, { input }, ctx) => ctx.tenant(input.contextId).memories.forget(input),
    rememberMany: (_p, { input }, ctx) => ctx.tenant(input.contextId).memories.rememberMany(input),
    uploadDocument: (_p, { input }, ctx) => ctx.tenant(input.contextId).documents.upload(input),
    deleteDocument: (_p, { id, contextId }, ctx) => ctx.tenant(contextId).documents.delete(id),
  },
  // Each subscribe returns a stream of `{ field: value }` payloads (or `{ field: error }` to end
  // with an error), which graphql-js's default resolver reads; graphql-shield wraps `subscribe`.
  Subscription: {
    memoryEvents: { subscribe: (_p, { scope }, ctx) => live(ctx.tenant().live.memoryEvents(scope, liveOf(ctx))) },
    sessionTurns: {
      subscribe: (_p, { sessionId }, ctx) => live(ctx.tenant().live.sessionTurns(sessionId, liveOf(ctx))),
    },
    answerStream: {
      subscribe: (_p, { input }, ctx) => live(ctx.tenant(input.contextId).answers.answerStream(input, liveOf(ctx))),
    },
  },
  Session: {
    turns: async (s, { first, after }, ctx) =>
      connection(await ctx.tenant(s.contextId).sessions.turns(s, first, after)),
    memories: (s, { first }, ctx) => ctx.tenant(s.contextId).sessions.memories(s, first),
  },
  Memory: {
    session: (m, _a, ctx) => ctx.tenant(m.contextId).memories.session(m),
    source: (m, _a, ctx) => ctx.tenant(m.contextId).memories.source(m),
    derived: (m, _a, ctx) => ctx.tenant(m.contextId).memories.derived(m),
  },
  DecisionTrace: {
    totalTokens: (t) => t.promptTokens + t.completionTokens,
    session: (t, _a, ctx) => (t.sessionId ? orNull(() => ctx.tenant(t.contextId).sessions.get(t.sessionId!)) : null),
  },
  RecallHit: {
    text: (h) => h.memory?.text ?? h.chunk?.text ?? "",
  },
  Document: {
    chunks: (d, _a, ctx) => ctx.tenant(d.contextId).documents.chunks(d),
  },
  DocumentChunk: {
    document: (c, _a, ctx) => ctx.tenant(c.contextId).documents.chunkDocument(c),
  },
};

/** The live transport's support of this operation. Errors: BAD_USER_INPUT (a subscription that came over POST/GET). */
function liveOf(ctx: RequestContext) {
  if (!ctx.live) throw new BadUserInputError("subscriptions run over WebSocket (/graphql) or SSE (/graphql/stream)");
  return ctx.live;
}

/** A service's payload stream, typed as the generated subscription resolvers expect. */
const live = (stream: Promise<AsyncIterableIterator<unknown>>) => stream as Promise<AsyncIterable<any>>;
