import { createHash, randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import type { AccessLevel } from "../domain/credentials.js";
import { parseScope, type Scope } from "../domain/scope.js";

/**
 * Browser tokens (issue 12): short-lived credentials a context key issues for a frontend.
 *
 * Format: `sgt_` + a compact JWS (RFC 7515) signed HS256 with the gateway's token key, which
 * lives in the control plane (setting `browser_token_key`, 256 random bits shared by every
 * replica) and never leaves the gateway. The prefix lets the authenticator route a bearer secret
 * without trying every verifier. Header `typ: "sgt+jwt"` (explicit typing, RFC 8725 §3.11), so
 * no other JWT of this deployment is accepted as one. Claims (RFC 7519):
 *
 * | claim | meaning |
 * |---|---|
 * | `iss` | `"scopegate"` |
 * | `aud` | `"scopegate:context:<contextId>"`: the issuing key's Context |
 * | `sub` | the issuing key's id |
 * | `gen` | the key's generation: 128 bits of SHA-256 over its stored Argon2id hash, which changes at every rotation |
 * | `flr` | the token's floor (the key's floor narrowed by the requested scope) |
 * | `acc` | `READ` or `READ_WRITE` |
 * | `iat`, `exp` | seconds since the epoch; `exp` ≤ the key's own expiry |
 * | `jti` | 128 random bits |
 *
 * A token dies with its key: every request re-reads the key row, and a revoked or expired key,
 * or one whose hash no longer yields `gen` (rotated), refuses every token it issued.
 * The payload is readable by whoever holds the token (a JWS is signed, not encrypted); it
 * carries nothing secret.
 */
export const TOKEN_PREFIX = "sgt_";
const TYP = "sgt+jwt";
const ISSUER = "scopegate";
const ALGORITHM = "HS256";

/** The `aud` of a token of `contextId`'s keys. */
export const tokenAudience = (contextId: string) => `scopegate:context:${contextId}`;

/** 256 random bits, base64url: a new token signing key (the control-plane setting's value). */
export const newTokenSigningKey = () => randomBytes(32).toString("base64url");

/** A key's generation: changes whenever its secret is rotated (each Argon2id hash has a fresh salt). */
export function keyGeneration(storedHash: string): string {
  return createHash("sha256").update(storedHash).digest("base64url").slice(0, 22);
}

/** What a verified token says; every field is checked against the key row by the authenticator. */
export interface BrowserTokenClaims {
  keyId: string;
  contextId: string;
  generation: string;
  floor: Scope;
  access: AccessLevel;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Signs and verifies browser tokens with the gateway's token key (jose). */
export class BrowserTokens {
  private readonly key: Uint8Array;

  /** `signingKey`: the base64url setting value, at least 256 bits. */
  constructor(signingKey: string) {
    const bytes = Buffer.from(signingKey, "base64url");
    if (bytes.length < 32) throw new Error("the browser token key must have at least 256 bits");
    this.key = new Uint8Array(bytes);
  }

  /** `sgt_…` for the claims; `expiresAt` in milliseconds (rounded down to whole seconds). */
  async sign(c: BrowserTokenClaims): Promise<string> {
    const jws = await new SignJWT({ gen: c.generation, flr: { ...c.floor }, acc: c.access })
      .setProtectedHeader({ alg: ALGORITHM, typ: TYP })
      .setIssuer(ISSUER)
      .setAudience(tokenAudience(c.contextId))
      .setSubject(c.keyId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(c.expiresAt / 1000))
      .setJti(randomBytes(16).toString("base64url"))
      .sign(this.key);
    return `${TOKEN_PREFIX}${jws}`;
  }

  /**
   * The claims of a well-formed, correctly signed, unexpired token; null for anything else
   * (wrong prefix, typ, algorithm, issuer or signature; expired; a claim missing or malformed).
   * Whether its key still stands is the caller's check.
   */
  async verify(token: string): Promise<BrowserTokenClaims | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token.slice(TOKEN_PREFIX.length), this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        typ: TYP,
        requiredClaims: ["sub", "aud", "exp", "iat", "gen", "flr", "acc"],
      });
      const aud = typeof payload.aud === "string" ? payload.aud : null;
      const prefix = tokenAudience("");
      if (!aud?.startsWith(prefix)) return null;
      if (typeof payload.gen !== "string" || (payload.acc !== "READ" && payload.acc !== "READ_WRITE")) return null;
      return {
        keyId: String(payload.sub),
        contextId: aud.slice(prefix.length),
        generation: payload.gen,
        floor: parseScope(payload.flr, "flr"),
        access: payload.acc,
        expiresAt: Number(payload.exp) * 1000,
      };
    } catch {
      return null;
    }
  }
}
