import { isTenantCaller, type Caller } from "../../domain/caller.js";
import { NotFoundError } from "../../domain/errors.js";
import type { QueryCounter } from "../../db/executor/tenantQueries.js";
import { TenantApi } from "./api.js";
import { TenantBinding, type TenancyDeps } from "./binding.js";

/**
 * Hands out one request's tenant plane per Context: a tenant caller (context key, browser token,
 * external JWT) is bound to its own Context only (naming another answers NOT_FOUND, no existence oracle); the management key to the
 * Context it names. Each Context's binding is built once per request and shared by every
 * resolver that acts there.
 */
export class Tenancy {
  private readonly apis = new Map<string, TenantApi>();
  readonly counter: QueryCounter = { queries: 0 };

  constructor(
    private readonly caller: Caller,
    private readonly deps: TenancyDeps,
    /** The request's: aborted when it times out (see TenantBinding). */
    private readonly signal: AbortSignal,
  ) {}

  /** The tenant plane for `contextId` (context keys: omit it or name their own). Errors: NOT_FOUND. */
  tenant(contextId?: string | null): TenantApi {
    const caller = this.caller;
    if (caller.kind === "ANONYMOUS") throw new NotFoundError("context");
    if (isTenantCaller(caller) && contextId && contextId !== caller.context.id) throw new NotFoundError("context");
    const id = isTenantCaller(caller) ? caller.context.id : contextId;
    if (!id) throw new NotFoundError("context");
    let api = this.apis.get(id);
    if (!api) {
      api = new TenantApi(new TenantBinding(caller, id, this.deps, this.counter, this.signal));
      this.apis.set(id, api);
    }
    return api;
  }
}
