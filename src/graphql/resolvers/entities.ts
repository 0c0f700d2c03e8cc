import type { RequestContext } from "../requestContext.js";
import { nullIfNotFound } from "./control.js";

/**
 * Federation entity references (`_entities`). Each resolves through the caller's own services,
 * i.e. the scoped executor with the key the router forwarded: a reference to another tenant's
 * Session or Memory is null, exactly like `session(id:)` / `memory(id:)`.
 */
export const entityResolvers = {
  Context: {
    __resolveReference: async (ref: { id: string }, ctx: RequestContext) =>
      ctx.caller.kind === "MANAGEMENT" ? ((await ctx.contexts.getMany([ref.id]))[0] ?? null) : null,
  },
  Session: {
    __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.tenant.session(ref.id).catch(nullIfNotFound),
  },
  Memory: {
    __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.tenant.memory(ref.id).catch(nullIfNotFound),
  },
};
