import { randomBytes } from "node:crypto";
import type { ControlStore, StoredKey } from "../db/controlStore.js";
import type { Caller, TenantCaller } from "../domain/caller.js";
import { accessWithin, type IssuedToken, type IssueTokenInput, tokenTtlSeconds } from "../domain/credentials.js";
import { ForbiddenError, UnauthenticatedError } from "../domain/errors.js";
import type { KeyModel } from "../domain/models.js";
import { carriesFloor, effectiveScope } from "../domain/scope.js";
import { BrowserTokens, keyGeneration, TOKEN_PREFIX } from "./browserTokens.js";
import { ExternalJwtVerifier, looksLikeJwt } from "./externalJwt.js";
import { fingerprint, parseKeySecret, verifySecret } from "./secrets.js";

const VERIFIED_TTL_MS = 60_000;
const LAST_USED_FLUSH_MS = 10_000;

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
  private readonly tokens: BrowserTokens;
  private readonly jwts: ExternalJwtVerifier;
  /** The generation each authenticated key object had when its secret was checked (issueToken binds to it). */
  private readonly generations = new WeakMap<KeyModel, string>();

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
    this.verified.clear();
  }

  /**
   * The caller a bearer secret stands for. `namedContext` is the request's X-Scopegate-Context
   * header: it picks the Context of an external JWT, and a key or token of another Context is
   * refused rather than silently acting in its own (the management key ignores it).
   */
  async authenticate(secret: string | null, namedContext: string | null = null): Promise<Caller> {
    if (!secret) return { kind: "ANONYMOUS" };
    if (namedContext !== null && !CONTEXT_NAME.test(namedContext)) return refused("context-header");
    let caller: Exclude<Caller, { kind: "MANAGEMENT" }>;
    if (secret.startsWith("sgk_")) caller = await this.contextKey(secret);
    else if (secret.startsWith(TOKEN_PREFIX)) caller = await this.browserToken(secret);
    else if (looksLikeJwt(secret)) {
      const r = await this.jwts.authenticate(secret, namedContext);
      caller = "caller" in r ? r.caller : refused(`jwt:${r.refused}`);
    } else {
      const fp = fingerprint(this.processKey, secret);
      const ok = this.managementHash !== null && (await this.matches(fp, this.managementHash, secret));
      return ok ? { kind: "MANAGEMENT" } : refused("unknown");
    }
    if (caller.kind === "ANONYMOUS" || namedContext === null || caller.context.id === namedContext) return caller;
    return refused("other-context");
  }

  private async contextKey(secret: string): Promise<TenantCaller | Anonymous> {
    const parsed = parseKeySecret(secret);
    if (!parsed) return refused("key");
    const found = await this.liveKey(parsed.keyId);
    if (!found) return refused("key");
    if (!(await this.matches(fingerprint(this.processKey, secret), found.key.hash, secret))) return refused("key");
    const key = this.used(found.key);
    this.generations.set(key, keyGeneration(found.key.hash));
    return {
      kind: "CONTEXT_KEY",
      key,
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
    const authenticatedAs = this.generations.get(caller.key);
    const found = await this.liveKey(caller.key.id);
    if (!found || authenticatedAs === undefined || keyGeneration(found.key.hash) !== authenticatedAs)
      throw new UnauthenticatedError();
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

  private async matches(fp: string, storedHash: string, secret: string): Promise<boolean> {
    const hit = this.verified.get(fp);
    if (hit && hit.storedHash === storedHash && hit.until > Date.now()) return true;
    if (!(await verifySecret(storedHash, secret))) return false;
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
