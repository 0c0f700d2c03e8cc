/**
 * Token buckets by id, the rate-limit arithmetic behind the HTTP layer's limits (http/rateLimits.ts)
 * and the authenticator's verification throttle (auth/authenticator.ts). Pure: no timers, no I/O.
 *
 * A bucket holds at most `perMinute` tokens and refills continuously at `perMinute` per minute; the
 * rate is given at every call, so one store serves buckets of different rates, and a bucket whose
 * rate drops (a fair share that shrinks) is clamped to its new capacity at once. An unknown bucket is
 * full, so dropping a bucket can only ever hand its owner more tokens, never fewer: that is why the
 * store may evict when it is full (least recently used first), and why callers keep attacker-made
 * ids (client addresses) in a store of their own, away from the buckets of verified callers.
 *
 * Kept rather than rate-limiter-flexible (11.x): its memory store counts fixed windows (a client
 * gets twice the rate across a window boundary), arms one timer per key and has no size bound,
 * while these buckets need neither timers nor a sweep and take a cost (a batch of N operations).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `maxEntries`: buckets kept at once; past it the least recently used one is dropped (it reads as full again). */
  constructor(private readonly maxEntries = 100_000) {}

  /** Tokens bucket `id` holds at `now` (ms since the epoch): `perMinute` when unknown. */
  level(id: string, perMinute: number, now = Date.now()): number {
    const b = this.buckets.get(id);
    if (!b) return perMinute;
    return Math.min(perMinute, b.tokens + Math.max(0, now - b.at) * (perMinute / 60_000));
  }

  /**
   * Takes `cost` tokens when the bucket holds them: 0. Otherwise takes nothing and returns the
   * seconds (≥ 1, rounded up) until it would hold them; a cost above `perMinute` never fits, and
   * gets the time a full minute's refill would take for it.
   */
  take(id: string, perMinute: number, cost = 1, now = Date.now()): number {
    const wait = this.waitFor(id, perMinute, cost, now);
    if (wait === 0) this.add(id, perMinute, -cost, now);
    return wait;
  }

  /** Seconds until bucket `id` holds `cost` tokens (0: it does now); takes nothing. */
  waitFor(id: string, perMinute: number, cost = 1, now = Date.now()): number {
    const have = this.level(id, perMinute, now);
    return have >= cost ? 0 : secondsFor(cost - have, perMinute);
  }

  /** Adds `delta` tokens (negative: takes them, possibly below 0), within the capacity. */
  add(id: string, perMinute: number, delta: number, now = Date.now()): void {
    const tokens = Math.min(perMinute, this.level(id, perMinute, now) + delta);
    // Delete, then set: Map keeps insertion order, so the first entry is the least recently used.
    this.buckets.delete(id);
    this.buckets.set(id, { tokens, at: now });
    if (this.buckets.size > this.maxEntries) this.buckets.delete(this.buckets.keys().next().value!);
  }

  /** Buckets held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}

/** Seconds (whole, ≥ 1) a bucket of `perMinute` needs to refill `missing` tokens. */
export function secondsFor(missing: number, perMinute: number): number {
  return Math.max(1, Math.ceil((missing * 60) / perMinute));
}
