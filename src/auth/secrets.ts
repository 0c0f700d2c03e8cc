import { createHmac, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * Context key secrets look like `sgk_<lookupId>_<43 chars>`: the lookup id finds the key
 * row without a scan, the rest is 256 bits of randomness. Only an Argon2id hash is stored.
 */
const KEY_SECRET = /^sgk_([0-9a-z]{20})_([A-Za-z0-9_-]{43})$/;

export function newKeyId(): string {
  return randomBytes(16).toString("hex").slice(0, 20);
}

export function newKeySecret(keyId: string): string {
  return `sgk_${keyId}_${randomBytes(32).toString("base64url")}`;
}

export function newManagementSecret(): string {
  return `sgm_${randomBytes(32).toString("base64url")}`;
}

export function parseKeySecret(secret: string): { keyId: string } | null {
  const m = KEY_SECRET.exec(secret);
  return m ? { keyId: m[1]! } : null;
}

export const hashSecret = (secret: string) => hash(secret, { algorithm: 2 /* Argon2id */ });
export const verifySecret = (stored: string, secret: string) => verify(stored, secret).catch(() => false);

/** A fast keyed hash of a secret: the cache key for verified secrets (never the secret itself). */
export function fingerprint(processKey: Buffer, secret: string): string {
  return createHmac("sha256", processKey).update(secret).digest("base64url");
}
