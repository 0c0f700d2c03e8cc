import { createHmac } from "node:crypto";
import { scopeTags, type Scope } from "../domain/scope.js";
import { ACCESS_NAME } from "./tenantSchema.js";

export interface KeyClaims {
  ns: string;
  db: string;
  keyId: string;
  principal: string;
  floor: Scope;
  ttlSeconds: number;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Signs the HS512 token a record-user session authenticates with; its claims carry the floor.
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
    id: `key:${c.keyId}`,
    kid: c.keyId,
    principal: c.principal,
    ftags: scopeTags(c.floor),
    fdims: Object.keys(c.floor),
  });
  const signature = createHmac("sha512", secretHex).update(`${header}.${payload}`).digest("base64url");
  return { token: `${header}.${payload}.${signature}`, expiresAt: exp * 1000 };
}
