/**
 * Error classes, one per client-facing code (DESIGN §7), in the manner of Apollo Server's
 * `internalErrorClasses.ts`. The domain, the database layer and the pure modules throw these
 * (or their own subclasses); the GraphQL edge (`graphql/errorFormatting.ts`) maps them to
 * `extensions.code` once. Anything that is not a `ScopegateError` is masked as
 * `INTERNAL_SERVER_ERROR` with a request id.
 *
 * This module imports nothing, so every layer may use it.
 */

/** Every code a client can see. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_USER_INPUT"
  | "TOKEN_LIMIT_EXCEEDED"
  | "RATE_LIMITED"
  | "PERSISTED_QUERY_NOT_SUPPORTED"
  | "QUERY_TOO_DEEP"
  | "TOO_MANY_ALIASES"
  | "QUERY_TOO_COSTLY"
  | "TOO_MANY_DIRECTIVES"
  | "TOO_MANY_TOKENS"
  | "REQUEST_TIMEOUT"
  | "SUBSCRIPTION_LIMIT"
  | "INTERNAL_SERVER_ERROR";

/** Base class: a failure the client caused or may act on; `extensions` are shown to it as they are. */
export abstract class ScopegateError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No credential, or one that is unknown, revoked, rotated away or expired. */
export class UnauthenticatedError extends ScopegateError {
  readonly code = "UNAUTHENTICATED";
  constructor(message = "missing, unknown, revoked or expired key") {
    super(message);
  }
}

/** The caller is known but this operation or scope is not its to use. Never used for another tenant's records (no existence oracle). */
export class ForbiddenError extends ScopegateError {
  readonly code = "FORBIDDEN";
}

/** A record that does not exist or that the caller may not see: both answer alike. */
export class NotFoundError extends ScopegateError {
  readonly code = "NOT_FOUND";
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The operation lost a race or meets a state that forbids it; `retryAfter` (seconds) when trying again may work. */
export class ConflictError extends ScopegateError {
  readonly code = "CONFLICT";
  constructor(message: string, retryAfterSeconds?: number) {
    super(message, retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds });
  }
}

/** The client's own mistake in an argument; `field` names it when one field is to blame. */
export class BadUserInputError extends ScopegateError {
  readonly code = "BAD_USER_INPUT";
  constructor(message: string, field?: string) {
    super(message, field === undefined ? {} : { field });
  }
}

/** A monthly token budget does not cover the call; `resetsAt` is when it renews (ISO-8601). */
export class TokenLimitExceededError extends ScopegateError {
  readonly code = "TOKEN_LIMIT_EXCEEDED";
  constructor(message: string, resetsAt: string) {
    super(message, { resetsAt });
  }
}

/** Too many requests for one bucket; `retryAfter` in seconds. */
export class RateLimitedError extends ScopegateError {
  readonly code = "RATE_LIMITED";
  constructor(retryAfterSeconds: number, message = "rate limit exceeded") {
    super(message, { retryAfter: retryAfterSeconds });
  }
}

/** Which document limit a query broke (HTTP layer: graphql-armor and graphql-js's token limit). */
export type QueryLimitCode =
  | "QUERY_TOO_DEEP"
  | "TOO_MANY_ALIASES"
  | "QUERY_TOO_COSTLY"
  | "TOO_MANY_DIRECTIVES"
  | "TOO_MANY_TOKENS";

/** What a client reads for each limit: what to change, never the limit's value. */
export const QUERY_LIMIT_MESSAGES: Readonly<Record<QueryLimitCode, string>> = Object.freeze({
  QUERY_TOO_DEEP: "The query nests selections too deeply; ask for fewer levels at once.",
  TOO_MANY_ALIASES: "The query uses too many aliases; split it into several requests.",
  QUERY_TOO_COSTLY: "The query asks for too much at once; request smaller pages (first:) or fewer lists.",
  TOO_MANY_DIRECTIVES: "The query uses too many directives.",
  TOO_MANY_TOKENS: "The document has too many tokens; send a shorter query.",
});
/**
 * The request ran past SCOPEGATE_REQUEST_TIMEOUT_MS: the reason of the request's AbortSignal.
 * Work that checks the signal stops with it, and a write that had not started does not start.
 * The client has already been answered (HTTP 504) when this is thrown.
 */
export class RequestTimeoutError extends ScopegateError {
  readonly code = "REQUEST_TIMEOUT";
  constructor(timeoutMs: number) {
    super(`request timed out after ${timeoutMs} ms`);
  }
}

/** One of the document limits of the HTTP layer; the limit's value is never shown. */
export class QueryLimitError extends ScopegateError {
  constructor(
    readonly code: QueryLimitCode,
    message: string = QUERY_LIMIT_MESSAGES[code],
  ) {
    super(message);
  }
}

/**
 * A live-data resource limit: too many open subscriptions for the key or the connection, or a
 * reader that fell too far behind its events (the stream ends; subscribe again to resume).
 */
export class SubscriptionLimitError extends ScopegateError {
  readonly code = "SUBSCRIPTION_LIMIT";
}
