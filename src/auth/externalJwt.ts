import { createHash } from "node:crypto";
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import type { ControlStore } from "../db/controlStore.js";
import type { TenantCaller } from "../domain/caller.js";
import { type ExternalAuthConfig, JWT_ALGORITHMS, type JwtPublicKey, storedAuthConfig } from "../domain/credentials.js";
import type { StoredContext } from "../domain/models.js";
import { ownValue } from "../domain/models.js";
import { parseScope, type Scope } from "../domain/scope.js";

/** Longest JWT considered at all (bytes of the compact form); real ID and access tokens are far shorter. */
const MAX_JWT_LENGTH = 8192;
/** Clock skew allowed on `exp` and `nbf` (RFC 7519 §4.1.4–4.1.5 allow "some small leeway"). */
const CLOCK_TOLERANCE_SECONDS = 30;
/** The JWKS endpoint must answer within this, or the request is refused (UNAUTHENTICATED, never a hang). */
export const JWKS_TIMEOUT_MS = 2000;
/** A fetched JWKS is reused this long; an unknown `kid` refetches at most once per cooldown. */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;
/** Bounds of the per-process verifier caches (entries, oldest dropped first). */
const MAX_CACHED_VERIFIERS = 256;

/** The header a request may name its Context with (external JWTs; keys and tokens must match their own). */
export const CONTEXT_HEADER = "x-scopegate-context";

/** Why an external JWT was refused: a short code for the logs (never the token or its claims). */
export type JwtRefusal =
  | "malformed"
  | "no-context"
  | "ambiguous-context"
  | "verification-failed"
  | "jwks-unavailable"
  | "floor-claim";

/** Whether a bearer secret has the shape of a JWS compact serialization (RFC 7515 §7.1) with a JSON header. */
export function looksLikeJwt(secret: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(secret);
}

/**
 * The owner id of an external JWT's end user: `jwt:` + 32 hex digits of SHA-256 over
 * `[iss, sub]` as JSON. RFC 7519 §4.1.2: `sub` is unique within its issuer, so the pair names
 * one end user; the ownership rules of access.ts then apply to each end user on their own.
 */
export function externalOwner(issuer: string, subject: string): string {
  return `jwt:${createHash("sha256")
    .update(JSON.stringify([issuer, subject]))
    .digest("hex")
    .slice(0, 32)}`;
}

/** `audience` is among the token's `aud` (a string or a list, RFC 7519 §4.1.3). */
const audienceMatches = (aud: JWTPayload["aud"], audience: string) =>
  aud === audience || (Array.isArray(aud) && aud.includes(audience));

/**
 * Verifies JWTs of the identity providers Contexts trust (`config.auth`, README: Credentials)
 * with jose, following RFC 8725 (JWT BCP):
 * - algorithms: an allow-list, RS256, ES256 and EdDSA only (§3.1): `none` and every HMAC
 *   algorithm are refused, so a token "signed" with a public key as an HMAC secret (§2.1's
 *   algorithm confusion) never verifies;
 * - keys: from the Context's `jwksUrl` (RFC 7517 JWK Set, fetched with a timeout, cached,
 *   refetched on an unknown `kid` at most every 30 s) or its `publicKeys` (JWKs or PEM SPKI);
 *   the key is chosen by the header's `kid` and must be for the header's `alg`;
 * - claims: `iss` equal to the Context's issuer, `aud` containing its audience (§3.9), `exp`
 *   and `sub` required, `exp`/`nbf` checked with 30 s of leeway (RFC 7519 §4.1.4–4.1.5);
 * - the floor: the config's fixed `floor` plus, for every `floorClaims` entry, that claim's value,
 *   which must be present and a valid scope value (scope.ts's parseScope). So the floor is
 *   never wider than the config allows.
 */
export class ExternalJwtVerifier {
  private readonly remote = new Map<string, JWTVerifyGetKey>();
  private readonly local = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(
    private readonly control: ControlStore,
    private readonly jwksTimeoutMs = JWKS_TIMEOUT_MS,
  ) {}

