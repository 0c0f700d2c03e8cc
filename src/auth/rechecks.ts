import { createHash } from "node:crypto";
import type { Caller } from "../domain/caller.js";
import type { Authenticator } from "./authenticator.js";

/** How long one credential check answers for every stream of the same secret, in ms. */
const COALESCE_MS = 250;
/** Distinct secrets remembered at once (one entry per live credential; old entries are dropped first). */
const MAX_ENTRIES = 10_000;

/**
 * Credential re-checks for live streams (issue 12). A stream re-authenticates before every event
 * and every few seconds while idle; many streams of one key, and bursts of events, share one
 * check per `COALESCE_MS` window: one key-row read (Authenticator.authenticate reads the row every
 * time, and revoke, rotate and expiry show there on every replica). Entries are keyed by a hash
 * of the secret, never the secret itself.
 */
export class CredentialRechecks {
  private readonly recent = new Map<string, { at: number; caller: Promise<Caller> }>();

  constructor(private readonly auth: Authenticator) {}

  check(secret: string, namedContext: string | null = null, now = Date.now()): Promise<Caller> {
    const id = createHash("sha256")
      .update(`${namedContext ?? ""}\u0000${secret}`)
      .digest("base64url");
    const hit = this.recent.get(id);
    if (hit && now - hit.at < COALESCE_MS) return hit.caller;
    const caller = this.auth.authenticate(secret, namedContext);
    this.recent.delete(id);
    this.recent.set(id, { at: now, caller });
    // A failed lookup is not remembered: the next stream asks again.
    caller.catch(() => this.recent.delete(id));
    if (this.recent.size > MAX_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    return caller;
  }
}
