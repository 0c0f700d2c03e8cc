import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { ScopegateError } from "../domain/errors.js";
import { log } from "../log.js";

/** Codes Apollo and graphql-js produce for malformed requests; safe to show as they are. */
const PROTOCOL_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "BAD_USER_INPUT",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** graphql-js reports the token limit with its value ("more that N tokens", sic); clients get the fact, not the number. */
export function hideTokenLimit(message: string): string {
  return /more th(?:an|at|en) \d+ tokens/.test(message) ? "Syntax Error: the document has too many tokens." : message;
}

/** The ScopegateError behind a formatted error, if any (thrown by a resolver, a rule or a scalar). */
function scopegateErrorOf(error: unknown): ScopegateError | null {
  let e: unknown = unwrapResolverError(error);
  for (let depth = 0; depth < 4 && e; depth++) {
    if (e instanceof ScopegateError) return e;
    e = (e as { originalError?: unknown }).originalError;
  }
  return null;
}

/**
 * The one place errors become what clients see (Apollo's `formatError`): a ScopegateError
 * shows its own code and extensions; Apollo's protocol codes pass through without stack
 * traces; anything else is masked as INTERNAL_SERVER_ERROR (the request id is added by the
 * request-log plugin, which also logs the original).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  if (code === "GRAPHQL_PARSE_FAILED")
    return { ...formatted, message: hideTokenLimit(formatted.message), extensions: { code } };
  const own = scopegateErrorOf(error);
  if (own) {
    // Variable and literal coercion wraps our message in graphql-js's ("Variable "$x" got invalid value …; <ours>").
    return { ...formatted, extensions: { ...own.extensions, code: own.code } };
  }
  if (code && PROTOCOL_CODES.has(code)) return { ...formatted, extensions: { code } };
  const inner = unwrapResolverError(error) as { stack?: string } | undefined;
  log.error({ err: String(inner?.stack ?? inner) }, "internal error");
  return {
    message: "Internal server error",
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}
