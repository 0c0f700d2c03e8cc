import { BadUserInputError } from "../../domain/errors.js";
import type { RequestContext } from "../requestContext.js";
import { resolveNode } from "./node.js";

/** The `id` of a representation; anything else is the router's (client's) mistake. */
function idOf(ref: { id?: unknown }): string {
  if (typeof ref.id !== "string")
    throw new BadUserInputError("an entity representation needs a string id", "representations");
  return ref.id;
}

/**
 * Federation entity references (`_entities`). Representations carry the global ids this
 * subgraph answers, and each resolves like `node(id:)` restricted to its type, through the
 * caller's own tenant plane (the scoped executor with the key the router forwarded): a reference
 * to another tenant's Session or Memory, or an id of another type, is null, exactly like
 * `session(id:)` / `memory(id:)`; a Context only for the management key.
 */
export const entityResolvers = {
  Context: {
    __resolveReference: (ref: { id?: unknown }, ctx: RequestContext) => resolveNode(ctx, idOf(ref), "Context"),
  },
  Session: {
    __resolveReference: (ref: { id?: unknown }, ctx: RequestContext) => resolveNode(ctx, idOf(ref), "Session"),
  },
  Memory: {
    __resolveReference: (ref: { id?: unknown }, ctx: RequestContext) => resolveNode(ctx, idOf(ref), "Memory"),
  },
};
