import type { SurrealSession } from "surrealdb";
import { ForbiddenError } from "../../domain/errors.js";
import type { LiveFeed } from "../liveFeed.js";
import { runTransaction, TransactionThrow } from "../transactions.js";
import { toPlain } from "../values.js";

/** Marker a write transaction THROWs when SurrealDB's permissions silently skipped a row. */
export const REFUSED = "outside floor";

/** A write refused by the executor's check or by SurrealDB's table permissions. */
export const outsideFloor = () => new ForbiddenError("write outside the key's floor");

/** Counts database round trips of one request (tests assert DataLoader batching with it). */
export interface QueryCounter {
  queries: number;
}

/**
 * The narrow door the table modules get: statements on the caller's own SurrealDB session
 * (a record-user session for context keys), nothing else of the executor.
 */
export interface TenantQueries {
  /** Runs one or more statements; each statement's result as plain data, in order. */
  run(sql: string, vars?: Record<string, unknown>): Promise<any[]>;
  /**
   * A `BEGIN … COMMIT` with conflict retries. A THROW of `REFUSED` becomes FORBIDDEN (a write
   * the permissions refused); a THROW of one of `markers` becomes a TransactionThrow. With a
   * `signal`, no attempt starts after it aborted (its reason is thrown instead).
   */
  transaction(
    sql: string,
    vars: Record<string, unknown>,
    markers?: readonly string[],
    signal?: AbortSignal,
  ): Promise<any[]>;
  /** Starts one `LIVE SELECT …` on a session of the same caller (see TenantSessions.openLive). */
  live(sql: string, vars: Record<string, unknown>): Promise<LiveFeed>;
}

/** Opens a live feed for the executor's caller. */
export type LiveOpener = (sql: string, vars: Record<string, unknown>) => Promise<LiveFeed>;

export class SessionQueries implements TenantQueries {
  constructor(
    private readonly session: SurrealSession,
    private readonly counter: QueryCounter,
    private readonly liveOpener: LiveOpener | null = null,
  ) {}

  live(sql: string, vars: Record<string, unknown>): Promise<LiveFeed> {
    if (!this.liveOpener) return Promise.reject(new Error("this executor cannot open live feeds"));
    this.counter.queries += 1;
    return this.liveOpener(sql, vars);
  }

  async run(sql: string, vars: Record<string, unknown> = {}): Promise<any[]> {
    this.counter.queries += 1;
    return toPlain(await this.session.query(sql, vars).collect());
  }

  async transaction(
    sql: string,
    vars: Record<string, unknown>,
    markers: readonly string[] = [],
    signal?: AbortSignal,
  ): Promise<any[]> {
    this.counter.queries += 1;
    try {
      return await runTransaction(this.session, sql, vars, [REFUSED, ...markers], signal);
    } catch (err) {
      if (err instanceof TransactionThrow && err.marker === REFUSED) throw outsideFloor();
      throw err;
    }
  }
}
