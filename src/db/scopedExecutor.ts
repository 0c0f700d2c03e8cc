import type { SurrealSession } from "surrealdb";
import type { RecordId } from "surrealdb";
import { toPlain, recordId } from "./values.js";
import { runTransaction, TransactionThrow, transactionResult } from "./transactions.js";
import { MemoryTable } from "./memoryTable.js";
import { CorpusCache } from "./corpusCache.js";
import { DocumentTable } from "./documentTable.js";
import { TraceTable } from "./traceTable.js";
import { carriesFloor, scopeTags, type Scope } from "../scope/scope.js";
import { forbidden } from "../errors.js";
import type { Page, SessionModel, TurnModel } from "../services/models.js";

/** How the caller sees tenant records (DESIGN §3, §5). */
export type Visibility = "subset" | "subtree" | "all";

export interface ExecutorCaller {
  contextId: string;
  keyId: string | null;
  principal: "AGENT" | "SUPERVISOR" | "MANAGEMENT";
  floor: Scope;
}

/** Counts database round trips of one request (tests assert DataLoader batching with it). */
export interface QueryCounter {
  queries: number;
}

/** Test-only: switches off this layer's predicate to show the other layers hold on their own. */
export interface ExecutorOptions {
  skipScopePredicate?: boolean;
}

/**
 * The scoped executor (DESIGN §4 layer 2): the only door to tenant data. Built per request
 * for one caller and one Context; adds the visibility predicate to every read and stamps
 * the effective scope on every write. Its session is a record-user session for context
 * keys, so SurrealDB's table permissions apply underneath (layer 3).
 */
export class ScopedExecutor {
  constructor(
    private readonly session: SurrealSession,
    readonly caller: ExecutorCaller,
    private readonly counter: QueryCounter,
    private readonly options: ExecutorOptions = {},
    /** Shared by all requests of this process; see corpusCache.ts for why it is safe. */
    readonly corpusCache: CorpusCache = new CorpusCache(0),
  ) {}

  readonly memories = new MemoryTable(this);
  readonly documents = new DocumentTable(this);
  readonly traces = new TraceTable(this);

  private q(sql: string, vars: Record<string, unknown>): Promise<any[]> {
    return this.query(sql, vars);
  }

  /**
   * Runs SurrealQL on this caller's session (for the table modules of src/db only). A THROW
   * naming `outsideFloorOn` inside a transaction means a write was refused: FORBIDDEN.
   */
  async query(
    sql: string,
    vars: Record<string, unknown>,
    opts: { outsideFloorOn?: string; transaction?: boolean } = {},
  ): Promise<any[]> {
    this.counter.queries += 1;
    if (!opts.outsideFloorOn && !opts.transaction) return toPlain(await this.session.query(sql, vars).collect());
    try {
      return await runTransaction(this.session, sql, vars, opts.outsideFloorOn ? [opts.outsideFloorOn] : []);
    } catch (err) {
      if (err instanceof TransactionThrow) throw outsideFloor();
      throw err;
    }
  }

  /** True when the layer tests switched this layer's predicate off. */
  get predicateOff(): boolean {
    return this.options.skipScopePredicate === true;
  }

  sessionRecord(id: string): RecordId {
    return recordId("session", id);
  }

  /** WHERE fragment and its variables for records visible at the effective scope. */
  visible(effective: Scope | null, mode: Visibility): { where: string; vars: Record<string, unknown> } {
    if (this.options.skipScopePredicate || mode === "all" || effective === null) return { where: "true", vars: {} };
    const vars = { vtags: scopeTags(effective), vdims: Object.keys(effective) };
    if (mode === "subset") return { where: "tags ALLINSIDE $vtags", vars };
    return { where: "array::len(array::intersect(dims, $vdims)) = array::len(array::intersect(tags, $vtags))", vars };
  }

  assertWritable(scope: Scope): void {
    if (this.options.skipScopePredicate) return;
    if (!carriesFloor(scope, this.caller.floor)) throw outsideFloor();
  }

  /** Delete rule (DESIGN §5): within the floor, and agents only their own records. */
  deleteGuard(): { where: string; vars: Record<string, unknown> } {
    if (this.options.skipScopePredicate || this.caller.principal === "MANAGEMENT") return { where: "true", vars: {} };
    const own = this.caller.principal === "AGENT" ? " AND owner = $owner" : "";
    return {
      where: `tags CONTAINSALL $ftags${own}`,
      vars: { ftags: scopeTags(this.caller.floor), owner: this.caller.keyId ?? "" },
    };
  }

