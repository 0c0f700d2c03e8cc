import type { AccessLevel } from "./credentials.js";
import type { KeyModel, PrincipalName, StoredContext } from "./models.js";
import { EMPTY_SCOPE, type Scope } from "./scope.js";

/**
 * A caller that acts inside one Context under a floor (README: Credentials):
 * - `CONTEXT_KEY`: a long-lived key (`sgk_…`); floor, principal and access are the key's;
 * - `TOKEN`: a browser token (`sgt_…`) a key issued; floor narrowed, access at most the key's;
 * - `JWT`: an external identity provider's JWT that the Context trusts; floor mapped from claims.
 */
export type TenantCaller =
  | (TenantCallerBase & {
      kind: "CONTEXT_KEY" | "TOKEN" /** The key, or the key that issued the token. */;
      key: KeyModel;
      /**
       * The key's generation this credential was checked against (browserTokens.ts
       * `keyGeneration`): write transactions refuse it once the key is revoked or rotated
       * away from it, also when that happens while the request runs.
       */
      generation: string;
    })
  | (TenantCallerBase & { kind: "JWT"; key: null });

interface TenantCallerBase {
  context: StoredContext;
  principal: PrincipalName;
  floor: Scope;
  access: AccessLevel;
  /**
   * Who owns what this caller writes (the `owner` of records and the `kid` of its record-user
   * token): the key's id for a key and for every token it issued; `jwt:` + 32 hex digits of
   * SHA-256 over issuer and subject for an external JWT's end user.
   */
  owner: string;
  /** When this credential stops being accepted (ISO-8601); null = not before its key is revoked. */
  expiresAt: string | null;
}

/**
 * The authenticated caller of one request. A credential that was presented but refused is
 * ANONYMOUS with `refused`, a short reason code for the request log (never shown to clients,
 * who get UNAUTHENTICATED alike for every reason). `retryAfter` (seconds) marks a credential
 * that was not even checked because its verifications are throttled: clients get RATE_LIMITED.
 */
export type Caller =
  | { kind: "ANONYMOUS"; refused?: string; retryAfter?: number }
  | { kind: "MANAGEMENT" }
  | TenantCaller;

/** Whether the caller acts inside one Context (any credential but the management key). */
export const isTenantCaller = (caller: Caller): caller is TenantCaller =>
  caller.kind === "CONTEXT_KEY" || caller.kind === "TOKEN" || caller.kind === "JWT";

/** The caller's floor; {} for the management key (it has none) and for anonymous callers. */
export const floorOf = (caller: Caller): Scope => (isTenantCaller(caller) ? caller.floor : EMPTY_SCOPE);
