import { GraphQLError } from "graphql";

/** Error codes of DESIGN §7. Every failure a client sees carries one of these. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_USER_INPUT"
  | "TOKEN_LIMIT_EXCEEDED"
  | "RATE_LIMITED"
  | "INTERNAL_SERVER_ERROR";

export const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "BAD_USER_INPUT",
  "TOKEN_LIMIT_EXCEEDED",
  "RATE_LIMITED",
]);

export function gqlError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (msg = "missing, unknown, revoked or expired key") => gqlError("UNAUTHENTICATED", msg);
export const forbidden = (msg: string) => gqlError("FORBIDDEN", msg);
export const notFound = (what: string) => gqlError("NOT_FOUND", `${what} not found`);
export const conflict = (msg: string) => gqlError("CONFLICT", msg);
export const badInput = (msg: string) => gqlError("BAD_USER_INPUT", msg);
