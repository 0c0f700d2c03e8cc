import type { Resolvers } from "../../generated/graphql.js";
import { connection, orNull } from "./connections.js";

/** Management-plane fields: arguments in, one service call out. */
export const controlResolvers: Resolvers = {
  Query: {
    contexts: (_p, _a, ctx) => ctx.contexts.list(),
    context: async (_p, { id }, ctx) => (await ctx.contexts.getMany([id]))[0] ?? null,
    keys: (_p, { contextId }, ctx) => ctx.keys.list(contextId),
    scopeAudit: async (_p, { contextId, dimension }, ctx) => {
      const report = await ctx.governance.scopeAudit(contextId, dimension ?? "org");
      const { markdown: _markdown, ...json } = report;
      return { ...report, json };
    },
  },
  Mutation: {
    createContext: (_p, { input }, ctx) =>
      ctx.contexts.create({ ...input, config: input.config as Record<string, unknown> | null }),
    updateContext: (_p, { id, config }, ctx) => ctx.contexts.update(id, config as Record<string, unknown>),
    deleteContext: (_p, { id }, ctx) => ctx.contexts.delete(id),
    createKey: (_p, { contextId, input }, ctx) => ctx.keys.create(contextId, input),
    revokeKey: (_p, { contextId, name }, ctx) => ctx.keys.revoke(contextId, name),
    rotateKey: (_p, { contextId, name }, ctx) => ctx.keys.rotate(contextId, name),
    runRetention: (_p, { contextId, dryRun }, ctx) => ctx.governance.runRetention(contextId, dryRun ?? false),
    reindex: (_p, { contextId, dryRun }, ctx) => ctx.tenant(contextId).reindex.run(dryRun ?? false),
    redactScope: (_p, { contextId, scope, dryRun, revokeKeys }, ctx) =>
      ctx.governance.redactScope(contextId, scope, dryRun ?? false, revokeKeys ?? false),
  },
  Context: {
    keys: (c, _a, ctx) => ctx.keys.list(c.id),
    session: (c, { id }, ctx) => orNull(() => ctx.tenant(c.id).sessions.get(id)),
    sessions: async (c, args, ctx) => connection(await ctx.tenant(c.id).sessions.page(args)),
    memory: (c, { id }, ctx) => orNull(() => ctx.tenant(c.id).memories.get(id)),
    memories: async (c, args, ctx) => connection(await ctx.tenant(c.id).memories.page(args)),
    tokenUsage: (c, args, ctx) => ctx.tenant(c.id).usage.tokenUsage(args),
    recall: (c, args, ctx) => ctx.tenant(c.id).recall.recall(args),
    decisionTraces: async (c, args, ctx) => connection(await ctx.tenant(c.id).usage.traces(args)),
    document: (c, { id }, ctx) => orNull(() => ctx.tenant(c.id).documents.get(id)),
    documents: async (c, args, ctx) => connection(await ctx.tenant(c.id).documents.page(args)),
  },
  Key: {
    context: async (k, _a, ctx) => (await ctx.contexts.getMany([k.contextId]))[0]!,
  },
};
