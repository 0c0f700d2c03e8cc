import type { SurrealSession } from "surrealdb";
import type { StoredContext } from "../domain/models.js";
import { carriesFloor, scopeKey, scopeTags, storedScope, type Scope } from "../domain/scope.js";
import { WRITE_GATE } from "./executor/tenantQueries.js";
import { newUlid } from "./ids.js";
import { PartitionRegistry } from "./tables/partitionRegistry.js";
import { keysUnder, partitionLocks, partitionRange, partitionTagKeys, rangeTargets } from "./partitions.js";
import type { TenantSessions } from "./tenantSessions.js";
import { runTransaction, transactionResult } from "./transactions.js";
import { recordId, toPlain } from "./values.js";
import { exclusive } from "./writeLocks.js";

/** Tenant tables, all partitioned by scope (ids [scopeKey, …]), in deletion order. */
export const TENANT_DATA = ["chunk", "document", "memory", "turn", "session", "decision_trace"] as const;
/** What retention removes: everything but decision traces, which are the usage ledger. */
const RETAINED = ["chunk", "document", "memory"] as const;
export type TableCounts = Record<string, number>;

const DAY_MS = 86_400_000;

/** A redaction fence lapses this long after its last renewal (every batch renews it). */
const FENCE_TTL_MS = 30_000;
/** Records per redaction transaction (memories, traces, stray chunks and turns). */
const REDACT_BATCH = 500;
/** Documents per redaction transaction, each with all its chunks (up to ~800 for a maximal one). */
const DOCUMENT_BATCH = 10;
/** Sessions per redaction transaction, each with all its turns. */
const SESSION_BATCH = 50;
/** Times the partitions under a redacted scope are listed again for writes that landed late. */
const REDACT_PASSES = 5;

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
    return toPlain(await this.tenants.onRoot(ctx, (session) => session.query(sql, vars).collect()));
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
   * Removes every record at or under `scope`, while writers may still be writing there:
   * 1. A fence goes up: a `fence` row that every tenant write transaction checks (WRITE_CHECKS
   *    in tenantQueries.ts), so writes at or under the scope answer CONFLICT from then on. It is
   *    created holding the Context's write gate exclusively, so the writes already in flight
   *    finish first and every later one reads it. It lapses FENCE_TTL_MS after its last renewal,
   *    so a redaction that crashes stops no writer for longer than that.
   * 2. Each partition at or under the scope is emptied in small transactions (REDACT_BATCH rows,
   *    a document with all its chunks, a session with all its turns), each holding the
   *    partition's lock, bumping its version (recall caches refresh) and renewing the fence;
   *    decision traces are first rolled up per month/scope/model into usage_rollup, so past usage
   *    stays accountable. An emptied partition's row goes last.
   * 3. The partitions are listed again until none is left (a write that began before the fence on
   *    a replica of another process may land late), at most REDACT_PASSES times.
   * 4. What is left under the scope is counted (`remaining`, all zeros unless a write of another
   *    process outlived the passes), and the fence comes down. Whatever is written after that
   *    lands after the redaction, whole.
   * Returns the records removed per table and what remained behind the fence.
   */
  async redact(ctx: StoredContext, scope: Scope): Promise<{ counts: TableCounts; remaining: TableCounts }> {
    const session = await this.session(ctx);
    const counts: TableCounts = Object.fromEntries(TENANT_DATA.map((t) => [t, 0]));
    const fence = recordId("fence", newUlid());
    const ttl = `${FENCE_TTL_MS}ms`;
    await runTransaction(
      session,
      "BEGIN; CREATE $fence SET scope = $scope, expires_at = time::now() + <duration> $ttl; COMMIT;",
      { fence, scope, ttl },
      { locks: [exclusive(WRITE_GATE)] },
    );
    try {
      for (let pass = 0; pass < REDACT_PASSES; pass++) {
        const keys = await this.partitionsUnder(ctx, scope);
        if (keys.length === 0) break;
        for (const key of keys) await this.emptyPartition(session, key, fence, counts);
      }
      // Counted while the fence still stands: what a client writes after it comes down is not a leftover.
      return { counts, remaining: await this.countUnder(ctx, scope) };
    } finally {
      await session
        .query("DELETE $fence", { fence })
        .collect()
        .catch(() => undefined); // it lapses by itself
      this.tenants.corpusCache.forgetContext(ctx.id);
    }
  }

  /** Deletes one partition's records in batches, then its row (see redact). */
  private async emptyPartition(session: SurrealSession, key: string, fence: unknown, counts: TableCounts) {
    const range = (t: string) => partitionRange(t, "p");
    const batch = async (statements: string, extra: Record<string, unknown> = {}): Promise<TableCounts> =>
      transactionResult<TableCounts>(
        await runTransaction(
          session,
          `BEGIN;
          UPDATE $fence SET expires_at = time::now() + <duration> $ttl;
          ${statements}
          ${PartitionRegistry.changed("$p", "all")}
          RETURN $n;
          COMMIT;`,
          { ...extra, p: key, fence, ttl: `${FENCE_TTL_MS}ms` },
          { locks: partitionLocks([key], true) },
        ),
      ) ?? {};
    /** A batch of REDACT_BATCH rows of `table` that nothing else goes with. */
    const plainDelete = (table: string) => ({
      table,
      size: REDACT_BATCH,
      sql: `LET $ids = (SELECT VALUE id FROM ${range(table)} LIMIT $size);
          LET $n = { ${table}: array::len((DELETE $ids RETURN BEFORE)) };`,
    });
    const steps: Array<{ table: string; size: number; sql: string }> = [
      {
        // A document goes with all its chunks.
        table: "document",
        size: DOCUMENT_BATCH,
        sql: `LET $ids = (SELECT VALUE id FROM ${range("document")} LIMIT $size);
          LET $c = math::sum(array::map($ids, |$d| array::len((DELETE chunk WHERE document = $d RETURN BEFORE))));
          LET $n = { document: array::len((DELETE $ids RETURN BEFORE)), chunk: $c };`,
      },
      {
        // A session goes with all its turns.
        table: "session",
        size: SESSION_BATCH,
        sql: `LET $ids = (SELECT VALUE id FROM ${range("session")} LIMIT $size);
          LET $turns = array::flatten(array::map($ids, |$s| (SELECT VALUE id FROM turn:[$p, record::id($s)[1], NONE]..=[$p, record::id($s)[1], ..])));
          LET $t = array::len((DELETE $turns RETURN BEFORE));
          LET $n = { session: array::len((DELETE $ids RETURN BEFORE)), turn: $t };`,
      },
      plainDelete("memory"),
      {
        table: "decision_trace",
        size: REDACT_BATCH,
        sql: `LET $ids = (SELECT VALUE id FROM ${range("decision_trace")} LIMIT $size);
          LET $usage = (SELECT time::format(created_at, '%Y-%m') AS month, scope, model, math::sum(prompt_tokens) AS prompt,
            math::sum(completion_tokens) AS completion, count() AS calls FROM $ids GROUP BY month, scope, model);
          FOR $u IN $usage {
            CREATE usage_rollup CONTENT { month: $u.month, month_start: <datetime> string::concat($u.month, '-01T00:00:00Z'), scope: $u.scope,
              model: $u.model, prompt: $u.prompt, completion: $u.completion, calls: $u.calls, redacted_at: time::now() };
          };
          LET $n = { decision_trace: array::len((DELETE $ids RETURN BEFORE)) };`,
      },
      // Chunks and turns whose document or session was already gone.
      plainDelete("chunk"),
      plainDelete("turn"),
    ];
    for (const step of steps) {
      for (;;) {
        const done = await batch(step.sql, { size: step.size });
        for (const [t, n] of Object.entries(done)) counts[t] = (counts[t] ?? 0) + (n as number);
        if ((done[step.table] ?? 0) < step.size) break;
      }
    }
    // The row goes only with the last record of its range: anything that landed meanwhile keeps it listed.
    await batch(
      `LET $left = ${TENANT_DATA.map((t) => `array::len((SELECT VALUE id FROM ${range(t)} LIMIT 1))`).join(" + ")};
      IF $left = 0 {
        DELETE type::record('partition', $p);
        DELETE array::map($tagKeys, |$k| type::record('partition_tag', $k));
      };
      LET $n = {};`,
      { tagKeys: partitionTagKeys(key) },
    );
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
          ${RETAINED.map((t) => `LET $g_${t} = (DELETE ${range(t)} WHERE created_at < $cutoff RETURN BEFORE).id;\n          LET $n_${t} = array::len($g_${t});`).join("\n")}
          LET $old = (DELETE ${range("session")} WHERE created_at < $cutoff RETURN BEFORE).id;
          LET $n_session = array::len($old);
          LET $n_turn = array::len((DELETE ${range("turn")} WHERE created_at < $cutoff OR session IN $old RETURN BEFORE));
          -- A partition retention deleted nothing from keeps its version, caches and snapshots.
          ${PartitionRegistry.bumpEach("(IF $n_chunk + $n_document + $n_memory + $n_session + $n_turn > 0 { $bump } ELSE { [] })", { memory: "$g_memory", chunk: "$g_chunk" })}
          RETURN { chunk: $n_chunk, document: $n_document, memory: $n_memory, turn: $n_turn, session: $n_session };
          COMMIT;`;
      const c = transactionResult<TableCounts>(
        await runTransaction(session, sql, vars, { locks: partitionLocks([p.key], !dryRun) }),
      );
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
