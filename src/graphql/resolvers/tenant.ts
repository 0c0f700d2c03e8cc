import { isTenantCaller } from "../../domain/caller.js";
import { BadUserInputError } from "../../domain/errors.js";
import { globalId } from "../../domain/globalIds.js";
import type { Resolvers } from "../../generated/graphql.js";
import type { RequestContext } from "../requestContext.js";
import { connection, orNull } from "./connections.js";
import { byId, localArg, localOrNone, optionalLocal, tenantOf } from "./ids.js";
import { type NodeValue, resolveNode, resolveNodes } from "./node.js";

/**
 * Tenant-plane fields: arguments in, one service call out, on the caller's own Context (or the
 * one named). Ids are global at this edge (./ids.ts): arguments are decoded against the Context
 * the field acts in, and every `id` answered is encoded with its type and Context.
 */
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
    node: (_p, { id }, ctx) => resolveNode(ctx, id),
    nodes: (_p, { ids }, ctx) => resolveNodes(ctx, ids),
    session: (_p, { id }, ctx) =>
      byId(
        () => ctx.tenant(),
        "Session",
        id,
        (api, local) => api.sessions.get(local),
      ),
    sessions: async (_p, args, ctx) => connection(await ctx.tenant().sessions.page(args)),
    memory: (_p, { id }, ctx) =>
      byId(
        () => ctx.tenant(),
        "Memory",
        id,
        (api, local) => api.memories.get(local),
      ),
    memories: async (_p, args, ctx) => connection(await ctx.tenant().memories.page(args)),
    tokenUsage: (_p, args, ctx) => ctx.tenant().usage.tokenUsage(args),
    recall: (_p, args, ctx) => {
      const api = ctx.tenant();
      return api.recall.recall({ ...args, sessionId: optionalLocal(api, "Session", args.sessionId) });
    },
    decisionTraces: async (_p, args, ctx) => connection(await ctx.tenant().usage.traces(args)),
    document: (_p, { id }, ctx) =>
      byId(
        () => ctx.tenant(),
        "Document",
        id,
        (api, local) => api.documents.get(local),
      ),
    documents: async (_p, args, ctx) => connection(await ctx.tenant().documents.page(args)),
  },
  Mutation: {
    issueToken: (_p, { input }, ctx) => ctx.issueToken(input),
    createSession: (_p, { input }, ctx) => ctx.tenant().sessions.create(input),
    addTurn: (_p, { sessionId, input }, ctx) => {
      const api = ctx.tenant();
      return api.sessions.addTurn(localOrNone(api, "Session", sessionId), input);
    },
    endSession: (_p, { id }, ctx) => {
      const api = ctx.tenant();
      return api.sessions.end(localOrNone(api, "Session", id));
    },
    remember: (_p, { input }, ctx) => {
      const api = tenantOf(ctx, input.contextId);
      const local = { ...input, sessionId: optionalLocal(api, "Session", input.sessionId) };
      return input.infer ? api.answers.rememberWithFacts(local) : api.memories.remember(local);
    },
    answer: (_p, { input }, ctx) => {
      const api = tenantOf(ctx, input.contextId);
      return api.answers.answer({ ...input, sessionId: optionalLocal(api, "Session", input.sessionId) });
    },
    forget: async (_p, { input }, ctx) => {
      const api = tenantOf(ctx, input.contextId);
      // Ids that name no memory of this Context are dropped: they count 0, like unknown ones.
      const ids = input.ids?.flatMap((id) => localArg(api, "Memory", id) ?? []);
      const result = await api.memories.forget({ ...input, ids });
      return { ...result, ids: result.ids.map((id) => globalId("Memory", api.binding.contextId, id)) };
    },
    rememberMany: (_p, { input }, ctx) => {
      const api = tenantOf(ctx, input.contextId);
      return api.memories.rememberMany({ ...input, sessionId: optionalLocal(api, "Session", input.sessionId) });
    },
    uploadDocument: (_p, { input }, ctx) => tenantOf(ctx, input.contextId).documents.upload(input),
    deleteDocument: (_p, { id, contextId }, ctx) => {
      const api = tenantOf(ctx, contextId);
      return api.documents.delete(localOrNone(api, "Document", id));
    },
  },
  // Each subscribe returns a stream of `{ field: value }` payloads (or `{ field: error }` to end
  // with an error), which graphql-js's default resolver reads; graphql-shield wraps `subscribe`.
  Subscription: {
    memoryEvents: { subscribe: (_p, { scope }, ctx) => live(ctx.tenant().live.memoryEvents(scope, liveOf(ctx))) },
    sessionTurns: {
      subscribe: (_p, { sessionId }, ctx) => {
        const api = ctx.tenant();
        return live(api.live.sessionTurns(localOrNone(api, "Session", sessionId), liveOf(ctx)));
      },
    },
    answerStream: {
      subscribe: (_p, { input }, ctx) => {
        const api = tenantOf(ctx, input.contextId);
        const local = { ...input, sessionId: optionalLocal(api, "Session", input.sessionId) };
        return live(api.answers.answerStream(local, liveOf(ctx)));
      },
    },
  },
  Node: {
    // node/nodes/_entities tag what they resolve (resolvers/node.ts); no other field answers a Node.
    __resolveType: (node) => (node as NodeValue).__typename,
  },
  Session: {
    id: (s) => globalId("Session", s.contextId, s.id),
    turns: async (s, args, ctx) => ({
      ...connection(await ctx.tenant(s.contextId).sessions.turns(s, args)),
      session: s,
    }),
    memories: (s, { first }, ctx) => ctx.tenant(s.contextId).sessions.memories(s, first),
  },
  TurnConnection: {
    totalCount: (c, _a, ctx) => ctx.tenant(c.session.contextId).sessions.turnCount(c.session),
  },
  Turn: {
    id: (t) => globalId("Turn", t.contextId, t.id),
  },
  Memory: {
    id: (m) => globalId("Memory", m.contextId, m.id),
    session: (m, _a, ctx) => ctx.tenant(m.contextId).memories.session(m),
    source: (m, _a, ctx) => ctx.tenant(m.contextId).memories.source(m),
    derived: (m, _a, ctx) => ctx.tenant(m.contextId).memories.derived(m),
  },
  MemoryEvent: {
    // Unique per event (a memory is created once and forgotten once); the memory's own id is memoryId.
    id: (e) => globalId("MemoryEvent", e.contextId, `${e.kind}:${e.id}`),
    memoryId: (e) => globalId("Memory", e.contextId, e.id),
  },
  DecisionTrace: {
    id: (t) => globalId("DecisionTrace", t.contextId, t.id),
    totalTokens: (t) => t.promptTokens + t.completionTokens,
    session: (t, _a, ctx) => (t.sessionId ? orNull(() => ctx.tenant(t.contextId).sessions.get(t.sessionId!)) : null),
  },
  RecallHit: {
    text: (h) => h.memory?.text ?? h.chunk?.text ?? "",
  },
  Document: {
    id: (d) => globalId("Document", d.contextId, d.id),
    chunks: (d, _a, ctx) => ctx.tenant(d.contextId).documents.chunks(d),
  },
  DocumentChunk: {
    id: (c) => globalId("DocumentChunk", c.contextId, c.id),
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
