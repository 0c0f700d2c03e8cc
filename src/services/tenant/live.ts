import { NotFoundError, SubscriptionLimitError, UnauthenticatedError } from "../../domain/errors.js";
import type { MemoryModel, TurnModel } from "../../domain/models.js";
import type { Scope } from "../../domain/scope.js";
import type { LiveFeed, LiveRow } from "../../db/liveFeed.js";
import type { TenantBinding } from "./binding.js";
import { loadSession } from "./sessions.js";

/**
 * What a live operation needs from its transport (graphql-ws or graphql-sse), supplied per
 * subscription by the composition root.
 */
export interface LiveSupport {
  /**
   * Re-authenticates the subscription's credential now (revoked, rotated away, expired, Context
   * deleted → false). Checks are coalesced per credential, so calling it per event is cheap.
   */
  recheck(): Promise<boolean>;
  /** Longest time between two credential checks while no event arrives, in ms. */
  readonly recheckEveryMs: number;
  /** Takes a subscription slot of the key and of the connection; call the result to give it back. Errors: SUBSCRIPTION_LIMIT. */
  acquire(): () => void;
}

/** A created or forgotten memory, as `MemoryEvent` shows it. */
export interface MemoryEventModel {
  kind: "CREATED" | "FORGOTTEN";
  /** The memory's local id. */
  id: string;
  /** The memory's Context (part of the global ids the event answers). */
  contextId: string;
  scope: Scope;
  /** The memory as created; null for FORGOTTEN. */
  memory: MemoryModel | null;
}

/**
 * One subscription's response stream: `{ [field]: value }` payloads for graphql-js's default
 * subscription resolver. It re-checks the credential before every event it passes on and at
 * least every `recheckEveryMs` while idle; when the check fails it yields one
 * UNAUTHENTICATED error payload and ends. A source failure becomes one error payload as well
 * (never a rejected iterator, which graphql-ws would turn into an unmasked error message).
 * `return()` ends a pending `next()` at once and closes the source (its live query).
 */
export class LiveStream<Row, Value> implements AsyncIterableIterator<Record<string, Value | Error>> {
  private done = false;
  private pending: Promise<IteratorResult<Row>> | null = null;
  private stop!: () => void;
  private readonly stopped = new Promise<"stopped">((r) => {
    this.stop = () => r("stopped");
  });
  private lastCheck = Date.now();

  constructor(
    private readonly field: string,
    private readonly source: AsyncIterator<Row>,
    /** The value of an event, or null to pass over the row (a change this operation does not report). */
    private readonly map: (row: Row) => Value | null,
    private readonly support: LiveSupport,
    private readonly release: () => void,
    /** The error to end with when the source ends by itself (null: complete quietly). */
    private readonly onSourceEnd: () => Error | null = () => null,
  ) {}

