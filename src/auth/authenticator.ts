import { randomBytes, timingSafeEqual } from "node:crypto";
import type { ControlStore, StoredKey } from "../db/controlStore.js";
import type { Caller, TenantCaller } from "../domain/caller.js";
import { accessWithin, type IssuedToken, type IssueTokenInput, tokenTtlSeconds } from "../domain/credentials.js";
import { ForbiddenError, UnauthenticatedError } from "../domain/errors.js";
import type { KeyModel } from "../domain/models.js";
import { carriesFloor, effectiveScope } from "../domain/scope.js";
import { TokenBuckets } from "../domain/tokenBuckets.js";
import { BrowserTokens, keyGeneration, TOKEN_PREFIX } from "./browserTokens.js";
import { ExternalJwtVerifier, looksLikeJwt } from "./externalJwt.js";
import { fingerprint, parseKeySecret, verifySecret } from "./secrets.js";

/**
 * How long a verified secret is trusted without a new Argon2id check. The key row is read on
 * every request anyway, and a cached verification only counts while the row still holds the
 * hash it matched, so revocation, rotation and expiry take effect on the next request whatever
 * this is: a short TTL only re-pays ~14 ms of CPU per key per TTL (PERF-FINDINGS §5 measured
 * 349 vs 1,780 req/s for 1,000 keys). A day bounds how long a cached verification outlives its
 * use; MAX_VERIFIED bounds memory.
 */
const VERIFIED_TTL_MS = 86_400_000;
/** Verified secrets remembered at once (oldest dropped first): one entry per active key or token. */
const MAX_VERIFIED = 100_000;
const LAST_USED_FLUSH_MS = 10_000;

/**
 * Argon2id verifications (~12 ms of CPU each) that may fail per minute, per key id (or the
 * management key) and client address, and per client address for all ids together. A
 * verification takes one token of both buckets before it runs (so concurrent guesses cannot
 * overrun it) and a success gives it back; a secret verified within VERIFIED_TTL_MS, and the
 * management key when it comes from SCOPEGATE_MANAGEMENT_KEY, need no verification and are never
 * throttled. A guesser on another address never throttles a key's owner.
 */
export const VERIFY_FAILURES_PER_ID_PER_MINUTE = 10;
export const VERIFY_FAILURES_PER_ADDRESS_PER_MINUTE = 30;
/** Shortest management key: SCOPEGATE_MANAGEMENT_KEY must have 32 characters (config.ts), a generated one has 47. */
const MANAGEMENT_KEY_MIN_LENGTH = 32;

/** A Context id as a request may name one (X-Scopegate-Context); anything else names none. */
const CONTEXT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Turns a bearer secret into a Caller (README: Credentials), routed by its shape:
 * - `sgk_…` context key: Argon2 verification (~12 ms) runs once per secret and is then cached
 *   under a keyed hash of the secret, bound to the stored hash it matched;
 * - `sgt_…` browser token: its signature (browserTokens.ts), then its key row;
 * - a JWS compact serialization (`eyJ….….…`): an external JWT (externalJwt.ts);
 * - anything else: the management key.
 * Key rows and Contexts are read on every request (one indexed lookup), so revoke, rotate,
 * expiry and config changes take effect on the very next request on every replica. A refused
 * credential is ANONYMOUS with a reason code for the logs (never shown to the client).
 */
export class Authenticator {
  private readonly processKey = randomBytes(32);
  private readonly verified = new Map<string, { storedHash: string; until: number }>();
  private readonly lastUsed = new Map<string, Date>();
  private readonly flushTimer: NodeJS.Timeout;
  private managementHash: string | null = null;
  /** Fingerprint of SCOPEGATE_MANAGEMENT_KEY when it was given: then the management key is checked without Argon2. */
  private managementFingerprint: Buffer | null = null;
  /** Verification attempts per `id \0 address` and per `\0 address` (see VERIFY_FAILURES_PER_*). */
  private readonly attempts = new TokenBuckets(50_000);
  /** Argon2id verifications since start, by result (GET /metrics: scopegate_auth_verifications). */
  readonly verifications = { succeeded: 0, failed: 0, throttled: 0 };
  private readonly tokens: BrowserTokens;
  private readonly jwts: ExternalJwtVerifier;

  /** `tokenSigningKey`: the control plane's `browser_token_key` setting (base64url, ≥ 256 bits). */
  constructor(
    private readonly control: ControlStore,
    tokenSigningKey: string,
    options: { jwksTimeoutMs?: number } = {},
  ) {
    this.tokens = new BrowserTokens(tokenSigningKey);
    this.jwts = new ExternalJwtVerifier(control, options.jwksTimeoutMs);
    this.flushTimer = setInterval(() => void this.flushLastUsed().catch(() => undefined), LAST_USED_FLUSH_MS);
    this.flushTimer.unref();
  }

  setManagementHash(hash: string): void {
    this.managementHash = hash;
    this.managementFingerprint = null;
    this.verified.clear();
  }

