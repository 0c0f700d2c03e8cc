import type { Caller } from "../domain/caller.js";
import type { IssuedToken, IssueTokenInput } from "../domain/credentials.js";
import type { ContextService } from "../services/control/contexts.js";
import type { GovernanceService } from "../services/control/governance.js";
import type { KeyService } from "../services/control/keys.js";
import type { TenantApi } from "../services/tenant/api.js";
import type { LiveSupport } from "../services/tenant/live.js";
import type { Tenancy } from "../services/tenant/tenancy.js";

/** What every resolver gets: the caller and the services bound to it for this request. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  /**
   * The request carries the configured router secret (`SCOPEGATE_ROUTER_SECRET`, header
   * `scopegate-router-secret`; http/federation.ts): it may read `_service` and get federation
   * traces. Tenant data still needs the key the router forwards. Absent = false.
   */
  trustedRouter?: boolean;
  /** Aborted when the request times out (SCOPEGATE_REQUEST_TIMEOUT_MS): writes not yet started must not start. */
  signal: AbortSignal;
  /** The request's tenant planes (one binding per Context, built once). */
  tenancy: Tenancy;
  /** The tenant plane of a Context: a context key's own (omit the id), or the one the management key names. Errors: NOT_FOUND. */
  tenant(contextId?: string | null): TenantApi;
  /** A browser token for the calling context key (README: Credentials). Errors: FORBIDDEN, BAD_USER_INPUT. */
  issueToken(input: IssueTokenInput): Promise<IssuedToken>;
  /** Management key only (a FORBIDDEN stand-in for everyone else). */
  contexts: ContextService;
  keys: KeyService;
  governance: GovernanceService;
  /**
   * Set for operations that arrive over a live transport (graphql-ws, graphql-sse): credential
   * re-checks and subscription slots. Absent on POST/GET, which refuse subscriptions.
   */
  live?: LiveSupport;
}
