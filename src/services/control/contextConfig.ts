import { createPublicKey, type KeyObject } from "node:crypto";
import { ACCESS_LEVELS, JWT_ALGORITHMS, type JwtAlgorithm, storedAuthConfig } from "../../domain/credentials.js";
import { BadUserInputError } from "../../domain/errors.js";
import type { ContextConfig } from "../../domain/models.js";
import { DIMENSION_PATTERN, MAX_DIMS, parseScope } from "../../domain/scope.js";

const badInput = (message: string, field?: string) => new BadUserInputError(message, field);

/** Requests per minute a Context's callers may make together (per replica) unless its config says otherwise. */
export const DEFAULT_CONTEXT_REQUESTS_PER_MINUTE = 600;
/** Largest `rateLimit.requestsPerMinute` (the same bound as SCOPEGATE_RATE_LIMIT_PER_MINUTE). */
const MAX_REQUESTS_PER_MINUTE = 10_000_000;

export const DEFAULT_CONFIG = {
  tokenLimit: null,
  scopeTokenLimits: null,
  retentionDays: null,
  retentionPolicies: [],
  models: { extraction: "local/extractive", response: "local/extractive", embedding: "local/contextual-tfidf" },
  ontology: null,
  chunking: { size: 512, overlap: 64 },
  providerUrls: {},
  rateLimit: { requestsPerMinute: DEFAULT_CONTEXT_REQUESTS_PER_MINUTE },
} as const;

export const CONTEXT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DB_NAME = /^[a-z0-9_][a-z0-9_-]{0,62}$/;
export const RESERVED_NAMESPACE = "scopegate";

type Patch = Record<string, unknown>;

/**
 * Deep-merge for config patches: objects merge, everything else (arrays, scalars, null)
 * replaces. Keys are copied as own data properties, so a patch key such as `__proto__` (JSON
 * fields like `ontology` are free-form) is stored as written and never reaches a prototype.
 */
export function deepMerge(base: Patch, patch: Patch): Patch {
  const out = new Map<string, unknown>(Object.entries(base));
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const b = out.get(k);
    out.set(k, isPlainObject(v) && isPlainObject(b) ? deepMerge(b as Patch, v as Patch) : v);
  }
  return Object.fromEntries(out);
}

const isPlainObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Splits a config input into stored config and write-only provider secrets, validating both. */
export function splitConfigInput(input: Patch | null | undefined): {
  config: Patch;
  providers: Record<string, string> | undefined;
} {
  const { providers, ...config } = (input ?? {}) as Patch & { providers?: unknown };
  for (const field of ["tokenLimit", "retentionDays"] as const) {
    const v = config[field];
    if (v !== undefined && v !== null && (typeof v !== "number" || v < 0))
      throw badInput(`${field} must be a non-negative integer`);
  }
  validateScopeTokenLimits(config.scopeTokenLimits);
  validateRateLimit(config.rateLimit);
  if (config.auth !== undefined) config.auth = validateAuth(config.auth);
  validateRetentionPolicies(config.retentionPolicies);
  const chunking = config.chunking as { size?: number; overlap?: number } | undefined;
  if (chunking?.size !== undefined && (chunking.size < 16 || chunking.size > 8192))
    throw badInput("chunking.size must be 16–8192 tokens");
  if (chunking?.overlap !== undefined && chunking.overlap < 0) throw badInput("chunking.overlap must be ≥ 0");
  if (chunking?.size !== undefined && chunking.overlap !== undefined && chunking.overlap >= chunking.size)
    throw badInput("chunking.overlap must be smaller than chunking.size");
  const models = config.models as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(models ?? {})) {
    if (v !== undefined && v !== null && (typeof v !== "string" || !/^[a-z0-9_-]+\/[\w.:-]{1,100}$/i.test(v))) {
      throw badInput(`models.${k} must look like "provider/model"`);
    }
  }
  const urls = config.providerUrls;
  if (urls !== undefined && urls !== null) {
    if (typeof urls !== "object" || Array.isArray(urls))
      throw badInput("providerUrls must be an object of provider name to base URL");
    for (const [name, url] of Object.entries(urls as Patch)) {
      if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) throw badInput("provider names are lowercase identifiers");
      if (typeof url !== "string" || !/^https?:\/\/[^\s]{1,2000}$/.test(url))
        throw badInput(`providerUrls.${name} must be an http(s) URL`);
    }
  }
  if (providers === undefined || providers === null) return { config, providers: undefined };
  if (typeof providers !== "object" || Array.isArray(providers))
    throw badInput("providers must be an object of provider name to secret");
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(providers as Patch)) {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) throw badInput("provider names are lowercase identifiers");
    if (typeof secret !== "string" || secret.length === 0 || secret.length > 4096)
      throw badInput(`provider "${name}" needs a secret string`);
    out[name] = secret;
  }
  return { config, providers: out };
}

