/**
 * Global ids at the GraphQL edge (domain/globalIds.ts). Services and the database keep using
 * local ids; resolvers encode every `id` they answer and decode every id argument here, against
 * the Context of the tenant plane the field acts in. An id argument that is not a global id of
 * the expected type in that Context names nothing: the field answers exactly as for an unknown
 * record (null, NOT_FOUND, count 0), never with an error of its own.
 */
import { contextIdOf, type IdType, localIdOf } from "../../domain/globalIds.js";
import type { TenantApi } from "../../services/tenant/api.js";
import type { RequestContext } from "../requestContext.js";
import { orNull } from "./connections.js";

/** What an undecodable id argument becomes for a service: the empty id, which names no record. */
export const NO_RECORD = "";

/** The local id an id argument names in `api`'s Context, or null. */
export const localArg = (api: TenantApi, type: Exclude<IdType, "Context">, id: string | null | undefined) =>
  id === null || id === undefined ? null : localIdOf(id, type, api.binding.contextId);

/** Like localArg, for services that answer "unknown" themselves (NOT_FOUND): NO_RECORD instead of null. */
export const localOrNone = (api: TenantApi, type: Exclude<IdType, "Context">, id: string) =>
  localArg(api, type, id) ?? NO_RECORD;

/** An optional id argument (a session to record into, to recall from): absent stays absent, anything else as localOrNone. */
export const optionalLocal = (api: TenantApi, type: Exclude<IdType, "Context">, id: string | null | undefined) =>
  id === null || id === undefined ? id : localOrNone(api, type, id);

/** The tenant plane a field acts in: the caller's own, or the Context a management call names (global id or own id). */
export const tenantOf = (ctx: RequestContext, contextId?: string | null): TenantApi =>
  ctx.tenant(contextId === null || contextId === undefined ? contextId : contextIdOf(contextId));

/**
 * A by-id field of a tenant plane: the record the global id names in that plane's Context, or
 * null when it names none (a malformed id, another type's, another Context's) or the caller may
 * not see it.
 */
export function byId<T>(
  plane: () => TenantApi,
  type: "Session" | "Memory" | "Document",
  id: string,
  get: (api: TenantApi, local: string) => Promise<T>,
): Promise<T | null> {
  return orNull(async () => {
    const api = plane();
    const local = localArg(api, type, id);
    return local === null ? null : get(api, local);
  });
}
