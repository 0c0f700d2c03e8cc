import { type Caller, isTenantCaller } from "../domain/caller.js";
import { secondsFor, TokenBuckets } from "../domain/tokenBuckets.js";
import { contextRequestsPerMinute } from "../services/control/contextConfig.js";

/**
 * Decides whether a request may run: 0, or the seconds a 429 tells the client to wait. One per
 * HTTP server (server.ts), shared by POST /graphql, /metrics and the live transports.
 */
export type Admit = (caller: Caller, address: string, cost?: number) => number;

/** How long a caller counts as active in its Context after its last request, for the fair shares. */
const ACTIVE_MS = 60_000;
/** Buckets kept per store; see TokenBuckets (an evicted bucket reads as full). */
const MAX_BUCKETS = 200_000;

/**
 * Request rate limits (issue 11), applied after authentication, per replica. Every request
 * costs one token per GraphQL operation (a batched POST of N operations costs N; a WebSocket
 * connection and each subscription one).
 *
 * - **Verified callers** draw on their own bucket of `perMinute` (SCOPEGATE_RATE_LIMIT_PER_MINUTE):
 *   a context key and every browser token it issued share the key's; each end user of an
 *   external JWT has one (its owner id); the management key has one.
 * - **Their Context** (`config.rateLimit.requestsPerMinute`, default 600; 0 = none) caps all of
 *   its callers together, fairly: with `n` callers active in the last minute, each has a
 *   guaranteed share of `R / (n + 1)` per minute (one share is held back for a caller not seen
 *   yet), and may borrow beyond it only while the Context's bucket keeps `R − share` tokens,
 *   which is the others' (and the newcomer's) shares. So one tenant of a shared Context can use
 *   what the others leave, but can never slow another below its share, nor starve one that
 *   arrives later.
 * - **Everything else** (no credential, or one that failed) draws on a bucket per client
 *   address (clientAddress.ts), in a store of its own, so forged credentials never reach a
 *   key's, a Context's or the management key's bucket, and a flood of addresses can only evict
 *   other address buckets.
 *
 * `perMinute` = 0 turns every request limit off.
 */
export class RateLimits {
  private readonly verified = new TokenBuckets(MAX_BUCKETS);
  private readonly addresses = new TokenBuckets(MAX_BUCKETS);
  /** Context id → owner → when it was last admitted (ms), for the fair shares. */
  private readonly active = new Map<string, { owners: Map<string, number>; prunedAt: number }>();

  constructor(readonly perMinute: number) {}

  /**
   * Admission of one request of `cost` operations: `wait` = 0 when admitted, else the seconds to
   * answer in `retryAfter`, and which bucket refused it. A credential whose verification was
   * throttled (Caller.retryAfter) is refused for as long as the throttle says, and its request
   * still counts against its address.
   */
  admit(caller: Caller, address: string, cost = 1): { wait: number; bucket: "caller" | "address" | "verification" } {
    const charged = this.charge(caller, address, cost);
    if (caller.kind === "ANONYMOUS" && caller.retryAfter)
      return { wait: Math.max(caller.retryAfter, charged), bucket: "verification" };
    return { wait: charged, bucket: caller.kind === "ANONYMOUS" ? "address" : "caller" };
  }

  /**
   * Charges `cost` operations for `caller`, who came from `address`: 0 when admitted (tokens
   * taken), else the seconds to wait (nothing taken).
   */
  charge(caller: Caller, address: string, cost = 1, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    if (caller.kind === "ANONYMOUS") return this.addresses.take(address, this.perMinute, cost, now);
    const own = caller.kind === "MANAGEMENT" ? "management" : `owner:${caller.owner}`;
    const ownWait = this.verified.waitFor(own, this.perMinute, cost, now);
    const contextRate = isTenantCaller(caller) ? contextRequestsPerMinute(caller.context) : 0;
    if (!isTenantCaller(caller) || contextRate <= 0) {
      if (ownWait === 0) this.verified.add(own, this.perMinute, -cost, now);
      return ownWait;
    }
    const ctx = caller.context.id;
    const share = contextRate / (this.activeOwners(ctx, caller.owner, now) + 1);
    const pool = `context:${ctx}`;
    const shareId = `share:${ctx}\u0000${caller.owner}`;
    const inPool = this.verified.level(pool, contextRate, now);
    const inShare = this.verified.level(shareId, share, now);
    const reserve = contextRate - share;
    let contextWait = 0;
    if (inPool < cost) contextWait = secondsFor(cost - inPool, contextRate);
    else if (inShare < cost && inPool - cost < reserve)
      // Over its share, and the pool is down to the others' shares: wait for whichever comes first.
      contextWait = Math.min(secondsFor(cost - inShare, share), secondsFor(cost + reserve - inPool, contextRate));
    const wait = Math.max(ownWait, contextWait);
    if (wait > 0) return wait;
    this.verified.add(own, this.perMinute, -cost, now);
    this.verified.add(pool, contextRate, -cost, now);
    // Within its share it spends the share; beyond it, it borrowed from what the others left.
    if (inShare >= cost) this.verified.add(shareId, share, -cost, now);
    this.markActive(ctx, caller.owner, now);
    return 0;
  }

  /** Callers (owners) of Context `ctx` admitted in the last ACTIVE_MS, counting `owner` itself. */
  private activeOwners(ctx: string, owner: string, now: number): number {
    const entry = this.active.get(ctx);
    if (!entry) return 1;
    // Dropping the idle ones walks the map: at most once a second per Context.
    if (now - entry.prunedAt > 1000) {
      for (const [o, at] of entry.owners) if (now - at > ACTIVE_MS) entry.owners.delete(o);
      entry.prunedAt = now;
    }
    return entry.owners.size + (entry.owners.has(owner) ? 0 : 1);
  }

  private markActive(ctx: string, owner: string, now: number): void {
    let entry = this.active.get(ctx);
    if (!entry) {
      entry = { owners: new Map(), prunedAt: now };
      this.active.set(ctx, entry);
    }
    entry.owners.set(owner, now);
  }
}