export function effectiveConfig(stored: Patch, providers: Record<string, string>): ContextConfig {
  const merged = deepMerge(DEFAULT_CONFIG as unknown as Patch, stored) as any;
  return {
    tokenLimit: merged.tokenLimit ?? null,
    scopeTokenLimits: merged.scopeTokenLimits
      ? {
          dimension: merged.scopeTokenLimits.dimension,
          default: merged.scopeTokenLimits.default ?? null,
          defaultShare: merged.scopeTokenLimits.defaultShare ?? null,
          // Prototype-free: an override for the value "constructor" or "__proto__" is just that value's.
          overrides: Object.assign(Object.create(null), merged.scopeTokenLimits.overrides ?? {}),
        }
      : null,
    retentionPolicies: merged.retentionPolicies ?? [],
    retentionDays: merged.retentionDays ?? null,
    models: merged.models,
    providersConfigured: Object.keys(providers).sort(),
    ontology: merged.ontology ?? null,
    chunking: merged.chunking,
    providerUrls: merged.providerUrls ?? {},
    auth: storedAuthConfig(merged.auth),
    rateLimit: { requestsPerMinute: merged.rateLimit?.requestsPerMinute ?? DEFAULT_CONTEXT_REQUESTS_PER_MINUTE },
  };
}

/**
 * Requests per minute all callers of a Context may make together on one replica
 * (`config.rateLimit.requestsPerMinute`, default DEFAULT_CONTEXT_REQUESTS_PER_MINUTE; 0 = no
 * Context-wide limit). Read from the stored config on every request, so a change applies at once.
 */
export function contextRequestsPerMinute(ctx: { config: Record<string, unknown> }): number {
  const n = (ctx.config.rateLimit as { requestsPerMinute?: unknown } | null | undefined)?.requestsPerMinute;
  return typeof n === "number" ? n : DEFAULT_CONTEXT_REQUESTS_PER_MINUTE;
}

/**
 * Merges a validated patch into a stored config: like deepMerge, except that `auth` is
 * replaced whole (a patch naming jwksUrl must not keep the old publicKeys) and `auth: null`
 * removes it.
 */
export function mergeConfig(base: Patch, patch: Patch): Patch {
  const merged = deepMerge(base, patch);
  if (patch.auth !== undefined) merged.auth = patch.auth;
  return merged;
}

function validateScopeTokenLimits(v: unknown): void {
  if (v === undefined || v === null) return;
  const l = v as { dimension?: unknown; default?: unknown; overrides?: unknown; defaultShare?: unknown };
  if (typeof l.dimension !== "string" || !DIMENSION_PATTERN.test(l.dimension))
    throw badInput("scopeTokenLimits.dimension must be a scope dimension");
  if (l.default !== undefined && l.default !== null && !(Number.isInteger(l.default) && (l.default as number) >= 0))
    throw badInput("scopeTokenLimits.default must be a non-negative integer");
  const share = l.defaultShare;
  if (share !== undefined && share !== null && !(typeof share === "number" && share > 0 && share <= 1))
    throw badInput(
      "scopeTokenLimits.defaultShare must be a fraction of tokenLimit, > 0 and ≤ 1",
      "scopeTokenLimits.defaultShare",
    );
  if (l.overrides !== undefined && l.overrides !== null) {
    if (typeof l.overrides !== "object" || Array.isArray(l.overrides))
      throw badInput("scopeTokenLimits.overrides must map values to limits");
    for (const [k, n] of Object.entries(l.overrides)) {
      if (!(Number.isInteger(n) && (n as number) >= 0))
        throw badInput(`scopeTokenLimits.overrides.${k} must be a non-negative integer`);
    }
  }
}

