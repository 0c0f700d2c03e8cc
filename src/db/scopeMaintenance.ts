import type { SurrealSession } from "surrealdb";
import type { StoredContext } from "../domain/models.js";
import { carriesFloor, scopeKey, scopeTags, storedScope, type Scope } from "../domain/scope.js";
import { keysUnder, partitionTagKeys, rangeTargets } from "./partitions.js";
import type { TenantSessions } from "./tenantSessions.js";
import { runTransaction, transactionResult } from "./transactions.js";
import { toPlain } from "./values.js";

/** Tenant tables, all partitioned by scope (ids [scopeKey, …]), in deletion order. */
export const TENANT_DATA = ["chunk", "document", "memory", "turn", "session", "decision_trace"] as const;
/** What retention removes: everything but decision traces, which are the usage ledger. */
const RETAINED = ["chunk", "document", "memory"] as const;
export type TableCounts = Record<string, number>;

const DAY_MS = 86_400_000;

/**
 * Management-only maintenance of one Context's data (issue 4): redaction of a scope,
 * retention, and the reads the scope audit needs. Runs on the Context's root session: these
 * are operator actions, authorised by the management key before they reach here.
 */
export class ScopeMaintenance {
  constructor(private readonly tenants: TenantSessions) {}

  private session(ctx: StoredContext): Promise<SurrealSession> {
    return this.tenants.forRoot(ctx);
  }

  private async q(ctx: StoredContext, sql: string, vars: Record<string, unknown> = {}): Promise<any[]> {
    return toPlain(await (await this.session(ctx)).query(sql, vars).collect());
  }

  /** Partition keys whose scope carries every tag of `scope` (at or under it). */
  async partitionsUnder(ctx: StoredContext, scope: Scope): Promise<string[]> {
    const [keys] = await this.q(ctx, "SELECT VALUE record::id(id) FROM partition");
    return keysUnder(keys ?? [], scope);
  }

  /** Records at or under `scope`, per table. */
  async countUnder(ctx: StoredContext, scope: Scope): Promise<TableCounts> {
    const keys = await this.partitionsUnder(ctx, scope);
    const counts: TableCounts = Object.fromEntries(TENANT_DATA.map((t) => [t, 0]));
    if (keys.length === 0) return counts;
    const results = await this.q(
      ctx,
      TENANT_DATA.map((t) => `SELECT count() AS n FROM ${rangeTargets(t, keys).from} GROUP ALL;`).join("\n"),
      rangeTargets("memory", keys).vars,
    );
    TENANT_DATA.forEach((t, i) => {
      counts[t] = results[i]?.[0]?.n ?? 0;
    });
    return counts;
  }

  /**
   * Removes every record at or under `scope` in one transaction: its decision traces are first
   * rolled up per month/scope/model into usage_rollup (so past usage stays accountable), then
   * chunks, documents, memories, turns, sessions, traces and the partition rows go together.
   */
  async redact(ctx: StoredContext, scope: Scope): Promise<TableCounts> {
    const keys = await this.partitionsUnder(ctx, scope);
    if (keys.length === 0) return Object.fromEntries(TENANT_DATA.map((t) => [t, 0]));
    const { vars } = rangeTargets("memory", keys);
    // Counters are $n_<table>: $session is a protected variable name.
    const results = await runTransaction(
      await this.session(ctx),
      `BEGIN;
      LET $usage = (SELECT time::format(created_at, '%Y-%m') AS month, scope, model, math::sum(prompt_tokens) AS prompt,
        math::sum(completion_tokens) AS completion, count() AS calls FROM ${rangeTargets("decision_trace", keys).from} GROUP BY month, scope, model);
      FOR $u IN $usage {
        CREATE usage_rollup CONTENT { month: $u.month, month_start: <datetime> string::concat($u.month, '-01T00:00:00Z'), scope: $u.scope,
          model: $u.model, prompt: $u.prompt, completion: $u.completion, calls: $u.calls, redacted_at: time::now() };
      };
      ${TENANT_DATA.map((t) => `LET $n_${t} = array::len((DELETE ${rangeTargets(t, keys).from} RETURN BEFORE));`).join("\n")}
      DELETE array::map($keys, |$k| type::record('partition', $k));
      DELETE array::map($tagKeys, |$k| type::record('partition_tag', $k));
      RETURN { ${TENANT_DATA.map((t) => `${t}: $n_${t}`).join(", ")} };
      COMMIT;`,
      { ...vars, keys, tagKeys: keys.flatMap(partitionTagKeys) },
    );
    this.tenants.corpusCache.forgetContext(ctx.id);
    return transactionResult<TableCounts>(results);
  }

  async writeAuditEvent(ctx: StoredContext, event: Record<string, unknown>): Promise<void> {
    await this.q(ctx, "CREATE audit_event CONTENT $e", { e: { ...event, at: new Date() } });
  }

  async auditEvents(ctx: StoredContext, kind: string): Promise<any[]> {
    const [rows] = await this.q(ctx, "SELECT * FROM audit_event WHERE kind = $kind ORDER BY at", { kind });
    return rows ?? [];
  }