  /**
   * The management key in clear (SCOPEGATE_MANAGEMENT_KEY, whose hash `setManagementHash` got):
   * from now on it is recognised by a keyed hash compared in constant time, and every other
   * secret of its shape is refused without an Argon2 verification.
   */
  trustManagementSecret(secret: string): void {
    this.managementFingerprint = Buffer.from(fingerprint(this.processKey, secret));
  }

  /**
   * The caller a bearer secret stands for. `namedContext` is the request's X-Scopegate-Context
   * header: it picks the Context of an external JWT, and a key or token of another Context is
   * refused rather than silently acting in its own (the management key ignores it).
   * `address` is the client's (http/clientAddress.ts), which the Argon2 throttle counts by; a
   * throttled credential is refused with `retryAfter` (seconds) and answers 429 at the HTTP layer.
   * Without an address nothing is throttled: in-process callers (live streams' re-checks of a
   * secret that verified at subscribe, tests, benches) are not guessers.
   */
  async authenticate(secret: string | null, namedContext: string | null = null, address?: string): Promise<Caller> {
    if (!secret) return { kind: "ANONYMOUS" };
    if (namedContext !== null && !CONTEXT_NAME.test(namedContext)) return refused("context-header");
    let caller: Exclude<Caller, { kind: "MANAGEMENT" }>;
    if (secret.startsWith("sgk_")) caller = await this.contextKey(secret, address);
    else if (secret.startsWith(TOKEN_PREFIX)) caller = await this.browserToken(secret);
    else if (looksLikeJwt(secret)) {
      const r = await this.jwts.authenticate(secret, namedContext);
      caller = "caller" in r ? r.caller : refused(`jwt:${r.refused}`);
    } else return this.management(secret, address);
    if (caller.kind === "ANONYMOUS" || namedContext === null || caller.context.id === namedContext) return caller;
    return refused("other-context");
  }

  /**
   * Anything that is no other credential is a management key attempt. With the key from the
   * environment it is one keyed hash compared in constant time; with only its stored hash (a
   * generated key), an Argon2id verification under the throttle, and none for a secret shorter
   * than any management key.
   */
  private async management(secret: string, address: string | undefined): Promise<Caller> {
    const fp = fingerprint(this.processKey, secret);
    if (this.managementFingerprint) {
      const given = Buffer.from(fp);
      return given.length === this.managementFingerprint.length && timingSafeEqual(given, this.managementFingerprint)
        ? { kind: "MANAGEMENT" }
        : refused("unknown");
    }
    if (this.managementHash === null || secret.length < MANAGEMENT_KEY_MIN_LENGTH) return refused("unknown");
    const ok = await this.matches(fp, this.managementHash, secret, "management", address);
    return ok === true ? { kind: "MANAGEMENT" } : ok === false ? refused("unknown") : ok;
  }

  private async contextKey(secret: string, address: string | undefined): Promise<TenantCaller | Anonymous> {
    const parsed = parseKeySecret(secret);
    if (!parsed) return refused("key");
    // An unknown, revoked or expired key id is refused on its row alone: no Argon2 for made-up ids.
    const found = await this.liveKey(parsed.keyId);
    if (!found) return refused("key");
    const ok = await this.matches(fingerprint(this.processKey, secret), found.key.hash, secret, parsed.keyId, address);
    if (ok !== true) return ok === false ? refused("key") : ok;
    const key = this.used(found.key);
    const generation = keyGeneration(found.key.hash);
    return {
      kind: "CONTEXT_KEY",
      key,
      generation,
      context: found.context,
      principal: key.principal,
      floor: key.scopeFloor,
      access: key.access,
      owner: key.id,
      expiresAt: key.expiresAt,
    };
  }

  /**
   * A browser token: a valid signature, then its key row, read now: the key must be live (not
   * revoked or expired), of the token's Context, of the token's generation (not rotated since),
   * with a floor the token's floor carries and an access the token's is within.
   */
  private async browserToken(secret: string): Promise<TenantCaller | Anonymous> {
    const claims = await this.tokens.verify(secret);
    if (!claims) return refused("token");
    const found = await this.liveKey(claims.keyId);
    if (
      !found ||
      found.key.contextId !== claims.contextId ||
      found.context.id !== claims.contextId ||
      keyGeneration(found.key.hash) !== claims.generation ||
      !carriesFloor(claims.floor, found.key.scopeFloor) ||
      !accessWithin(claims.access, found.key.access)
    )
      return refused("token");
    const key = this.used(found.key);
    return {
      kind: "TOKEN",
      key,
      generation: claims.generation,
      context: found.context,
      principal: key.principal,
      floor: claims.floor,
      access: claims.access,
      owner: key.id,
      expiresAt: new Date(claims.expiresAt).toISOString(),
    };
  }

