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

/** The types this subgraph resolves references to (the keys of `entityResolvers`). */
const ENTITY_TYPES = new Set(Object.keys(entityResolvers));

/**
 * Checks `_entities(representations:)` before Apollo's resolver sees it: each representation must
 * be an object whose `__typename` names one of ENTITY_TYPES. @apollo/subgraph throws a plain Error
 * for anything else (no `__typename`, an unknown type, a string), which would answer
 * INTERNAL_SERVER_ERROR for what is the router's (or a client's) mistake.
 * Throws BadUserInputError (field `representations`).
 */
export function checkRepresentations(representations: unknown): void {
  if (!Array.isArray(representations))
    throw new BadUserInputError("representations must be a list of objects", "representations");
  for (const [i, r] of representations.entries()) {
    const typename =
      r !== null && typeof r === "object" && !Array.isArray(r) ? (r as { __typename?: unknown }).__typename : undefined;
    if (typeof typename !== "string" || !ENTITY_TYPES.has(typename))
      throw new BadUserInputError(
        `representations[${i}] needs a __typename of ${[...ENTITY_TYPES].join(", ")} and a string id`,
        "representations",
      );
  }
}
