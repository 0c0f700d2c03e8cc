import { contextGlobalId, contextIdOf, globalId } from "../../domain/globalIds.js";
import type { Resolvers } from "../../generated/graphql.js";
import { connection } from "./connections.js";
import { byId, optionalLocal } from "./ids.js";

/**
 * Management-plane fields: arguments in, one service call out. A Context is named by its global
 * id or by its own id as created (`tenant-alpha`); both reach the same service call.
 */
export const controlResolvers: Resolvers = {
  Query: {
    contexts: (_p, _a, ctx) => ctx.contexts.list(),
    context: async (_p, { id }, ctx) => (await ctx.contexts.getMany([contextIdOf(id)]))[0] ?? null,
    keys: (_p, { contextId }, ctx) => ctx.keys.list(contextIdOf(contextId)),
    scopeAudit: async (_p, { contextId, dimension }, ctx) => {
      const report = await ctx.governance.scopeAudit(contextIdOf(contextId), dimension ?? "org");
      const { markdown: _markdown, ...json } = report;
      return { ...report, json };
    },
  },
  Mutation: {
    createContext: (_p, { input }, ctx) =>
      ctx.contexts.create({ ...input, config: input.config as Record<string, unknown> | null }),
    updateContext: (_p, { id, config }, ctx) => ctx.contexts.update(contextIdOf(id), config as Record<string, unknown>),
    deleteContext: (_p, { id }, ctx) => ctx.contexts.delete(contextIdOf(id)),
    createKey: (_p, { contextId, input }, ctx) => ctx.keys.create(contextIdOf(contextId), input),
    revokeKey: (_p, { contextId, name }, ctx) => ctx.keys.revoke(contextIdOf(contextId), name),
    rotateKey: (_p, { contextId, name }, ctx) => ctx.keys.rotate(contextIdOf(contextId), name),
    runRetention: (_p, { contextId, dryRun }, ctx) =>
      ctx.governance.runRetention(contextIdOf(contextId), dryRun ?? false),
    reindex: (_p, { contextId, dryRun }, ctx) => ctx.tenant(contextIdOf(contextId)).reindex.run(dryRun ?? false),
    redactScope: (_p, { contextId, scope, dryRun, revokeKeys }, ctx) =>
      ctx.governance.redactScope(contextIdOf(contextId), scope, dryRun ?? false, revokeKeys ?? false),
  },
  Context: {
    id: (c) => contextGlobalId(c.id),
    name: (c) => c.id,
    keys: (c, _a, ctx) => ctx.keys.list(c.id),
    session: (c, { id }, ctx) =>
      byId(
        () => ctx.tenant(c.id),
        "Session",
        id,
        (api, local) => api.sessions.get(local),
      ),
    sessions: async (c, args, ctx) => connection(await ctx.tenant(c.id).sessions.page(args)),
    memory: (c, { id }, ctx) =>
      byId(
        () => ctx.tenant(c.id),
        "Memory",
        id,
        (api, local) => api.memories.get(local),
      ),
    memories: async (c, args, ctx) => connection(await ctx.tenant(c.id).memories.page(args)),
    tokenUsage: (c, args, ctx) => ctx.tenant(c.id).usage.tokenUsage(args),
    recall: (c, args, ctx) => {
      const api = ctx.tenant(c.id);
      return api.recall.recall({ ...args, sessionId: optionalLocal(api, "Session", args.sessionId) });
    },
    decisionTraces: async (c, args, ctx) => connection(await ctx.tenant(c.id).usage.traces(args)),
    document: (c, { id }, ctx) =>
      byId(
        () => ctx.tenant(c.id),
        "Document",
        id,
        (api, local) => api.documents.get(local),
      ),
    documents: async (c, args, ctx) => connection(await ctx.tenant(c.id).documents.page(args)),
  },
  Key: {
    id: (k) => globalId("Key", k.contextId, k.id),
    keyId: (k) => k.id,
    context: async (k, _a, ctx) => (await ctx.contexts.getMany([k.contextId]))[0]!,
  },
  AuditKey: {
    id: (k) => globalId("AuditKey", k.contextId, k.id),
    keyId: (k) => k.id,
  },
};
