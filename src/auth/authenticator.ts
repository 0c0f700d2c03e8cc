import { randomBytes } from "node:crypto";
import type { ControlStore } from "../db/controlStore.js";
import type { Caller } from "../domain/caller.js";
import { fingerprint, parseKeySecret, verifySecret } from "./secrets.js";

const VERIFIED_TTL_MS = 60_000;
const LAST_USED_FLUSH_MS = 10_000;

/**
 * Turns a bearer secret into a Caller. Argon2 verification (~12 ms) runs once per secret
 * and is then cached under a keyed hash of the secret, bound to the stored hash it matched;
 * the key row itself is read on every request (one indexed lookup) so revoke, rotate and
 * expiry take effect on the very next request on every replica.
 */
export class Authenticator {
  private readonly processKey = randomBytes(32);
  private readonly verified = new Map<string, { storedHash: string; until: number }>();
  private readonly lastUsed = new Map<string, Date>();
  private readonly flushTimer: NodeJS.Timeout;
  private managementHash: string | null = null;

  constructor(private readonly control: ControlStore) {
    this.flushTimer = setInterval(() => void this.flushLastUsed().catch(() => undefined), LAST_USED_FLUSH_MS);
    this.flushTimer.unref();
  }

  setManagementHash(hash: string): void {
    this.managementHash = hash;
    this.verified.clear();
  }

  async authenticate(secret: string | null): Promise<Caller> {
    if (!secret) return { kind: "ANONYMOUS" };
    const fp = fingerprint(this.processKey, secret);
    if (secret.startsWith("sgk_")) return this.contextKey(secret, fp);
    if (this.managementHash && (await this.matches(fp, this.managementHash, secret))) return { kind: "MANAGEMENT" };
    return { kind: "ANONYMOUS" };
  }

  private async contextKey(secret: string, fp: string): Promise<Caller> {
    const parsed = parseKeySecret(secret);
    if (!parsed) return { kind: "ANONYMOUS" };
    const found = await this.control.keyWithContext(parsed.keyId);
    if (!found || found.key.revokedAt) return { kind: "ANONYMOUS" };
    if (found.key.expiresAt && Date.parse(found.key.expiresAt) <= Date.now()) return { kind: "ANONYMOUS" };
    if (!(await this.matches(fp, found.key.hash, secret))) return { kind: "ANONYMOUS" };
    const now = new Date();
    this.lastUsed.set(found.key.id, now);
    const key = { ...found.key, lastUsedAt: now.toISOString() };
    return { kind: "CONTEXT_KEY", key, context: found.context, fingerprint: fp };
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
