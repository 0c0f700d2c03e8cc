import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { QueryLimitError, ScopegateError } from "../domain/errors.js";

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

/** Codes of errors about the GraphQL document itself (parse, validation, limits, variables), not the HTTP request. */
export const DOCUMENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_COSTLY",
  "TOO_MANY_DIRECTIVES",
  "TOO_MANY_TOKENS",
]);

/**
 * graphql-js's parser reports `parseOptions.maxTokens` as a syntax error carrying the value
 * ("Document contains more that N tokens", sic): clients get TOO_MANY_TOKENS and the fact, not the number.
 */
function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError | null {
  if (!/more th(?:an|at|en) \d+ tokens/.test(formatted.message)) return null;
  const error = new QueryLimitError("TOO_MANY_TOKENS");
  return { message: error.message, extensions: { code: error.code } };
}

/** A parse error's message with the token limit's value hidden (for transports that format parse errors themselves). */
export function hideTokenLimit(message: string): string {
  return tokenLimitError({ message })?.message ?? message;
}

/**
 * graphql-js appends suggestions to validation and variable-coercion errors (" Did you mean
 * "memories"?", " Did you mean the enum value "USER"?"); with introspection off they would
 * rebuild the schema piece by piece. Apollo's hideSchemaDetailsFromClientErrors strips them from
 * validation errors only; this strips them from every error, variables included.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean\b[^?]*\?/g, "");
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
 * Apollo Server refuses some malformed requests with a GraphQLError that carries only an HTTP
 * status and no code (a persisted-query extension with `version: 2`, a `sha256Hash` that does not
 * match the query), which it would report as INTERNAL_SERVER_ERROR. A GraphQLError raised outside
 * execution (no path, no cause) with a 4xx status is the client's mistake: BAD_REQUEST.
 */
function isRequestRefusal(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path || error.originalError) return false;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * The one place errors become what clients see (Apollo's `formatError`): a ScopegateError
 * (QueryLimitError included, behind a validation error) shows its own code and extensions;
 * Apollo's protocol codes pass through without stack traces; anything else is masked as
 * INTERNAL_SERVER_ERROR (the request-log plugin adds the request id and logs the
 * original). With `hideSuggestions` (introspection off) no message keeps a "Did you mean".
 */
export function createFormatError(options: { hideSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const shown = formatFor(formatted, error);
    return options.hideSuggestions ? { ...shown, message: withoutSuggestions(shown.message) } : shown;
  };
}

/** formatError with suggestions shown (introspection on). */
export const formatError = createFormatError({ hideSuggestions: false });

function formatFor(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  if (code === "GRAPHQL_PARSE_FAILED") return tokenLimitError(formatted) ?? { ...formatted, extensions: { code } };
  const own = scopegateErrorOf(error);
  if (own) {
    // Variable and literal coercion wraps our message in graphql-js's ("Variable "$x" got invalid value …; <ours>").
    return { ...formatted, extensions: { ...own.extensions, code: own.code } };
  }
  if (code && PROTOCOL_CODES.has(code)) return { ...formatted, extensions: { code } };
  if (isRequestRefusal(error)) return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
  const inner = unwrapResolverError(error) as { stack?: string } | undefined;
  const masked: GraphQLFormattedError = {
    message: "Internal server error",
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
  // Not enumerable: never serialized to the client, read by the request-log plugin.
  Object.defineProperty(masked, MASKED_CAUSE, { value: String(inner?.stack ?? inner), enumerable: false });
  return masked;
}

const MASKED_CAUSE = Symbol("scopegate.maskedCause");

/**
 * The stack (or text) of the error an INTERNAL_SERVER_ERROR masked, kept on the formatted error
 * for the request-log plugin, which logs it with the request id the client was shown; undefined
 * for every other error.
 */
export function maskedCause(formatted: object): string | undefined {
  return (formatted as { [MASKED_CAUSE]?: string })[MASKED_CAUSE];
}
