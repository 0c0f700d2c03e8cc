import type { SurrealSession } from "surrealdb";
import { NotFoundError, UnauthenticatedError } from "../domain/errors.js";

/** Why the gateway closed a SurrealDB session that a request may still be using. */
export type ClosedBecause = "revoked" | "context-deleted";

const reasons = new WeakMap<SurrealSession, ClosedBecause>();

/** Records why `session` is being closed, so a request still using it gets that answer (see `closedBecause`). */
export function markClosed(session: SurrealSession, reason: ClosedBecause): void {
  reasons.set(session, reason);
}

/**
 * Why the gateway closed `session`, if it did: a request that was using it when its key was
 * revoked or its Context deleted meets "Session not found" from the engine, and answers
 * UNAUTHENTICATED or NOT_FOUND for that instead of an internal error.
 */
export function closedBecause(session: SurrealSession): ClosedBecause | undefined {
  return reasons.get(session);
}

/**
 * The engine's answer for a Context database that no longer exists: the database or namespace
 * is missing, or (a session that was bound to it before it was removed) one of its tables or its
 * record access method. Every table the gateway queries, and the access method, exist in a live
 * Context's database from its first migration on.
 */
export const isMissingDatabase = (err: unknown): boolean =>
  /\b(?:database|namespace|table|access method) '[^']*' does not exist/i.test(String((err as Error)?.message ?? err));

/**
 * The client-facing error for a statement on `session` that failed because the session or its
 * database went away under it: the key was revoked or rotated (UnauthenticatedError) or the
 * Context deleted (NotFoundError "context"). Null for any other failure, which stays what it was.
 */
export function goneError(session: SurrealSession, err: unknown): Error | null {
  const reason = closedBecause(session);
  if (reason === "revoked") return new UnauthenticatedError("the key was revoked or rotated");
  if (reason === "context-deleted" || isMissingDatabase(err)) return new NotFoundError("context");
  return null;
}
