/**
 * Credentials a caller may hold besides the long-lived context key (issue 12): short-lived
 * browser tokens a key issues, and JSON Web Tokens of the application's own identity provider
 * that a Context trusts. Pure types and rules; signing and verifying live in `src/auth/`.
 */
import { BadUserInputError, ForbiddenError } from "./errors.js";
import { parseScope, type Scope } from "./scope.js";

/** What a credential may do with tenant data: read only, or read and write (write includes forget). */
export type AccessLevel = "READ" | "READ_WRITE";

export const ACCESS_LEVELS: readonly AccessLevel[] = ["READ", "READ_WRITE"];

/** Whether `wanted` is no more than `allowed` (READ < READ_WRITE). */
export const accessWithin = (wanted: AccessLevel, allowed: AccessLevel): boolean =>
  wanted === "READ" || allowed === "READ_WRITE";

/** A READ credential asked to write, forget or run a model on its own account: FORBIDDEN. */
export class ReadOnlyCredentialError extends ForbiddenError {
  constructor() {
    super("this credential is read-only");
  }
}

/** Browser token lifetimes, in seconds: 15 minutes by default, at most 24 hours. */
export const TOKEN_TTL_DEFAULT_SECONDS = 15 * 60;
export const TOKEN_TTL_MAX_SECONDS = 24 * 60 * 60;

/** The lifetime a token is issued for. Errors: BAD_USER_INPUT outside 1 s … 24 h or not an integer. */
export function tokenTtlSeconds(requested: number | null | undefined): number {
  if (requested === null || requested === undefined) return TOKEN_TTL_DEFAULT_SECONDS;
  if (!Number.isInteger(requested) || requested < 1 || requested > TOKEN_TTL_MAX_SECONDS)
    throw new BadUserInputError(`ttlSeconds must be an integer from 1 to ${TOKEN_TTL_MAX_SECONDS}`, "ttlSeconds");
  return requested;
}

/** `issueToken`'s input: the scope narrows the key's floor, the access is at most the key's. */
export interface IssueTokenInput {
  scope?: Scope | null;
  /** Seconds; default TOKEN_TTL_DEFAULT_SECONDS, at most TOKEN_TTL_MAX_SECONDS. */
  ttlSeconds?: number | null;
  /** Default READ. */
  access?: AccessLevel | null;
}

/** A freshly issued browser token: the secret (shown once, stored nowhere) and what it carries. */
export interface IssuedToken {
  token: string;
  /** ISO-8601; never later than the issuing key's own expiry. */
  expiresAt: string;
  scopeFloor: Scope;
  access: AccessLevel;
}

/** The JWS algorithms an external identity provider may sign with (RFC 8725 §3.1: an explicit allow-list). */
export type JwtAlgorithm = "RS256" | "ES256" | "EdDSA";
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ["RS256", "ES256", "EdDSA"];

/** One verification key of an external issuer: a public JWK (RFC 7517) or a PEM SPKI public key. */
export interface JwtPublicKey {
  kid: string | null;
  alg: JwtAlgorithm;
  jwk: Record<string, unknown> | null;
  pem: string | null;
}

/**
 * A Context's trust in an external identity provider (`config.auth`). A verified JWT's floor is
 * `floor` plus one dimension per `floorClaims` entry (dimension → claim name), each claim
 * present and a valid scope value; its principal and access are fixed here.
 */
export interface ExternalAuthConfig {
  issuer: string;
  audience: string;
  /** Exactly one of jwksUrl and publicKeys is set. */
  jwksUrl: string | null;
  publicKeys: JwtPublicKey[];
  floorClaims: Readonly<Record<string, string>>;
  floor: Scope;
  access: AccessLevel;
  /** A PrincipalName (models.ts), spelled out here so this module imports no models. */
  principal: "AGENT" | "SUPERVISOR";
}

/**
 * A stored `config.auth` (validated when it was written, by contextConfig.ts) as an
 * ExternalAuthConfig; null when there is none or it is not usable. Defensive: anything that
 * does not have the validated shape yields null, so a damaged row trusts no one.
 */
export function storedAuthConfig(value: unknown): ExternalAuthConfig | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const a = value as Record<string, unknown>;
  if (typeof a.issuer !== "string" || typeof a.audience !== "string") return null;
  const jwksUrl = typeof a.jwksUrl === "string" ? a.jwksUrl : null;
  const publicKeys = Array.isArray(a.publicKeys) ? (a.publicKeys as JwtPublicKey[]) : [];
  if ((jwksUrl === null) === (publicKeys.length === 0)) return null;
  const claims = a.floorClaims;
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) return null;
  const floorClaims = Object.create(null) as Record<string, string>;
  for (const [dim, claim] of Object.entries(claims)) {
    if (typeof claim !== "string") return null;
    floorClaims[dim] = claim;
  }
  let floor: Scope;
  try {
    floor = parseScope(a.floor ?? {}, "auth.floor");
  } catch {
    return null;
  }
  return {
    issuer: a.issuer,
    audience: a.audience,
    jwksUrl,
    publicKeys: publicKeys.map((k) => ({ kid: k.kid ?? null, alg: k.alg, jwk: k.jwk ?? null, pem: k.pem ?? null })),
    floorClaims: Object.freeze(floorClaims),
    floor,
    access: a.access === "READ_WRITE" ? "READ_WRITE" : "READ",
    principal: a.principal === "SUPERVISOR" ? "SUPERVISOR" : "AGENT",
  };
}
