import type { SurrealSession } from "surrealdb";
import type { StoredContext } from "./controlStore.js";
import type { TenantSessions } from "./tenantSessions.js";
import { runTransaction, transactionResult } from "./transactions.js";
import { keysUnder, rangeTargets, scopeKey } from "./partitions.js";
import { carriesFloor, scopeTags, type Scope } from "../scope/scope.js";
import { toPlain } from "./values.js";

/** Tenant tables a redaction or retention run removes records from, in deletion order. */
export const PARTITIONED = ["chunk", "document", "memory"] as const;
export const UNPARTITIONED = ["turn", "session", "decision_trace"] as const;
export type TableCounts = Record<string, number>;

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
    return keysUnder(keys, scope);
  }

  /** Records at or under `scope`, per table. */
  async countUnder(ctx: StoredContext, scope: Scope): Promise<TableCounts> {
    const tags = scopeTags(scope);
    const keys = await this.partitionsUnder(ctx, scope);
    const counts: TableCounts = {};
    for (const table of PARTITIONED) {
      if (keys.length === 0) {
        counts[table] = 0;
        continue;
      }
      const { from, vars } = rangeTargets(table, keys);
      const [rows] = await this.q(ctx, `SELECT count() AS n FROM ${from} GROUP ALL`, vars);
      counts[table] = rows[0]?.n ?? 0;
    }
    for (const table of UNPARTITIONED) {
      const [rows] = await this.q(ctx, `SELECT count() AS n FROM ${table} WHERE tags CONTAINSALL $tags GROUP ALL`, {
        tags,
      });
      counts[table] = rows[0]?.n ?? 0;
    }
    return counts;
  }

  /**
   * Removes every record at or under `scope` in one transaction: its decision traces are first
   * rolled up per month/scope/model into usage_rollup (so past usage stays accountable), then
   * chunks, documents, memories, turns, sessions, traces and the partition rows go together.
   */
  async redact(ctx: StoredContext, scope: Scope): Promise<TableCounts> {
    const tags = scopeTags(scope);
    const keys = await this.partitionsUnder(ctx, scope);
    // Counters are $n_<table>: $session is a protected variable name.
    const partitioned = PARTITIONED.map((table) => {
      if (keys.length === 0) return `LET $n_${table} = 0;`;
      const { from } = rangeTargets(table, keys);
      return `LET $n_${table} = array::len((DELETE ${from} RETURN BEFORE));`;
    });
    const vars: Record<string, unknown> = { tags, scope };
    keys.forEach((k, i) => {
      vars[`p${i}`] = k;
    });
    const results = await runTransaction(
      await this.session(ctx),
      `BEGIN;
      LET $usage = (SELECT time::format(created_at, '%Y-%m') AS month, scope, model, math::sum(prompt_tokens) AS prompt,
        math::sum(completion_tokens) AS completion, count() AS calls FROM decision_trace WHERE tags CONTAINSALL $tags GROUP BY month, scope, model);
      FOR $u IN $usage {
        CREATE usage_rollup CONTENT { month: $u.month, month_start: <datetime> string::concat($u.month, '-01T00:00:00Z'), scope: $u.scope,
          model: $u.model, prompt: $u.prompt, completion: $u.completion, calls: $u.calls, redacted_at: time::now() };
      };
      ${partitioned.join("\n")}
      ${UNPARTITIONED.map((t) => `LET $n_${t} = array::len((DELETE ${t} WHERE tags CONTAINSALL $tags RETURN BEFORE));`).join("\n")}
      DELETE partition WHERE tags CONTAINSALL $tags;
      RETURN { ${[...PARTITIONED, ...UNPARTITIONED].map((t) => `${t}: $n_${t}`).join(", ")} };
      COMMIT;`,
      vars,
    );
    this.tenants.corpusCache.forgetContext(ctx.id);
    return transactionResult<TableCounts>(results);
  }

  async writeAuditEvent(ctx: StoredContext, event: Record<string, unknown>): Promise<void> {
    await this.q(ctx, "CREATE audit_event CONTENT $e", { e: { ...event, at: new Date() } });
  }

  async auditEvents(ctx: StoredContext, kind: string): Promise<any[]> {
    const [rows] = await this.q(ctx, "SELECT * FROM audit_event WHERE kind = $kind ORDER BY at", { kind });
    return rows;
  }

  /**
   * Deletes records older than their retention: for each scope in use, the most specific policy
   * whose scope it carries (ties: the shorter). Partitions are range-scanned; sessions and turns
   * are grouped by their scope. Partition versions are bumped so recall caches refresh.
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
      return new Date(now.getTime() - applicable[0]!.days * 86_400_000);
    };
    const session = await this.session(ctx);
    const [partitions] = await this.q(ctx, "SELECT record::id(id) AS key, scope FROM partition");
    for (const p of partitions as Array<{ key: string; scope: Scope }>) {
      const cutoff = cutoffFor(p.scope);
      if (!cutoff) continue;
      const vars: Record<string, unknown> = { p0: p.key, cutoff, bump: [p.key] };
      const gone = PARTITIONED.map((t) =>
        dryRun
          ? `LET $n_${t} = (SELECT count() AS n FROM ${rangeTargets(t, [p.key]).from} WHERE created_at < $cutoff GROUP ALL)[0].n ?? 0;`
          : `LET $n_${t} = array::len((DELETE ${rangeTargets(t, [p.key]).from} WHERE created_at < $cutoff RETURN BEFORE));`,
      );
      const results = await runTransaction(
        session,
        `BEGIN;
        ${gone.join("\n")}
        ${dryRun ? "" : "FOR $k IN $bump { UPDATE type::record('partition', $k) SET version += 1; };"}
        RETURN { ${PARTITIONED.map((t) => `${t}: $n_${t}`).join(", ")} };
        COMMIT;`,
        vars,
      );
      const c = transactionResult<TableCounts>(results);
      for (const t of PARTITIONED) counts[t]! += c[t] ?? 0;
    }
    for (const table of ["turn", "session"] as const) {
      const [scopes] = await this.q(ctx, `SELECT scope FROM ${table} GROUP BY scope`);
      for (const { scope } of scopes as Array<{ scope: Scope }>) {
        const cutoff = cutoffFor(scope ?? {});
        if (!cutoff) continue;
        const sql = dryRun
          ? `RETURN array::len((SELECT id FROM ${table} WHERE scope = $scope AND created_at < $cutoff))`
          : `RETURN array::len((DELETE ${table} WHERE scope = $scope AND created_at < $cutoff RETURN BEFORE))`;
        const [n] = await this.q(ctx, sql, { scope: scope ?? {}, cutoff });
        counts[table]! += n ?? 0;
      }
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
    for (const table of [...PARTITIONED, ...UNPARTITIONED]) {
      const [rows] = await this.q(ctx, `SELECT scope[$d] AS value, count() AS n FROM ${table} GROUP BY value`, {
        d: dimension,
      });
      for (const r of rows as any[]) out.push({ table, value: r.value ?? null, count: r.n });
    }
    return out;
  }

  /** Records a key wrote that do not carry every tag of its floor (must be none). */
  async recordsMissingFloor(ctx: StoredContext, keyId: string, floor: Scope): Promise<number> {
    if (Object.keys(floor).length === 0) return 0;
    let n = 0;
    for (const table of [...PARTITIONED, ...UNPARTITIONED]) {
      const [rows] = await this.q(
        ctx,
        `SELECT count() AS n FROM ${table} WHERE owner = $kid AND !(tags CONTAINSALL $ftags) GROUP ALL`,
        { kid: keyId, ftags: scopeTags(floor) },
      );
      n += rows[0]?.n ?? 0;
    }
    return n;
  }

  /**
   * Distinct (partition, scope) pairs of partitioned tables where the record's scope does not
   * match the partition it is stored in: one grouped scan per table.
   */
  async misplacedRecords(ctx: StoredContext): Promise<number> {
    let n = 0;
    for (const table of PARTITIONED) {
      const [groups] = await this.q(ctx, `SELECT record::id(id)[0] AS key, scope FROM ${table} GROUP BY key, scope`);
      for (const g of groups as Array<{ key: string; scope: Scope | null }>)
        if (scopeKey(g.scope ?? {}) !== g.key) n += 1;
    }
    return n;
  }
}
