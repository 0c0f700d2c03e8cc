import { ApolloArmor } from "@escape.tech/graphql-armor";

/** Request limits of the HTTP layer (issue 5). Every one is an env var (config.ts). */
export interface HttpLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
  introspection: boolean;
  /** Requests per minute per key (per replica); 0 = off. */
  rateLimitPerMinute: number;
  requestTimeoutMs: number;
  /** Serve GraphiQL (our own bundle) to browsers on GET /graphql. */
  graphiql: boolean;
  /** Accept a JSON array of operations in one POST (off by default: it multiplies work per request). */
  batching: boolean;
  /** Open subscriptions per key on this replica (both live transports together). */
  liveMaxPerKey: number;
  /** Open subscriptions per WebSocket connection. */
  liveMaxPerConnection: number;
  /** Longest time between two credential checks of an idle subscription, in ms (≤ 4500: plus the 250 ms a check is shared, a revoked key's streams end within 5 s). */
  liveRecheckMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxDepth: 12,
  maxAliases: 15,
  maxCost: 50_000,
  maxTokens: 2000,
  maxDirectives: 50,
  introspection: process.env.NODE_ENV !== "production",
  rateLimitPerMinute: 600,
  requestTimeoutMs: 30_000,
  graphiql: process.env.NODE_ENV !== "production",
  batching: false,
  liveMaxPerKey: 50,
  liveMaxPerConnection: 20,
  liveRecheckMs: 2000,
});

/**
 * graphql-armor (3.2: max-depth 2.4.2 and max-aliases 2.6.2 carry the 2025 fragment/alias
 * bypass fixes) for depth, aliases, cost and directives. Limit values are not echoed
 * to clients (exposeLimits false). Field suggestions are hidden whenever introspection is off,
 * so "Did you mean …" cannot rebuild the schema either.
 */
export function armorFor(limits: HttpLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, exposeLimits: false },
    maxAliases: { n: limits.maxAliases, exposeLimits: false },
    costLimit: { maxCost: limits.maxCost, exposeLimits: false },
    // Tokens are limited by graphql-js's own parser (parseOptions.maxTokens in server.ts): armor's
    // token plugin re-parses and turns a plain syntax error into a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: false },
    blockFieldSuggestion: { enabled: !limits.introspection },
  }).protect();
}

/**
 * A token bucket per caller (key lookup id, or the client address for calls without a key).
 * Per replica: N replicas allow up to N× the rate, the usual trade for a stateless gateway.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  /** 0 when the request may go, else the seconds to wait. */
  take(who: string, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(who) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(who, b);
    if (this.buckets.size > 100_000) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate / 1000);
  }
}

/** Who a request counts against: the public lookup part of a key secret, never the secret itself. */
export function rateKey(secret: string | null, address: string | undefined): string {
  const key = secret?.match(/^sgk_([0-9a-f]{20})_/);
  if (key) return `key:${key[1]}`;
  if (secret?.startsWith("sgm_") || (secret && secret.length >= 32 && !secret.startsWith("sgk_"))) return "management";
  return `addr:${address ?? "unknown"}`;
}
