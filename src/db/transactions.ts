import type { SurrealSession } from "surrealdb";
import { ConflictError } from "../domain/errors.js";
import { toPlain } from "./values.js";
import { lockName, type LockRequest, withLocks } from "./writeLocks.js";

/** Attempts of one transaction under write conflicts before the client is told CONFLICT. */
const MAX_ATTEMPTS = 12;
/** The longest single backoff, in ms (the sum over all attempts stays under ~1.5 s). */
const MAX_BACKOFF_MS = 200;

/** A THROW inside a transaction whose message starts with one of the caller's markers. */
export class TransactionThrow extends Error {
  constructor(
    readonly marker: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Write conflicts seen by this process since it started: `retried` attempts that lost a race
 * and ran again, `surfaced` transactions that ran out of attempts (the client got CONFLICT).
 * Read by /metrics and by the race tests, which report both.
 */
export const conflictCounts = { retried: 0, surfaced: 0 };

const isConflict = (e: Error) => /conflict|can be retried/i.test(String(e.message));

/** How one transaction runs besides its statements. */
export interface TransactionOptions {
  /** THROW messages the caller handles: the first one found becomes a TransactionThrow. */
  markers?: readonly string[];
  /** No attempt starts once this has aborted (the request timed out). */
  signal?: AbortSignal;
  /**
   * Rows of the session's database this transaction writes or checks that other transactions
   * also write (names such as `session:<key>`, `partition:<key>`): held around each attempt, see
   * writeLocks.ts. Names are qualified with the session's namespace and database here.
   */
  locks?: readonly LockRequest[];
}

/**
 * Runs a multi-statement transaction and returns every statement's result as plain data.
 * With a `signal`, no attempt starts once it has aborted (the first one included): a write of
 * a timed-out request that has not reached the engine never does; one already sent commits or
 * fails as a whole. Each attempt holds `locks` (see writeLocks.ts) while it runs, and only then.
 * Reads each statement's response, because the statement that THROWs is not the one collect()
 * reports ("not executed due to a failed transaction"). Write conflicts (concurrent writers of
 * one row: a partition version, a session's turn counter, a budget) are retried with jittered
 * exponential backoff, as the engine asks; after MAX_ATTEMPTS the caller gets a ConflictError
 * (CONFLICT with `retryAfter`), never a raw engine error.
 */
export async function runTransaction(
  session: SurrealSession,
  sql: string,
  vars: Record<string, unknown>,
  options: TransactionOptions = {},
): Promise<any[]> {
  const { markers = [], signal } = options;
  const locks = (options.locks ?? []).map((l) => ({
    ...l,
    name: lockName(session.namespace, session.database, l.name),
  }));
  return retryingConflicts(async () => {
    const responses = await withLocks(locks, () => {
      // Synchronous from this check to session.query(): no timer can fire in between.
      signal?.throwIfAborted();
      return session.query(sql, vars).responses();
    });
    const failures = responses.filter((r) => !r.success).map((r) => (r as { error: Error }).error);
    for (const e of failures) {
      const text = String(e.message);
      const marker = markers.find((m) => text.includes(m));
      if (marker) throw new TransactionThrow(marker, text.slice(text.indexOf(marker)));
    }
    const cause = failures.find((e) => !/failed transaction/.test(String(e.message))) ?? failures[0];
    if (cause) throw cause;
    return responses.map((r) => toPlain((r as { result: unknown }).result));
  }, signal);
}

/** Whether the engine refused `err`'s statement because a concurrent transaction won ("can be retried"). */
function isWriteConflict(err: unknown): boolean {
  return err instanceof Error && !(err instanceof TransactionThrow) && isConflict(err);
}

/**
 * Runs `work` again while it fails with a write conflict, with jittered exponential backoff (at
 * most MAX_ATTEMPTS attempts, each wait ≤ MAX_BACKOFF_MS), then throws a ConflictError (CONFLICT
 * with `retryAfter`: 1 s). Other errors pass through at once. With a `signal`, no attempt starts
 * once it has aborted. Counted in `conflictCounts`.
 */
export async function retryingConflicts<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await work();
    } catch (err) {
      if (!isWriteConflict(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        conflictCounts.surfaced += 1;
        throw new ConflictError("a concurrent write to the same records won; try again", 1);
      }
      conflictCounts.retried += 1;
      await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

/**
 * What a `BEGIN; …; RETURN x; COMMIT;` query returned: the last non-null statement result
 * (LET, FOR, IF and COMMIT answer null; the RETURN statement answers x).
 */
export function transactionResult<T = any>(results: readonly unknown[]): T {
  return results.filter((r) => r !== null && r !== undefined).at(-1) as T;
}
