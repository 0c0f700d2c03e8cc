import { BadUserInputError } from "../../domain/errors.js";
import type { RequestContext } from "../requestContext.js";
import { orNull } from "./connections.js";

/** The `id` of a representation; anything else is the router's (client's) mistake. */
function idOf(ref: { id?: unknown }): string {
  if (typeof ref.id !== "string")
    throw new BadUserInputError("an entity representation needs a string id", "representations");
  return ref.id;
}

/**
 * Federation entity references (`_entities`). Each resolves through the caller's own tenant
 * plane, i.e. the scoped executor with the key the router forwarded: a reference to another
 * tenant's Session or Memory is null, exactly like `session(id:)` / `memory(id:)`.
 */
export const entityResolvers = {
  Context: {
    __resolveReference: async (ref: { id: string }, ctx: RequestContext) =>
      ctx.caller.kind === "MANAGEMENT" ? ((await ctx.contexts.getMany([ref.id]))[0] ?? null) : null,
  },
  Session: {
    __resolveReference: (ref: { id?: unknown }, ctx: RequestContext) =>
      orNull(() => ctx.tenant().sessions.get(idOf(ref))),
  },
  Memory: {
    __resolveReference: (ref: { id?: unknown }, ctx: RequestContext) =>
      orNull(() => ctx.tenant().memories.get(idOf(ref))),
  },
};
