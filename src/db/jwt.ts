import { createHmac } from "node:crypto";
import type { AccessLevel } from "../domain/credentials.js";
import { scopeTags, type Scope } from "../domain/scope.js";
import { ACCESS_NAME } from "./tenantSchema.js";

export interface KeyClaims {
  ns: string;
  db: string;
  /** The owner id of the caller's writes (Actor.keyId): a key id, or `jwt:…` for an external JWT's end user. */
  keyId: string;
  principal: string;
  floor: Scope;
  /** READ sessions are refused every create/update/delete of tenant data by the table permissions; default READ (fail closed). */
  access?: AccessLevel;
  ttlSeconds: number;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Signs the HS512 token a record-user session authenticates with; its claims carry the floor
 * (`ftags`, `fdims`), the owner (`kid`), the principal and the access level (`access`), which
 * the table PERMISSIONS of tenantSchema.ts read as `$token.…`.
 * SurrealDB uses the bytes of the access method's KEY string as the HMAC key, so the hex text
 * itself (not its decoded bytes) is the key here too.
 */
export function signKeyToken(secretHex: string, c: KeyClaims): { token: string; expiresAt: number } {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + c.ttlSeconds;
  const header = b64url({ alg: "HS512", typ: "JWT" });
  const payload = b64url({
    iss: "scopegate",
    iat: now,
    nbf: now,
    exp,
    ns: c.ns,
    db: c.db,
    ac: ACCESS_NAME,
    // The record user's id; ⟨⟩ quotes the owner id, which may contain ':' (`jwt:…`).
    id: `key:⟨${c.keyId}⟩`,
    kid: c.keyId,
    principal: c.principal,
    access: c.access ?? "READ",
    ftags: scopeTags(c.floor),
    fdims: Object.keys(c.floor),
  });
  const signature = createHmac("sha512", secretHex).update(`${header}.${payload}`).digest("base64url");
  return { token: `${header}.${payload}.${signature}`, expiresAt: exp * 1000 };
}