  async next(): Promise<IteratorResult<Record<string, Value | Error>>> {
    while (!this.done) {
      this.pending ??= this.source.next();
      const wait = Math.max(0, this.lastCheck + this.support.recheckEveryMs - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<"tick">((r) => {
        timer = setTimeout(() => r("tick"), wait);
      });
      let step: IteratorResult<Row> | "tick" | "stopped";
      try {
        step = await Promise.race([this.pending, tick, this.stopped]);
      } catch (err) {
        return this.fail(err as Error);
      } finally {
        clearTimeout(timer);
      }
      if (step === "stopped") break;
      if (step !== "tick") this.pending = null;
      // Every event, and every tick while idle, passes the credential check first.
      if (!(await this.checked()))
        return this.fail(new UnauthenticatedError("the key was revoked, rotated or expired"));
      if (step === "tick") continue;
      if (step.done) {
        const end = this.onSourceEnd();
        return end ? this.fail(end) : this.finishDone();
      }
      let value: Value | null;
      try {
        value = this.map(step.value);
      } catch (err) {
        return this.fail(err as Error);
      }
      if (value !== null) return { value: { [this.field]: value }, done: false };
    }
    return { value: undefined, done: true };
  }

  private async checked(): Promise<boolean> {
    this.lastCheck = Date.now();
    try {
      return await this.support.recheck();
    } catch {
      return false; // the control plane did not answer: fail closed
    }
  }

  /** The last payload: the error as the field's value (graphql-js reports it as a field error), then the end. */
  private fail(err: Error): IteratorResult<Record<string, Value | Error>> {
    if (this.done) return { value: undefined, done: true };
    void this.shutdown();
    return { value: { [this.field]: err }, done: false };
  }

  private finishDone(): IteratorResult<Record<string, Value | Error>> {
    void this.shutdown();
    return { value: undefined, done: true };
  }

  private async shutdown(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.stop();
    this.release();
    await this.source.return?.().catch(() => undefined);
  }

  async return(): Promise<IteratorResult<Record<string, Value | Error>>> {
    await this.shutdown();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * An in-process queue read as an async iterator: a producer (a streaming model call) pushes, the
 * response stream pulls. A failure ends the iteration and is kept in `failure` for the stream to
 * report. Bounded by its producer (an answer is at most the model's completion cap).
 */
export class PieceChannel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;
  failure: Error | null = null;

  push(value: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value, done: false });
    } else this.queue.push(value);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.waiter && this.queue.length === 0) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: undefined, done: true });
    }
  }

  fail(err: Error): void {
    if (this.closed) return;
    this.failure = err;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((r) => {
      this.waiter = r;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Why a feed that ended by itself ends the stream: a revoked key is checked again (→ UNAUTHENTICATED). */
function feedEnd(feed: LiveFeed): () => Error | null {
  return () =>
    feed.ended === "overflow"
      ? new SubscriptionLimitError("events arrived faster than this client read them; subscribe again")
      : feed.ended === "revoked" || feed.ended === "killed"
        ? new UnauthenticatedError("the key or its Context is no longer valid")
        : null;
}

/**
 * Live data of one caller in one Context (issue 12). Each event passes the same visibility
 * rule as the equivalent query, enforced where the query enforces it: the view's predicate is
 * the live query's WHERE (layer 2) and the caller's record-user session filters underneath
 * (layer 3, SurrealDB's PERMISSIONS); the shield has admitted the field and its scope (layer 1).
 */
export class LiveService {
  constructor(private readonly binding: TenantBinding) {}

  /**
   * Memories created or forgotten from now on that `memories(scope:)` would list for this caller
   * (`access.list(scope)`: an agent's subset of E = F ∪ R, a supervisor's subtree).
   * Errors at subscribe: FORBIDDEN (scope outside the floor), SUBSCRIPTION_LIMIT.
   */
  async memoryEvents(scope: Scope | null | undefined, support: LiveSupport): Promise<AsyncIterableIterator<unknown>> {
    const view = this.binding.access.list(scope);
    const exec = await this.binding.executor();
    const release = support.acquire();
    let feed: LiveFeed;
    try {
      feed = await exec.memories.live(view);
    } catch (err) {
      release();
      throw err;
    }
    const map = (row: LiveRow): MemoryEventModel | null => {
      if (row.action === "UPDATE") return null;
      const memory = exec.memories.model(row.value);
      return row.action === "CREATE"
        ? { kind: "CREATED", id: memory.id, contextId: memory.contextId, scope: memory.scope, memory }
        : { kind: "FORGOTTEN", id: memory.id, contextId: memory.contextId, scope: memory.scope, memory: null };
    };
    return new LiveStream("memoryEvents", feed, map, support, release, feedEnd(feed));
  }

  /**
   * Turns appended from now on to a session this caller may read by id (the rule of
   * `session(id:)`). Errors at subscribe: NOT_FOUND (unknown, malformed or invisible id: alike),
   * SUBSCRIPTION_LIMIT.
   */
  async sessionTurns(sessionId: string, support: LiveSupport): Promise<AsyncIterableIterator<unknown>> {
    const session = await loadSession(this.binding, sessionId);
    if (!session) throw new NotFoundError("session");
    const exec = await this.binding.executor();
    const release = support.acquire();
    let feed: LiveFeed | null;
    try {
      feed = await exec.turns.live(session.id);
    } catch (err) {
      release();
      throw err;
    }
    if (!feed) {
      release();
      throw new NotFoundError("session");
    }
    const map = (row: LiveRow): TurnModel | null =>
      row.action === "CREATE" ? exec.turns.model(row.value as any) : null;
    return new LiveStream("sessionTurns", feed, map, support, release, feedEnd(feed));
  }
}
