import type { SurrealSession } from "surrealdb";
import { toPlain, recordId } from "./values.js";
import { carriesFloor, scopeTags, type Scope } from "../scope/scope.js";
import { forbidden } from "../errors.js";
import type { MemoryModel, Page, SessionModel, TokenUsageModel, TurnModel } from "../services/models.js";

/** How the caller sees tenant records (DESIGN §3, §5). */
export type Visibility = "subset" | "subtree" | "all";

export interface ExecutorCaller {
  contextId: string;
  keyId: string | null;
  principal: "AGENT" | "SUPERVISOR" | "MANAGEMENT";
  floor: Scope;
}

/** Counts database round trips of one request (tests assert DataLoader batching with it). */
export interface QueryCounter { queries: number }

/** Test-only: switches off this layer's predicate to show the other layers hold on their own. */
export interface ExecutorOptions { skipScopePredicate?: boolean }

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
  ) {}

  private async q(sql: string, vars: Record<string, unknown>): Promise<any[]> {
    this.counter.queries += 1;
    return toPlain(await this.session.query(sql, vars).collect());
  }

  /** WHERE fragment and its variables for records visible at the effective scope. */
  private visible(effective: Scope | null, mode: Visibility): { where: string; vars: Record<string, unknown> } {
    if (this.options.skipScopePredicate || mode === "all" || effective === null) return { where: "true", vars: {} };
    const vars = { vtags: scopeTags(effective), vdims: Object.keys(effective) };
    if (mode === "subset") return { where: "tags ALLINSIDE $vtags", vars };
    return { where: "array::len(array::intersect(dims, $vdims)) = array::len(array::intersect(tags, $vtags))", vars };
  }

  private assertWritable(scope: Scope): void {
    if (this.options.skipScopePredicate) return;
    if (!carriesFloor(scope, this.caller.floor)) throw outsideFloor();
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
    const [rows] = await this.q(`SELECT * FROM $ids WHERE ${v.where}`, { ...v.vars, ids: ids.map((id) => recordId("session", id)) });
    return rows.map((r: any) => this.session_(r));
  }

  async listSessions(effective: Scope | null, mode: Visibility, first: number, after: string | null): Promise<Page<SessionModel>> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(
      `SELECT * FROM session WHERE ${v.where} ${after ? "AND id > $after" : ""} ORDER BY id LIMIT $limit`,
      { ...v.vars, after: after ? recordId("session", after) : undefined, limit: first + 1 },
    );
    return page(rows.map((r: any) => this.session_(r)), first);
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
    const last = results.filter((r) => r !== null && r !== undefined).at(-1);
    if (last === "ended") return "ended";
    if (!last || typeof last !== "object") return null;
    return turn_(last);
  }

  /** Turns of many sessions in one round trip, each list paged by seq. */
  async turnsBySessionIds(ids: readonly string[], first: number, afterSeq: number): Promise<Map<string, Page<TurnModel>>> {
    const [rows] = await this.q(
      `SELECT record::id(id) AS sid, (SELECT * FROM turn WHERE session = $parent.id AND seq > $after ORDER BY seq LIMIT $limit) AS turns FROM $ids`,
      { ids: ids.map((id) => recordId("session", id)), after: afterSeq, limit: first + 1 },
    );
    return new Map(rows.map((r: any) => [r.sid, page((r.turns ?? []).map(turn_), first)]));
  }

  // ---- memories -------------------------------------------------------------------------------

  async createMemory(text: string, scope: Scope, sessionId: string | null, metadata: unknown): Promise<MemoryModel> {
    this.assertWritable(scope);
    const [rows] = await this.q(
      "CREATE type::record('memory', rand::ulid()) SET text = $text, scope = $scope, session = $sess, metadata = $metadata, owner = $owner RETURN AFTER",
      { text, scope, sess: sessionId ? recordId("session", sessionId) : undefined, metadata: metadata ?? undefined, owner: this.caller.keyId ?? undefined },
    );
    if (!rows[0]) throw outsideFloor(); // table permissions skip a refused CREATE silently
    return this.memory_(rows[0]);
  }

  async memoriesByIds(ids: readonly string[], effective: Scope | null, mode: Visibility): Promise<MemoryModel[]> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(`SELECT * FROM $ids WHERE ${v.where}`, { ...v.vars, ids: ids.map((id) => recordId("memory", id)) });
    return rows.map((r: any) => this.memory_(r));
  }

  async listMemories(effective: Scope | null, mode: Visibility, first: number, after: string | null): Promise<Page<MemoryModel>> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(
      `SELECT * FROM memory WHERE ${v.where} ${after ? "AND id > $after" : ""} ORDER BY id LIMIT $limit`,
      { ...v.vars, after: after ? recordId("memory", after) : undefined, limit: first + 1 },
    );
    return page(rows.map((r: any) => this.memory_(r)), first);
  }

  /** Memories of many sessions in one round trip. */
  async memoriesBySessionIds(ids: readonly string[], effective: Scope | null, mode: Visibility, first: number): Promise<Map<string, MemoryModel[]>> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(
      `SELECT record::id(id) AS sid, (SELECT * FROM memory WHERE session = $parent.id AND ${v.where} ORDER BY id LIMIT $limit) AS items FROM $ids`,
      { ...v.vars, ids: ids.map((id) => recordId("session", id)), limit: first },
    );
    return new Map(rows.map((r: any) => [r.sid, (r.items ?? []).map((m: any) => this.memory_(m))]));
  }

  /**
   * Deletes the visible, deletable memories among `ids` in one statement; ids the caller
   * cannot see are simply not counted (no existence oracle).
   */
  async forgetMemories(ids: readonly string[], effective: Scope | null, mode: Visibility, dryRun: boolean): Promise<number> {
    const v = this.visible(effective, mode);
    const own = this.caller.principal === "AGENT" && !this.options.skipScopePredicate ? "AND owner = $owner" : "";
    const floor = this.caller.principal === "MANAGEMENT" || this.options.skipScopePredicate ? "" : "AND tags CONTAINSALL $ftags";
    const where = `${v.where} ${own} ${floor}`;
    const vars = { ...v.vars, ids: ids.map((id) => recordId("memory", id)), owner: this.caller.keyId ?? "", ftags: scopeTags(this.caller.floor) };
    const sql = dryRun
      ? `SELECT VALUE id FROM $ids WHERE ${where}`
      : `DELETE $ids WHERE ${where} RETURN BEFORE`;
    const [rows] = await this.q(sql, vars);
    return rows.length;
  }

  // ---- usage ----------------------------------------------------------------------------------

  async tokenUsage(effective: Scope | null, mode: Visibility, since: string | null, until: string | null): Promise<TokenUsageModel[]> {
    const v = this.visible(effective, mode);
    const [rows] = await this.q(
      `SELECT scope, model, math::sum(prompt_tokens) AS prompt, math::sum(completion_tokens) AS completion, count() AS calls
       FROM decision_trace WHERE ${v.where} AND created_at >= $since AND created_at < $until GROUP BY scope, model`,
      { ...v.vars, since: new Date(since ?? 0), until: until ? new Date(until) : new Date("9999-12-31T00:00:00Z") },
    );
    return rows.map((r: any) => ({
      scope: r.scope ?? {}, model: r.model ?? null, promptTokens: r.prompt ?? 0, completionTokens: r.completion ?? 0,
      totalTokens: (r.prompt ?? 0) + (r.completion ?? 0), calls: r.calls ?? 0,
    }));
  }

  private session_(r: any): SessionModel {
    return {
      id: r.id, contextId: this.caller.contextId, scope: r.scope ?? {}, metadata: r.metadata ?? null,
      owner: r.owner ?? null, createdAt: r.created_at, endedAt: r.ended_at ?? null,
    };
  }

  private memory_(r: any): MemoryModel {
    return {
      id: r.id, contextId: this.caller.contextId, text: r.text, scope: r.scope ?? {}, metadata: r.metadata ?? null,
      sessionId: r.session ?? null, owner: r.owner ?? null, createdAt: r.created_at,
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