  mayDelete(record: { scope: Scope; owner: string | null }): boolean {
    if (this.options.skipScopePredicate || this.caller.principal === "MANAGEMENT") return true;
    if (!carriesFloor(record.scope, this.caller.floor)) return false;
    return this.caller.principal === "SUPERVISOR" || record.owner === this.caller.keyId;
  }

  // ---- sessions -------------------------------------------------------------------------------

  async createSession(scope: Scope, metadata: unknown): Promise<SessionModel> {
    this.assertWritable(scope);
    const [rows] = await this.q(
      "CREATE type::record('session', rand::ulid()) SET scope = $scope, metadata = $metadata, owner = $owner RETURN AFTER",
      { scope, metadata: metadata ?? undefined, owner: this.caller.keyId ?? undefined },
    );
    if (!rows[0]) throw outsideFloor(); // table permissions skip a refused CREATE silently
    return this.session_(rows[0]);
  }

  async sessionsByIds(ids: readonly string[], effective: Scope | null, mode: Visibility): Promise<SessionModel[]> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(`SELECT * FROM $ids WHERE ${v.where}`, {
      ...v.vars,
      ids: ids.map((id) => recordId("session", id)),
    });
    return rows.map((r: any) => this.session_(r));
  }

  async listSessions(
    effective: Scope | null,
    mode: Visibility,
    first: number,
    after: string | null,
  ): Promise<Page<SessionModel>> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(
      `SELECT * FROM session WHERE ${v.where} ${after ? "AND id > $after" : ""} ORDER BY id LIMIT $limit`,
      { ...v.vars, after: after ? recordId("session", after) : undefined, limit: first + 1 },
    );
    return page(
      rows.map((r: any) => this.session_(r)),
      first,
    );
  }

  async endSession(id: string): Promise<SessionModel | null> {
    const [rows] = await this.q(
      "UPDATE $id SET ended_at = ended_at ?? time::now() WHERE owner = $owner OR $any RETURN AFTER",
      { id: recordId("session", id), owner: this.caller.keyId ?? "", any: this.caller.principal === "MANAGEMENT" },
    );
    return rows[0] ? this.session_(rows[0]) : null;
  }

  /**
   * Appends a turn with the next seq in one transaction. Only the key that created the
   * session may add turns (DESIGN §5); the turn inherits the session's scope.
   */
  async addTurn(sessionId: string, role: string, content: string): Promise<TurnModel | "ended" | null> {
    const results = await this.q(
      `BEGIN;
       LET $s = (SELECT * FROM ONLY $sid WHERE owner = $owner);
       IF $s = NONE { RETURN NONE } ELSE IF $s.ended_at != NONE { RETURN 'ended' };
       LET $after = (UPDATE ONLY $sid SET turn_count += 1 RETURN AFTER);
       RETURN (CREATE ONLY type::record('turn', rand::ulid())
         SET session = $sid, seq = $after.turn_count, role = $role, content = $content, scope = $s.scope RETURN AFTER);
       COMMIT;`,
      { sid: recordId("session", sessionId), owner: this.caller.keyId ?? "", role, content },
    );
    const last = transactionResult(results);
    if (last === "ended") return "ended";
    if (!last || typeof last !== "object") return null;
    return turn_(last);
  }

  /** Turns of many sessions in one round trip, each list paged by seq. */
  async turnsBySessionIds(
    ids: readonly string[],
    first: number,
    afterSeq: number,
  ): Promise<Map<string, Page<TurnModel>>> {
    const [rows] = await this.q(
      `SELECT record::id(id) AS sid, (SELECT * FROM turn WHERE session = $parent.id AND seq > $after ORDER BY seq LIMIT $limit) AS turns FROM $ids`,
      { ids: ids.map((id) => recordId("session", id)), after: afterSeq, limit: first + 1 },
    );
    return new Map(rows.map((r: any) => [r.sid, page((r.turns ?? []).map(turn_), first)]));
  }

  private session_(r: any): SessionModel {
    return {
      id: r.id,
      contextId: this.caller.contextId,
      scope: r.scope ?? {},
      metadata: r.metadata ?? null,
      owner: r.owner ?? null,
      createdAt: r.created_at,
      endedAt: r.ended_at ?? null,
    };
  }
}

/** A write refused by the executor's check or by SurrealDB's table permissions. */
const outsideFloor = () => forbidden("write outside the key's floor");

function turn_(r: any): TurnModel {
  return { id: r.id, seq: r.seq, role: r.role, content: r.content, createdAt: r.created_at };
}

function page<T>(rows: T[], first: number): Page<T> {
  return { items: rows.slice(0, first), hasNextPage: rows.length > first };
}
