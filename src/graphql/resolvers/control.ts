import type { Resolvers } from "../../generated/graphql.js";
import { encodeCursor } from "../../services/tenantService.js";

/** Management-plane fields: arguments in, one service call out. */
export const controlResolvers: Resolvers = {
  Query: {
    contexts: (_p, _a, ctx) => ctx.contexts.list(),
    context: async (_p, { id }, ctx) => (await ctx.contexts.getMany([id]))[0] ?? null,
    keys: (_p, { contextId }, ctx) => ctx.keys.list(contextId),
    scopeAudit: async (_p, { contextId, dimension }, ctx) => {
      const report = await ctx.governance.scopeAudit(contextId, dimension ?? "org");
      const { markdown, ...json } = report;
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
    redactScope: (_p, { contextId, scope, dryRun, revokeKeys }, ctx) =>
      ctx.governance.redactScope(contextId, scope, dryRun ?? false, revokeKeys ?? false),
  },
  Context: {
    keys: (c, _a, ctx) => ctx.keys.list(c.id),
    session: (c, { id }, ctx) => ctx.tenant.session(id, c.id).catch(nullIfNotFound),
    sessions: async (c, args, ctx) => connection(await ctx.tenant.sessions(args, c.id)),
    memory: (c, { id }, ctx) => ctx.tenant.memory(id, c.id).catch(nullIfNotFound),
    memories: async (c, args, ctx) => connection(await ctx.tenant.memories(args, c.id)),
    tokenUsage: (c, args, ctx) => ctx.tenant.tokenUsage(args, c.id),
    recall: (c, args, ctx) => ctx.recall.recall({ ...args, contextId: c.id }),
    decisionTraces: async (c, args, ctx) => connection(await ctx.tenant.decisionTraces(args, c.id)),
    document: (c, { id }, ctx) => ctx.documents.document(id, c.id).catch(nullIfNotFound),
    documents: async (c, args, ctx) => connection(await ctx.documents.documents(args, c.id)),
  },
  Key: {
    context: async (k, _a, ctx) => (await ctx.contexts.getMany([k.contextId]))[0]!,
  },
};

/** A Relay connection; partitioned records page by their time-ordered ulid, others by id. */
export function connection<T extends { id: string; ulid?: string }>(page: { items: T[]; hasNextPage: boolean }) {
  const edges = page.items.map((node) => ({ node, cursor: encodeCursor(node.ulid ?? node.id) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Single-item lookups answer null for what the caller cannot see, like a missing record. */
export function nullIfNotFound(err: any): null {
  if (err?.extensions?.code === "NOT_FOUND") return null;
  throw err;
}
