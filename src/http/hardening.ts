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
  /**
   * Requests (GraphQL operations) per minute per verified caller, and per client address for
   * requests without a verified credential, per replica; 0 turns every request limit off,
   * Contexts' own included (rateLimits.ts).
   */
  rateLimitPerMinute: number;
  /**
   * Proxies whose `X-Forwarded-For` names the client (SCOPEGATE_TRUSTED_PROXIES): IPs, CIDR
   * ranges, or `loopback`, `linklocal`, `uniquelocal`. Empty (default): the TCP peer is the client.
   */
  trustedProxies: readonly string[];
  /**
   * Bearer token that may read GET /metrics besides the management key (SCOPEGATE_METRICS_TOKEN,
   * ≥ 32 characters), for a Prometheus scraper that should not hold the management key.
   */
  metricsToken?: string;
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
  trustedProxies: [],
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