/** `rateLimit: {requestsPerMinute}`: an integer 0–10,000,000 (0 = no Context-wide limit); null restores the default. */
function validateRateLimit(v: unknown): void {
  if (v === undefined || v === null) return;
  const n = (v as { requestsPerMinute?: unknown }).requestsPerMinute;
  if (
    typeof v !== "object" ||
    Array.isArray(v) ||
    !Number.isInteger(n) ||
    (n as number) < 0 ||
    (n as number) > MAX_REQUESTS_PER_MINUTE
  )
    throw badInput(
      `rateLimit.requestsPerMinute must be an integer 0–${MAX_REQUESTS_PER_MINUTE}`,
      "rateLimit.requestsPerMinute",
    );
}

function validateRetentionPolicies(v: unknown): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.length > 100) throw badInput("retentionPolicies must be a list of at most 100 policies");
  for (const p of v) {
    if (!Number.isInteger(p?.days) || p.days < 1) throw badInput("retentionPolicies[].days must be a positive integer");
    parseScope(p.scope, "retentionPolicies[].scope");
  }
}

/** Hosts a jwksUrl may name over plain http (a local identity provider); everything else needs https. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** Claim names: printable ASCII without spaces, e.g. `org_id`, `sub` or a namespaced `https://example.com/org`. */
const CLAIM_NAME = /^[\x21-\x7e]{1,256}$/;
const MAX_PUBLIC_KEYS = 16;

/**
 * Validates `config.auth`, a Context's trust in an external identity provider (README:
 * Credentials), and returns what is stored: null removes it. Shape:
 * `{issuer, audience, jwksUrl | publicKeys, floorClaims: {dim: claim}, floor?, access = READ, principal = AGENT}`.
 * - issuer, audience: non-empty strings (RFC 7519 StringOrURI), compared exactly (§4.1.1, §4.1.3);
 * - exactly one of `jwksUrl` (https, or http on a loopback host; RFC 7517 §5 JWK Set) and
 *   `publicKeys` (1–16 of `{kid?, alg, jwk | pem}`: a public JWK or a PEM SPKI public key);
 *   algorithms RS256 (RSA ≥ 2048 bits), ES256 (P-256) or EdDSA (Ed25519) only (RFC 8725 §3.1);
 *   private or symmetric keys are refused, and a JWK is stored as its public members only;
 * - floorClaims: scope dimension → claim name; floor: fixed dimensions (a Scope), none of them
 *   also in floorClaims; together 1–8 dimensions, so no external JWT ever gets the empty floor.
 * Errors: BAD_USER_INPUT (field `auth…`).
 */
export function validateAuth(v: unknown): Patch | null {
  if (v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw badInput("auth must be an object", "auth");
  const a = v as Record<string, unknown>;
  const text = (field: string, max: number) => {
    const value = a[field];
    if (typeof value !== "string" || value.length === 0 || value.length > max || value.trim() !== value)
      throw badInput(`auth.${field} must be a non-empty string of at most ${max} characters`, `auth.${field}`);
    return value;
  };
  const issuer = text("issuer", 512);
  const audience = text("audience", 512);
  const hasUrl = a.jwksUrl !== undefined && a.jwksUrl !== null;
  const hasKeys = a.publicKeys !== undefined && a.publicKeys !== null;
  if (hasUrl === hasKeys) throw badInput("auth needs exactly one of jwksUrl and publicKeys", "auth");
  const jwksUrl = hasUrl ? validateJwksUrl(a.jwksUrl) : null;
  const publicKeys = hasKeys ? validatePublicKeys(a.publicKeys) : [];
  const floorClaims = validateFloorClaims(a.floorClaims);
  const floor = parseScope(a.floor ?? {}, "auth.floor");
  const dims = [...Object.keys(floor), ...Object.keys(floorClaims)];
  if (new Set(dims).size !== dims.length)
    throw badInput("a dimension is either fixed by auth.floor or mapped by auth.floorClaims, not both", "auth");
  if (dims.length === 0 || dims.length > MAX_DIMS)
    throw badInput(`auth.floor and auth.floorClaims must give 1–${MAX_DIMS} dimensions`, "auth");
  const access = a.access ?? "READ";
  if (!ACCESS_LEVELS.includes(access as never)) throw badInput("auth.access must be READ or READ_WRITE", "auth.access");
  const principal = a.principal ?? "AGENT";
  if (principal !== "AGENT" && principal !== "SUPERVISOR")
    throw badInput("auth.principal must be AGENT or SUPERVISOR", "auth.principal");
  return { issuer, audience, jwksUrl, publicKeys, floorClaims, floor: { ...floor }, access, principal };
}

function validateJwksUrl(v: unknown): string {
  const bad = () =>
    badInput("auth.jwksUrl must be an https URL (http only on 127.0.0.1, localhost or [::1])", "auth.jwksUrl");
  if (typeof v !== "string" || v.length > 2000) throw bad();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw bad();
  }
  if (url.username || url.password) throw bad();
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) throw bad();
  return url.toString();
}