  /**
   * The tenant caller an external JWT stands for, or why it is refused. The Context is the one
   * `namedContext` names (the X-Scopegate-Context header), which must trust the token's issuer;
   * without the header, the one Context whose auth config has the token's issuer and one of its
   * audiences (none or several: refused). The control plane is read on every call, so a config
   * change applies on the next request on every replica.
   */
  async authenticate(
    jwt: string,
    namedContext: string | null,
  ): Promise<{ caller: TenantCaller } | { refused: JwtRefusal }> {
    if (jwt.length > MAX_JWT_LENGTH) return { refused: "malformed" };
    let unverified: JWTPayload;
    try {
      decodeProtectedHeader(jwt);
      unverified = decodeJwt(jwt);
    } catch {
      return { refused: "malformed" };
    }
    if (typeof unverified.iss !== "string") return { refused: "malformed" };
    const found = await this.contextFor(unverified.iss, unverified.aud, namedContext);
    if ("refused" in found) return found;
    const { context, config } = found;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, await this.keysOf(context.id, config), {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: [...JWT_ALGORITHMS],
        requiredClaims: ["exp", "sub"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (err) {
      return {
        refused:
          err instanceof errors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message))
            ? "jwks-unavailable"
            : "verification-failed",
      };
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0) return { refused: "verification-failed" };
    const floor = mappedFloor(config, payload);
    if (!floor) return { refused: "floor-claim" };
    return {
      caller: {
        kind: "JWT",
        context,
        principal: config.principal,
        floor,
        access: config.access,
        owner: externalOwner(config.issuer, payload.sub),
        key: null,
        expiresAt: new Date(Number(payload.exp) * 1000).toISOString(),
      },
    };
  }

  private async contextFor(
    issuer: string,
    aud: JWTPayload["aud"],
    namedContext: string | null,
  ): Promise<{ context: StoredContext; config: ExternalAuthConfig } | { refused: JwtRefusal }> {
    const candidates = namedContext
      ? (await this.control.contextsByIds([namedContext])).filter((c): c is StoredContext => c !== null)
      : await this.control.contextsTrustingIssuer(issuer);
    const trusting = candidates.flatMap((context) => {
      const config = storedAuthConfig(context.config.auth);
      return config && config.issuer === issuer && (namedContext || audienceMatches(aud, config.audience))
        ? [{ context, config }]
        : [];
    });
    if (trusting.length === 0) return { refused: "no-context" };
    if (trusting.length > 1) return { refused: "ambiguous-context" };
    return trusting[0]!;
  }

  /** The key resolver of a Context's config: its remote JWK Set, or its configured public keys. */
  private async keysOf(contextId: string, config: ExternalAuthConfig): Promise<JWTVerifyGetKey> {
    if (config.jwksUrl) {
      let set = this.remote.get(config.jwksUrl);
      if (!set) {
        set = createRemoteJWKSet(new URL(config.jwksUrl), {
          timeoutDuration: this.jwksTimeoutMs,
          cooldownDuration: JWKS_COOLDOWN_MS,
          cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
        });
        bounded(this.remote, config.jwksUrl, set);
      }
      return set;
    }
    const id = `${contextId}:${createHash("sha256").update(JSON.stringify(config.publicKeys)).digest("base64url")}`;
    let keys = this.local.get(id);
    if (!keys) {
      keys = localKeys(config.publicKeys);
      bounded(this.local, id, keys);
      keys.catch(() => this.local.delete(id));
    }
    return keys;
  }
}

function bounded<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED_VERIFIERS) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/**
 * A key resolver over configured public keys (imported once with importJWK / importSPKI).
 * A key matches a header whose `alg` is the key's and whose `kid` is the key's (a key without
 * a `kid` matches any); an exact `kid` wins; otherwise exactly one key must match.
 */
async function localKeys(configured: readonly JwtPublicKey[]): Promise<JWTVerifyGetKey> {
  const imported = await Promise.all(
    configured.map(async (k) => ({
      kid: k.kid,
      alg: k.alg,
      key: k.jwk ? await importJWK({ ...k.jwk, alg: k.alg }, k.alg) : await importSPKI(k.pem ?? "", k.alg),
    })),
  );
  return (header) => {
    const byAlg = imported.filter((k) => k.alg === header.alg && (k.kid === null || k.kid === header.kid));
    const exact = byAlg.filter((k) => header.kid !== undefined && k.kid === header.kid);
    const chosen = exact.length === 1 ? exact : byAlg;
    if (chosen.length !== 1) throw new errors.JWKSNoMatchingKey();
    return chosen[0]!.key;
  };
}

/** The floor a verified payload maps to under `config`, or null when a floor claim is missing or not a valid scope value. */
export function mappedFloor(config: ExternalAuthConfig, payload: JWTPayload): Scope | null {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [dim, value] of Object.entries(config.floor)) out[dim] = value;
  for (const [dim, claim] of Object.entries(config.floorClaims)) {
    const value = ownValue(payload as Record<string, unknown>, claim);
    if (typeof value !== "string") return null;
    out[dim] = value;
  }
  try {
    return parseScope(out, "floor");
  } catch {
    return null;
  }
}