  /**
   * Issues a browser token for the context key calling (issue 12). The key row is read again:
   * the token binds to the generation the caller authenticated with, which must still be the
   * key's. Errors: FORBIDDEN when the caller is not a context key (tokens and external JWTs
   * cannot issue tokens), when `scope` moves a floor dimension, or when `access` exceeds the
   * key's; BAD_USER_INPUT for ttlSeconds outside 1…86400; UNAUTHENTICATED when the key was
   * revoked or rotated meanwhile.
   */
  async issueToken(caller: Caller, input: IssueTokenInput): Promise<IssuedToken> {
    if (caller.kind !== "CONTEXT_KEY")
      throw new ForbiddenError("only a context key can issue tokens (tokens and external JWTs cannot)");
    const ttl = tokenTtlSeconds(input.ttlSeconds);
    const floor = effectiveScope(caller.key.scopeFloor, input.scope ?? null);
    const access = input.access ?? "READ";
    if (!accessWithin(access, caller.key.access))
      throw new ForbiddenError("a token's access cannot exceed its key's", { field: "access" });
    // The key as it is now must be the key the caller authenticated as: a rotation in between
    // would otherwise bind the token to the new secret's generation.
    const found = await this.liveKey(caller.key.id);
    if (!found || keyGeneration(found.key.hash) !== caller.generation) throw new UnauthenticatedError();
    const keyExpiry = found.key.expiresAt ? Date.parse(found.key.expiresAt) : Number.POSITIVE_INFINITY;
    const expiresAt = Math.floor(Math.min(Date.now() + ttl * 1000, keyExpiry) / 1000) * 1000;
    const token = await this.tokens.sign({
      keyId: found.key.id,
      contextId: found.key.contextId,
      generation: keyGeneration(found.key.hash),
      floor,
      access,
      expiresAt,
    });
    return { token, expiresAt: new Date(expiresAt).toISOString(), scopeFloor: floor, access };
  }

  /** The key row and its Context when the key is neither revoked nor expired. */
  private async liveKey(keyId: string): Promise<{ key: StoredKey; context: TenantCaller["context"] } | null> {
    const found = await this.control.keyWithContext(keyId);
    if (!found || found.key.revokedAt) return null;
    if (found.key.expiresAt && Date.parse(found.key.expiresAt) <= Date.now()) return null;
    return found;
  }

  /** Records the key's use (its own or a token's) and returns it without its hash. */
  private used(stored: StoredKey): KeyModel {
    const { hash: _hash, ...key } = stored;
    const now = new Date();
    this.lastUsed.set(key.id, now);
    return { ...key, lastUsedAt: now.toISOString() };
  }

  /**
   * Whether `secret` matches `storedHash`: a secret verified within VERIFIED_TTL_MS is taken from
   * the cache; otherwise an Argon2id verification runs if the throttle for `id` (a key id, or
   * "management") from `address` lets it (no address: no throttle), else the refusal to answer
   * with (429).
   */
  private async matches(
    fp: string,
    storedHash: string,
    secret: string,
    id: string,
    address: string | undefined,
  ): Promise<boolean | Anonymous> {
    const hit = this.verified.get(fp);
    if (hit && hit.storedHash === storedHash && hit.until > Date.now()) return true;
    const buckets =
      address === undefined
        ? []
        : [
            { id: `${id}\u0000${address}`, perMinute: VERIFY_FAILURES_PER_ID_PER_MINUTE },
            { id: `\u0000${address}`, perMinute: VERIFY_FAILURES_PER_ADDRESS_PER_MINUTE },
          ];
    const now = Date.now();
    const wait = Math.max(0, ...buckets.map((b) => this.attempts.waitFor(b.id, b.perMinute, 1, now)));
    if (wait > 0) {
      this.verifications.throttled += 1;
      return { kind: "ANONYMOUS", refused: "throttled", retryAfter: wait };
    }
    for (const b of buckets) this.attempts.add(b.id, b.perMinute, -1, now);
    if (!(await verifySecret(storedHash, secret))) {
      this.verifications.failed += 1;
      return false;
    }
    this.verifications.succeeded += 1;
    for (const b of buckets) this.attempts.add(b.id, b.perMinute, 1);
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(fp, { storedHash, until: Date.now() + VERIFIED_TTL_MS });
    return true;
  }

  /** The in-memory last use of a key, newer than the stored one until the next flush. */
  lastUsedOf(keyId: string): string | null {
    return this.lastUsed.get(keyId)?.toISOString() ?? null;
  }

  async flushLastUsed(): Promise<void> {
    const entries = [...this.lastUsed.entries()];
    await this.control.recordLastUsed(entries);
    for (const [id, at] of entries) if (this.lastUsed.get(id) === at) this.lastUsed.delete(id);
  }

  /** Drops cached verifications so a revoked or rotated secret is re-checked at once. */
  forgetVerified(): void {
    this.verified.clear();
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed().catch(() => undefined);
  }
}

/** A refused credential: anonymous, with a reason code for the request log. */
type Anonymous = Extract<Caller, { kind: "ANONYMOUS" }>;
const refused = (reason: string): Anonymous => ({ kind: "ANONYMOUS", refused: reason });