function validateFloorClaims(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v))
    throw badInput("auth.floorClaims must map scope dimensions to claim names", "auth.floorClaims");
  const out: Record<string, string> = {};
  for (const [dim, claim] of Object.entries(v)) {
    if (!DIMENSION_PATTERN.test(dim))
      throw badInput(`auth.floorClaims: "${dim.slice(0, 40)}" is not a scope dimension`, "auth.floorClaims");
    if (typeof claim !== "string" || !CLAIM_NAME.test(claim))
      throw badInput(`auth.floorClaims.${dim} must be a claim name`, "auth.floorClaims");
    out[dim] = claim;
  }
  return out;
}

function validatePublicKeys(v: unknown): Patch[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_PUBLIC_KEYS)
    throw badInput(`auth.publicKeys must be a list of 1–${MAX_PUBLIC_KEYS} keys`, "auth.publicKeys");
  const kids = new Set<string>();
  return v.map((k: unknown, i) => {
    const field = `auth.publicKeys[${i}]`;
    if (k === null || typeof k !== "object" || Array.isArray(k)) throw badInput(`${field} must be an object`, field);
    const { kid, alg, jwk, pem } = k as Record<string, unknown>;
    if (kid !== undefined && kid !== null && (typeof kid !== "string" || kid.length === 0 || kid.length > 256))
      throw badInput(`${field}.kid must be a non-empty string`, field);
    if (typeof kid === "string") {
      if (kids.has(kid)) throw badInput(`${field}.kid repeats another key's`, field);
      kids.add(kid);
    }
    if (!JWT_ALGORITHMS.includes(alg as JwtAlgorithm))
      throw badInput(`${field}.alg must be one of ${JWT_ALGORITHMS.join(", ")}`, field);
    const hasJwk = jwk !== undefined && jwk !== null;
    if (hasJwk === (pem !== undefined && pem !== null))
      throw badInput(`${field} needs exactly one of jwk and pem`, field);
    const key = hasJwk ? publicJwkKey(jwk, field) : publicPemKey(pem, field);
    checkKeyFitsAlgorithm(key, alg as JwtAlgorithm, field);
    return {
      kid: typeof kid === "string" ? kid : null,
      alg,
      // Only the public members, whatever else the input carried.
      jwk: hasJwk ? key.export({ format: "jwk" }) : null,
      pem: hasJwk ? null : (pem as string).trim(),
    };
  });
}

/** Members that only private or symmetric JWKs have (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

function publicJwkKey(jwk: unknown, field: string): KeyObject {
  if (typeof jwk !== "object" || Array.isArray(jwk)) throw badInput(`${field}.jwk must be a JWK object`, field);
  const members = jwk as Record<string, unknown>;
  if (PRIVATE_JWK_MEMBERS.some((m) => Object.hasOwn(members, m)))
    throw badInput(`${field}.jwk must be a public key: private and symmetric keys are refused`, field);
  try {
    return createPublicKey({ key: members as never, format: "jwk" });
  } catch {
    throw badInput(`${field}.jwk is not a valid public JWK`, field);
  }
}

function publicPemKey(pem: unknown, field: string): KeyObject {
  if (
    typeof pem !== "string" ||
    pem.length > 10_000 ||
    !/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/.test(pem.trim())
  )
    throw badInput(`${field}.pem must be a PEM SPKI public key (-----BEGIN PUBLIC KEY-----)`, field);
  try {
    return createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw badInput(`${field}.pem is not a valid public key`, field);
  }
}

function checkKeyFitsAlgorithm(key: KeyObject, alg: JwtAlgorithm, field: string): void {
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    alg === "RS256"
      ? key.asymmetricKeyType === "rsa" && (details.modulusLength ?? 0) >= 2048
      : alg === "ES256"
        ? key.asymmetricKeyType === "ec" && details.namedCurve === "prime256v1"
        : key.asymmetricKeyType === "ed25519";
  if (!fits)
    throw badInput(
      `${field} does not fit ${alg} (RS256: RSA of at least 2048 bits; ES256: P-256; EdDSA: Ed25519)`,
      field,
    );
}
