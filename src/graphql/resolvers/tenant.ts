import type { Resolvers } from "../../generated/graphql.js";
import { encodeCursor } from "../../services/tenantService.js";
import { connection, nullIfNotFound } from "./control.js";

/** Tenant-plane fields: arguments in, one service call out. */
export const tenantResolvers: Resolvers = {
  Query: {
    me: (_p, _a, { caller }) =>
      caller.kind === "CONTEXT_KEY"
        ? {
            kind: "CONTEXT_KEY",
            contextId: caller.context.id,
            keyName: caller.key.name,
            principal: caller.key.principal,
            scopeFloor: caller.key.scopeFloor,
          }
        : { kind: "MANAGEMENT" },
    session: (_p, { id }, ctx) => ctx.tenant.session(id).catch(nullIfNotFound),
    sessions: async (_p, args, ctx) => connection(await ctx.tenant.sessions(args)),
    memory: (_p, { id }, ctx) => ctx.tenant.memory(id).catch(nullIfNotFound),
    memories: async (_p, args, ctx) => connection(await ctx.tenant.memories(args)),
    tokenUsage: (_p, args, ctx) => ctx.tenant.tokenUsage(args),
    recall: (_p, args, ctx) => ctx.recall.recall(args),
    decisionTraces: async (_p, args, ctx) => connection(await ctx.tenant.decisionTraces(args)),
    document: (_p, { id }, ctx) => ctx.documents.document(id).catch(nullIfNotFound),
    documents: async (_p, args, ctx) => connection(await ctx.documents.documents(args)),
  },
  Mutation: {
    createSession: (_p, { input }, ctx) => ctx.tenant.createSession(input),
    addTurn: (_p, { sessionId, input }, ctx) => ctx.tenant.addTurn(sessionId, input),
    endSession: (_p, { id }, ctx) => ctx.tenant.endSession(id),
    remember: (_p, { input }, ctx) => (input.infer ? ctx.answers.rememberWithFacts(input) : ctx.tenant.remember(input)),
    answer: (_p, { input }, ctx) => ctx.answers.answer(input),
    forget: (_p, { input }, ctx) => ctx.tenant.forget(input),
    rememberMany: (_p, { input }, ctx) => ctx.tenant.rememberMany(input),
    uploadDocument: (_p, { input }, ctx) => ctx.documents.upload(input),
    deleteDocument: (_p, { id, contextId }, ctx) => ctx.documents.delete(id, contextId),
  },
  Session: {
    turns: async (s, { first, after }, ctx) => {
      const page = await ctx.tenant.turns(s, first, after);
      const edges = page.items.map((node) => ({ node, cursor: encodeCursor(node.seq) }));
      return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    memories: (s, { first }, ctx) => ctx.tenant.sessionMemories(s, first),
  },
  Memory: {
    session: (m, _a, ctx) => ctx.tenant.memorySession(m),
    source: (m, _a, ctx) => ctx.tenant.memorySource(m),
    derived: (m, _a, ctx) => ctx.tenant.derivedMemories(m),
  },
  DecisionTrace: {
    totalTokens: (t) => t.promptTokens + t.completionTokens,
    session: (t, _a, ctx) => (t.sessionId ? ctx.tenant.session(t.sessionId, t.contextId).catch(nullIfNotFound) : null),
  },
  RecallHit: {
    text: (h) => h.memory?.text ?? h.chunk?.text ?? "",
  },
  Document: {
    chunks: (d, _a, ctx) => ctx.documents.chunks(d),
  },
  DocumentChunk: {
    document: (c, _a, ctx) => ctx.documents.chunkDocument(c),
  },
};
