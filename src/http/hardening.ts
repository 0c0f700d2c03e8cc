import { createHash } from "node:crypto";
import { decodeJwt } from "jose";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationContext } from "graphql";
import { QueryLimitError, type QueryLimitCode } from "../domain/errors.js";

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
  /** Browser origins allowed to call `/graphql` cross-origin: exact origins, or `["*"]`; empty = none (cors.ts). */
  corsOrigins: readonly string[];
  /** Answer `Access-Control-Allow-Credentials: true` (exact origins only; bearer headers need no credentials). */
  corsCredentials: boolean;
  /**
   * Shared secret of the federation router (≥ 32 characters), sent in `scopegate-router-secret`:
   * unlocks `_service` and inline traces (federation.ts). Undefined = no router is trusted.
   */
  routerSecret?: string;
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
  corsOrigins: [],
  corsCredentials: false,
  liveMaxPerKey: 50,
  liveMaxPerConnection: 20,
  liveRecheckMs: 2000,
});

/**
 * A graphql-armor `onReject` handler that reports the rejection as a validation error whose
 * original error is a QueryLimitError: formatError (errorFormatting.ts) then answers that code and
 * message. armor's own Apollo reporter would answer "Syntax Error: Query validation error." with
 * BAD_USER_INPUT for every limit alike.
 */
function reportLimit(code: QueryLimitCode) {
  return (context: ValidationContext | null) => {
    const error = new QueryLimitError(code);
    context?.reportError(new GraphQLError(error.message, { originalError: error }));
  };
}

/** armor options for one limit: report through our handler instead of throwing armor's error. */
const rejectAs = (code: QueryLimitCode) => ({
  exposeLimits: false,
  propagateOnRejection: false,
  onReject: [reportLimit(code)],
});

/**
 * graphql-armor (3.2: max-depth 2.4.2 and max-aliases 2.6.2 carry the 2025 fragment/alias
 * bypass fixes) for depth, aliases, cost and directives, each rejection with its own code
 * (QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COSTLY, TOO_MANY_DIRECTIVES) and no value.
 * Suggestions ("Did you mean …") are hidden by Apollo's hideSchemaDetailsFromClientErrors and
 * formatError when introspection is off (server.ts), not here.
 */
export function armorFor(limits: HttpLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...rejectAs("QUERY_TOO_DEEP") },
    maxAliases: { n: limits.maxAliases, ...rejectAs("TOO_MANY_ALIASES") },
    costLimit: { maxCost: limits.maxCost, ...rejectAs("QUERY_TOO_COSTLY") },
    // Tokens are limited by graphql-js's own parser (parseOptions.maxTokens in server.ts): armor's
    // token plugin re-parses and turns a plain syntax error into a 500. formatError names it TOO_MANY_TOKENS.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...rejectAs("TOO_MANY_DIRECTIVES") },
    blockFieldSuggestion: { enabled: false },
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

/**
 * Who a request counts against, never the secret itself: a key by the public lookup part of its
 * secret; a browser token by the key that issued it (its `sub`), so a key cannot multiply its
 * rate by issuing tokens; an external JWT by its end user (a hash of `iss` and `sub`). These are
 * read before authentication, as the key's lookup id always was: a forged credential can spend
 * the bucket it names, never reach data.
 */
export function rateKey(secret: string | null, address: string | undefined): string {
  const key = secret?.match(/^sgk_([0-9a-f]{20})_/);
  if (key) return `key:${key[1]}`;
  const addr = `addr:${address ?? "unknown"}`;
  if (secret?.startsWith("sgt_")) {
    const sub = unverifiedClaims(secret.slice(4))?.sub;
    return typeof sub === "string" && /^[0-9a-f]{20}$/.test(sub) ? `key:${sub}` : addr;
  }
  if (secret && /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(secret)) {
    const claims = unverifiedClaims(secret);
    if (typeof claims?.iss !== "string" || typeof claims.sub !== "string") return addr;
    return `jwt:${createHash("sha256")
      .update(JSON.stringify([claims.iss, claims.sub]))
      .digest("base64url")
      .slice(0, 22)}`;
  }
  if (secret?.startsWith("sgm_") || (secret && secret.length >= 32 && !secret.startsWith("sgk_"))) return "management";
  return addr;
}

function unverifiedClaims(jws: string): Record<string, unknown> | null {
  try {
    return decodeJwt(jws);
  } catch {
    return null;
  }
}