  /**
   * Deletes records older than their retention: for each partition, the most specific policy
   * whose scope its scope carries (ties: the shorter). Memories, documents and chunks older than
   * the cutoff go; so do sessions, with all their turns, and turns older than the cutoff.
   * Partition versions are bumped so recall caches refresh. One transaction per partition.
   */
  async retention(
    ctx: StoredContext,
    policies: ReadonlyArray<{ scope: Scope; days: number }>,
    dryRun: boolean,
    now = new Date(),
  ): Promise<TableCounts> {
    const counts: TableCounts = { chunk: 0, document: 0, memory: 0, turn: 0, session: 0 };
    if (policies.length === 0) return counts;
    const cutoffFor = (scope: Scope): Date | null => {
      const applicable = policies.filter((p) => carriesFloor(scope, p.scope));
      if (applicable.length === 0) return null;
      applicable.sort((a, b) => Object.keys(b.scope).length - Object.keys(a.scope).length || a.days - b.days);
      return new Date(now.getTime() - applicable[0]!.days * DAY_MS);
    };
    const session = await this.session(ctx);
    const [partitions] = await this.q(ctx, "SELECT record::id(id) AS key, scope FROM partition");
    for (const p of (partitions ?? []) as Array<{ key: string; scope: unknown }>) {
      const cutoff = cutoffFor(storedScope(p.scope));
      if (!cutoff) continue;
      const range = (t: string) => rangeTargets(t, [p.key]).from;
      const vars: Record<string, unknown> = { p0: p.key, cutoff, bump: [p.key] };
      const sql = dryRun
        ? `BEGIN;
          ${RETAINED.map((t) => `LET $n_${t} = (SELECT count() AS n FROM ${range(t)} WHERE created_at < $cutoff GROUP ALL)[0].n ?? 0;`).join("\n")}
          LET $old = (SELECT VALUE id FROM ${range("session")} WHERE created_at < $cutoff);
          LET $n_session = array::len($old);
          LET $n_turn = (SELECT count() AS n FROM ${range("turn")} WHERE created_at < $cutoff OR session IN $old GROUP ALL)[0].n ?? 0;
          RETURN { chunk: $n_chunk, document: $n_document, memory: $n_memory, turn: $n_turn, session: $n_session };
          COMMIT;`
        : `BEGIN;
          ${RETAINED.map((t) => `LET $n_${t} = array::len((DELETE ${range(t)} WHERE created_at < $cutoff RETURN BEFORE));`).join("\n")}
          LET $old = (DELETE ${range("session")} WHERE created_at < $cutoff RETURN BEFORE).id;
          LET $n_session = array::len($old);
          LET $n_turn = array::len((DELETE ${range("turn")} WHERE created_at < $cutoff OR session IN $old RETURN BEFORE));
          FOR $k IN $bump { UPDATE type::record('partition', $k) SET version += 1; };
          RETURN { chunk: $n_chunk, document: $n_document, memory: $n_memory, turn: $n_turn, session: $n_session };
          COMMIT;`;
      const c = transactionResult<TableCounts>(await runTransaction(session, sql, vars));
      for (const t of Object.keys(counts)) counts[t]! += c[t] ?? 0;
    }
    if (!dryRun) this.tenants.corpusCache.forgetContext(ctx.id);
    return counts;
  }

  // ---- audit reads ---------------------------------------------------------------------------

  /** The table definitions as the database reports them (DEFINE TABLE … PERMISSIONS …). */
  async tableDefinitions(ctx: StoredContext): Promise<Record<string, string>> {
    const [info] = await this.q(ctx, "INFO FOR DB");
    return (info?.tables ?? {}) as Record<string, string>;
  }

  /** Record counts per value of `dimension` in every tenant table. */
  async countsBy(
    ctx: StoredContext,
    dimension: string,
  ): Promise<Array<{ table: string; value: string | null; count: number }>> {
    const out: Array<{ table: string; value: string | null; count: number }> = [];
    const results = await this.q(
      ctx,
      TENANT_DATA.map((t) => `SELECT scope[$d] AS value, count() AS n FROM ${t} GROUP BY value;`).join("\n"),
      { d: dimension },
    );
    TENANT_DATA.forEach((table, i) => {
      for (const r of (results[i] ?? []) as Array<{ value?: string; n: number }>) {
        out.push({ table, value: r.value ?? null, count: r.n });
      }
    });
    return out;
  }

  /** Records a key wrote that do not carry every tag of its floor (must be none). */
  async recordsMissingFloor(ctx: StoredContext, keyId: string, floor: Scope): Promise<number> {
    if (Object.keys(floor).length === 0) return 0;
    const results = await this.q(
      ctx,
      TENANT_DATA.map(
        (t) => `SELECT count() AS n FROM ${t} WHERE owner = $kid AND !(tags CONTAINSALL $ftags) GROUP ALL;`,
      ).join("\n"),
      { kid: keyId, ftags: scopeTags(floor) },
    );
    return results.reduce((n: number, rows: any[]) => n + (rows?.[0]?.n ?? 0), 0);
  }

  /**
   * Distinct (partition, scope) pairs of the tenant tables where the record's scope does not
   * match the partition it is stored in: one grouped scan per table.
   */
  async misplacedRecords(ctx: StoredContext): Promise<number> {
    const results = await this.q(
      ctx,
      TENANT_DATA.map((t) => `SELECT record::id(id)[0] AS key, scope FROM ${t} GROUP BY key, scope;`).join("\n"),
    );
    let n = 0;
    for (const groups of results as Array<Array<{ key: string; scope: unknown }>>) {
      for (const g of groups ?? []) if (scopeKey(storedScope(g.scope)) !== g.key) n += 1;
    }
    return n;
  }
}
