import type { LiveMessage, SurrealSession, Uuid } from "surrealdb";
import { toPlain } from "./values.js";

/** What a change did to a row: the record as it is now (CREATE, UPDATE) or as it was (DELETE). */
export type LiveAction = "CREATE" | "UPDATE" | "DELETE";

/** One change notification, its value projected by the LIVE SELECT and made plain (ids public, dates ISO-8601). */
export interface LiveRow {
  action: LiveAction;
  value: Record<string, any>;
}

/**
 * Why a feed stopped delivering:
 * - `closed`: its owner closed it;
 * - `killed`: the database ended the live query (its table was removed);
 * - `overflow`: more than `maxBuffered` rows waited for a reader that did not come;
 * - `revoked`: the gateway dropped every feed of a key or Context (revoke, rotate, delete on this replica).
 */
export type LiveEnd = "closed" | "killed" | "overflow" | "revoked";

export interface LiveFeedOptions {
  /** Rows kept for a slow reader before the feed ends with `overflow` (bounds memory per subscription). */
  maxBuffered: number;
  /**
   * Re-authenticates the feed's session. The engine keeps delivering after a record session's
   * lifetime (DEFINE ACCESS … DURATION FOR SESSION) ends, but refuses the KILL that stops the
   * live query; the feed therefore refreshes its session well before that, so `close` always works.
   */
  renew?: () => Promise<void>;
  /** How often `renew` runs, in ms. */
  renewEveryMs?: number;
  /** Called once when the feed ends, whatever the reason (the owner's registry forgets it). */
  onEnd?: (feed: LiveFeed) => void;
}

/**
 * One `LIVE SELECT` on a SurrealDB session of its own, read as an async iterator of rows.
 *
 * The session is the caller's (a record-user session for context keys), so SurrealDB's table
 * PERMISSIONS filter every notification with the caller's floor (layer 3), on top of the
 * statement's own WHERE (layer 2). Notifications come from the database, so a row written by any
 * gateway replica connected to the same SurrealDB node reaches the feed.
 *
 * The session is dedicated because live queries belong to the session that started them: KILL
 * must run there while it is still valid (probed on the embedded 3.0.2 engine: a KILL from an
 * expired session fails and the query keeps running; closing the session leaves the query
 * unreachable). `close()` kills the query, then closes the session; it is idempotent and ends a
 * pending `next()` at once, which async generators cannot do while they wait.
 */
export class LiveFeed implements AsyncIterableIterator<LiveRow> {
  private readonly queue: LiveRow[] = [];
  private waiter: ((r: IteratorResult<LiveRow>) => void) | null = null;
  private end: LiveEnd | null = null;
  private closing: Promise<void> | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => undefined;

  private constructor(
    private readonly session: SurrealSession,
    private readonly queryId: Uuid,
    private readonly options: LiveFeedOptions,
  ) {}

  /**
   * Starts `sql` (one `LIVE SELECT …` statement) on `session`, which the feed then owns and
   * closes. Errors: whatever the statement raises (the session is closed first).
   */
  static async open(
    session: SurrealSession,
    sql: string,
    vars: Record<string, unknown>,
    options: LiveFeedOptions,
  ): Promise<LiveFeed> {
    let feed: LiveFeed;
    try {
      const [id] = await session.query(sql, vars).collect<[Uuid]>();
      const sub = await session.liveOf(id);
      feed = new LiveFeed(session, id, options);
      // subscribe() attaches its reader synchronously: nothing published after this line is lost.
      feed.unsubscribe = sub.subscribe((m) => feed.deliver(m));
    } catch (err) {
      await session.closeSession().catch(() => undefined);
      throw err;
    }
    if (options.renew && options.renewEveryMs) {
      feed.renewTimer = setInterval(() => void options.renew!().catch(() => undefined), options.renewEveryMs);
      feed.renewTimer.unref();
    }
    return feed;
  }

  /** Why the feed ended, or null while it is open. */
  get ended(): LiveEnd | null {
    return this.end;
  }

  private deliver(m: LiveMessage): void {
    if (this.end) return;
    if (m.action === "KILLED") {
      this.finish("killed");
      return;
    }
    const row: LiveRow = { action: m.action, value: toPlain(m.value) ?? {} };
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: row, done: false });
      return;
    }
    if (this.queue.length >= this.options.maxBuffered) {
      this.finish("overflow");
      return;
    }
    this.queue.push(row);
  }

  /** Ends the feed for `reason` (rows already queued are still read) and releases the database side. */
  finish(reason: LiveEnd): void {
    if (this.end) return;
    this.end = reason;
    // A revoked key must not read what it had not read yet.
    if (reason === "revoked" || reason === "closed") this.queue.length = 0;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.unsubscribe();
    if (this.waiter && this.queue.length === 0) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: undefined, done: true });
    }
    this.closing = this.release();
    this.options.onEnd?.(this);
  }

  private async release(): Promise<void> {
    await this.session
      .query("KILL $id", { id: this.queryId })
      .collect()
      .catch(() => undefined); // already gone (table or database removed)
    await this.session.closeSession().catch(() => undefined);
  }

  next(): Promise<IteratorResult<LiveRow>> {
    const row = this.queue.shift();
    if (row) return Promise.resolve({ value: row, done: false });
    if (this.end) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Stops the live query and closes its session; resolves when the database has been told. */
  async close(): Promise<void> {
    this.finish("closed");
    await this.closing;
  }

  async return(): Promise<IteratorResult<LiveRow>> {
    await this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
