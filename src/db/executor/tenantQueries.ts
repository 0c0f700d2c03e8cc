import type { SurrealSession } from "surrealdb";
import { ConflictError, ForbiddenError, UnauthenticatedError } from "../../domain/errors.js";
import { scopeKey, scopeTags, type Scope } from "../../domain/scope.js";
import type { LiveFeed } from "../liveFeed.js";
import { runTransaction, TransactionThrow, type TransactionOptions } from "../transactions.js";
import { shared } from "../writeLocks.js";
import { toPlain } from "../values.js";
import { goneError } from "../sessionClosures.js";

/** Marker a write transaction THROWs when SurrealDB's permissions silently skipped a row. */
export const REFUSED = "outside floor";
/** Marker of a write by a key that was revoked or rotated away from the request's generation. */
const CREDENTIAL_REVOKED = "credential revoked";
/** Marker of a write at or under a scope whose redaction is running (see ScopeMaintenance). */
const SCOPE_FENCED = "scope fenced";

/** A write refused by the executor's check or by SurrealDB's table permissions. */
export const outsideFloor = () => new ForbiddenError("write outside the key's floor");

/**
 * Lock name every tenant write transaction of a Context holds shared: what holds it exclusively
 * (a redaction putting up its fence, a Context's deletion) waits for the writes in flight and
 * keeps new ones out meanwhile (see writeLocks.ts).
 */
export const WRITE_GATE = "write-gate";
/** Lock name of a key's credential row (shared by its writes, exclusive for its revocation or rotation). */
export const credentialLock = (keyId: string) => `credential:${keyId}`;

/**
 * Checks every tenant write transaction makes first, inside the transaction:
 * - the credential: the key is not revoked and the generation the request authenticated with was
 *   not rotated away (the `credential` row the key's revocation or rotation writes, see CredentialStates);
 * - the fences: no live redaction fence covers a scope this write puts records at.
 * Both read rows that their writers change under an exclusive lock this transaction holds shared,
 * so a check and the change it looks for never overlap (writeLocks.ts).
 */
const WRITE_CHECKS = `
  IF $sg_gen != NONE {
    LET $sg_cred = (SELECT revoked, retired FROM ONLY type::record('credential', $sg_kid));
    IF $sg_cred != NONE AND ($sg_cred.revoked = true OR $sg_gen IN ($sg_cred.retired ?? [])) { THROW '${CREDENTIAL_REVOKED}' };
  };
  FOR $sg_tags IN $sg_fenced {
    IF array::len((SELECT VALUE id FROM fence WHERE expires_at > time::now() AND tags ALLINSIDE $sg_tags)) > 0 { THROW '${SCOPE_FENCED}' };
  };`;

/** How a tenant write transaction runs (see TransactionOptions), and the scopes it writes at. */
export interface TenantTransactionOptions extends TransactionOptions {
  /**
   * Every scope this transaction puts records at (deletes put none): refused with CONFLICT while
   * a redaction of a scope at or above one of them runs.
   */
  writes?: readonly Scope[];
}

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
   * A `BEGIN … COMMIT` with conflict retries, which first checks the caller's credential and the
   * redaction fences of `writes` (WRITE_CHECKS) and holds the Context's write gate and the
   * caller's credential lock shared, plus `locks`. A THROW of `REFUSED` becomes FORBIDDEN (a write
   * the permissions refused), a revoked credential UNAUTHENTICATED, a fenced scope CONFLICT; a
   * THROW of one of `markers` becomes a TransactionThrow. With a `signal`, no attempt starts after
   * it aborted (its reason is thrown instead).
   */
  transaction(sql: string, vars: Record<string, unknown>, options?: TenantTransactionOptions): Promise<any[]>;
  /** Starts one `LIVE SELECT …` on a session of the same caller (see TenantSessions.openLive). */
  live(sql: string, vars: Record<string, unknown>): Promise<LiveFeed>;
}

/** Opens a live feed for the executor's caller. */
export type LiveOpener = (sql: string, vars: Record<string, unknown>) => Promise<LiveFeed>;

/** The credential a caller's writes are checked against: its key and the generation it authenticated with. */
export interface WriteCredential {
  keyId: string;
  generation: string;
}

export class SessionQueries implements TenantQueries {
  constructor(
    private readonly session: SurrealSession,
    private readonly counter: QueryCounter,
    private readonly liveOpener: LiveOpener | null = null,
    private readonly credential: WriteCredential | null = null,
  ) {}

  live(sql: string, vars: Record<string, unknown>): Promise<LiveFeed> {
    if (!this.liveOpener) return Promise.reject(new Error("this executor cannot open live feeds"));
    this.counter.queries += 1;
    return this.liveOpener(sql, vars);
  }

  async run(sql: string, vars: Record<string, unknown> = {}): Promise<any[]> {
    this.counter.queries += 1;
    try {
      return toPlain(await this.session.query(sql, vars).collect());
    } catch (err) {
      throw goneError(this.session, err) ?? err;
    }
  }

  async transaction(
    sql: string,
    vars: Record<string, unknown>,
    options: TenantTransactionOptions = {},
  ): Promise<any[]> {
    if (!sql.trimStart().startsWith("BEGIN;")) throw new Error("a tenant transaction starts with BEGIN;");
    this.counter.queries += 1;
    const cred = this.credential;
    const checked = sql.replace("BEGIN;", `BEGIN;${WRITE_CHECKS}`);
    const fenced = [...new Map((options.writes ?? []).map((s) => [scopeKey(s), scopeTags(s)])).values()];
    try {
      return await runTransaction(
        this.session,
        checked,
        { ...vars, sg_kid: cred?.keyId, sg_gen: cred?.generation, sg_fenced: fenced },
        {
          ...options,
          markers: [REFUSED, CREDENTIAL_REVOKED, SCOPE_FENCED, ...(options.markers ?? [])],
          locks: [shared(WRITE_GATE), ...(cred ? [shared(credentialLock(cred.keyId))] : []), ...(options.locks ?? [])],
        },
      );
    } catch (err) {
      if (err instanceof TransactionThrow) {
        if (err.marker === REFUSED) throw outsideFloor();
        if (err.marker === CREDENTIAL_REVOKED) throw new UnauthenticatedError("the key was revoked or rotated");
        if (err.marker === SCOPE_FENCED)
          throw new ConflictError("a redaction of this scope is in progress; try again", 1);
      }
      throw goneError(this.session, err) ?? err;
    }
  }
}
