import { RecordId } from "surrealdb";
import type { DeleteRule, RecordView } from "../../domain/access.js";
import { viewAdmits } from "../../domain/access.js";
import type { MemoryModel } from "../../domain/models.js";
import { EMPTY_SCOPE, scopeKey, scopeOfKey, storedScope, type Scope } from "../../domain/scope.js";
import { Predicates } from "../executor/predicates.js";
import { decodeRecordKey, encodeRecordKey, newUlid, type RecordKey } from "../ids.js";
import type { LiveFeed } from "../liveFeed.js";
import { partitionLocks, rangeTargets } from "../partitions.js";
import { transactionResult } from "../transactions.js";
import { PartitionRegistry } from "./partitionRegistry.js";
import { PartitionedTable, type RecallableFields, recallableColumns } from "./partitionedTable.js";
import type { TableContext } from "./tableContext.js";

const MEMORY_FIELDS = "id, text, scope, metadata, session, source, owner, created_at";

/** A memory row as selected with MEMORY_FIELDS (ids already made public by toPlain). */
interface MemoryRow {
  id: string;
  text: string;
  scope?: Record<string, string>;
  metadata?: Record<string, unknown>;
  session?: string;
  source?: string;
  owner?: string;
  created_at: string;
}

export interface NewMemory extends RecallableFields {
  scope: Scope;
  /** Public id of the session this memory belongs to. */
  sessionId: string | null;
  metadata: Record<string, unknown> | null;
}

/** The memory table as one caller sees it (partitioned by scope; see db/partitions.ts). */
export class MemoryTable extends PartitionedTable<MemoryModel> {
  constructor(t: TableContext) {
    super(t, "memory", MEMORY_FIELDS, (r: MemoryRow) => memoryModel(t.actor.contextId, r));
  }

  /**
   * Stores all items or none: one transaction that registers (and bumps) their partitions,
   * inserts the rows and THROWs when SurrealDB's permissions silently skipped any of them.
   * With `linkToFirst`, items after the first point at it as their `source` (inferred facts).
   * With `signal`, the transaction does not start once it has aborted.
   */
  async create(
    items: readonly NewMemory[],
    opts: { linkToFirst?: boolean; signal?: AbortSignal } = {},
  ): Promise<MemoryModel[]> {
    for (const m of items) this.t.predicates.assertWritable(m.scope);
    const keys = items.map((m): RecordKey => [scopeKey(m.scope), newUlid()]);
    const source = opts.linkToFirst && keys[0] ? encodeRecordKey(keys[0]) : undefined;
    const rows = items.map((m, i) => ({
      id: new RecordId("memory", keys[i]!),
      source: i > 0 ? source : undefined,
      text: m.text,
      scope: m.scope,
      ...recallableColumns(m),
      session: m.sessionId ? sessionRecordId(m.sessionId) : undefined,
      metadata: m.metadata ?? undefined,
      owner: this.t.actor.keyId ?? undefined,
    }));
    const results = await this.t.q.transaction(
      `BEGIN;
       ${PartitionRegistry.register("memory")}
       LET $made = (INSERT INTO memory $rows RETURN ${MEMORY_FIELDS});
       IF array::len($made) != array::len($rows) { THROW 'outside floor' };
       RETURN $made;
       COMMIT;`,
      {
        rows,
        partitions: PartitionRegistry.partitionsOf(
          items.map((m, i) => ({ scope: m.scope, ulid: keys[i]![1] })),
          keys,
        ),
      },
      {
        signal: opts.signal,
        writes: items.map((m) => m.scope),
        locks: partitionLocks(
          keys.map((k) => k[0]),
          true,
        ),
      },
    );
    this.noteWritten(keys);
    this.noteAppended("memory", keys);
    return transactionResult<MemoryRow[]>(results).map(this.model);
  }

  /**
   * Memories created and deleted from now on that `view` admits, as a live feed of MEMORY_FIELDS
   * rows (`this.model` reads them): the list predicate of `view` is the live query's WHERE, which
   * SurrealDB evaluates on the record as it is after a CREATE and as it was before a DELETE, under
   * the table PERMISSIONS of the caller's session.
   */
  live(view: RecordView): Promise<LiveFeed> {
    const p = this.t.predicates.view(view);
    return this.t.q.live(`LIVE SELECT ${MEMORY_FIELDS} FROM memory WHERE ${p.where}`, p.vars);
  }

  /**
   * The first `first` memories of each session, oldest first, that `view` admits. The rows of
   * the partitions `scan` lists come from the corpus cache when unchanged; then one fetch of the
   * chosen ids. Constant round trips for any number of sessions.
   */
  async bySessionIds(
    sessionIds: readonly string[],
    scan: RecordView,
    view: RecordView,
    first: number,
  ): Promise<Map<string, MemoryModel[]>> {
    const wanted = new Set(sessionIds);
    const stamps = await this.t.registry.stamps(scan);
    const rows = (await this.corpus(stamps, scan)).filter(
      (r) =>
        r.sessionId !== null &&
        wanted.has(r.sessionId) &&
        viewAdmits(view, { scope: scopeOfKey(decodeRecordKey(r.id)?.[0] ?? "") ?? EMPTY_SCOPE, owner: r.owner }),
    );
    rows.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    const perSession = new Map<string, string[]>();
    for (const r of rows) {
      const list = perSession.get(r.sessionId!) ?? [];
      if (list.length < first) list.push(r.id);
      perSession.set(r.sessionId!, list);
    }
    const all = [...perSession.values()].flat();
    const byId = new Map((all.length ? await this.byIds(all, view) : []).map((m) => [m.id, m]));
    return new Map([...perSession].map(([sid, list]) => [sid, list.flatMap((id) => byId.get(id) ?? [])]));
  }

  /** Memories extracted from each of `ids` (they share their source's partition). */
  async derivedOf(ids: readonly string[], view: RecordView): Promise<Map<string, MemoryModel[]>> {
    const out = new Map<string, MemoryModel[]>(ids.map((id) => [id, []]));
    const keys = [...new Set(ids.flatMap((id) => decodeRecordKey(id)?.[0] ?? []))];
    if (keys.length === 0) return out;
    const p = this.t.predicates.view(view);
    const { from, vars } = rangeTargets("memory", keys);
    const [rows] = await this.t.q.run(`SELECT ${MEMORY_FIELDS} FROM ${from} WHERE source IN $ids AND ${p.where}`, {
      ...p.vars,
      ...vars,
      ids,
    });
    for (const r of (rows ?? []) as MemoryRow[]) if (r.source) out.get(r.source)?.push(this.model(r));
    return out;
  }

  /**
   * Every memory at or under `under` that `rule` lets the caller delete, in one transaction that
   * bumps the partitions it touches. Returns the ids that went (or would go, for a dry run).
   */
  async deleteUnder(under: Scope, rule: DeleteRule, dryRun: boolean): Promise<string[]> {
    const view: RecordView = { kind: "under", scope: under };
    const keys = await this.t.registry.keys(view);
    if (keys.length === 0) return [];
    const p = Predicates.and(this.t.predicates.view(view), this.t.predicates.deletable(rule));
    const { from, vars } = rangeTargets("memory", keys);
    const allVars = { ...p.vars, ...vars };
    if (dryRun) {
      const [ids] = await this.t.q.run(`SELECT VALUE id FROM ${from} WHERE ${p.where}`, allVars);
      return ids ?? [];
    }
    const results = await this.t.q.transaction(
      `BEGIN;
       LET $gone = (DELETE ${from} WHERE ${p.where} RETURN BEFORE);
       ${PartitionRegistry.bumpGone("memory")}
       RETURN $gone.id;
       COMMIT;`,
      allVars,
      { locks: partitionLocks(keys, true) },
    );
    return transactionResult<string[]>(results) ?? [];
  }
}

/** The record id of a session's public id (sessions are partitioned like memories). */
export function sessionRecordId(publicId: string): RecordId | undefined {
  const key = decodeRecordKey(publicId);
  return key ? new RecordId("session", key) : undefined;
}

function memoryModel(contextId: string, r: MemoryRow): MemoryModel {
  return {
    id: r.id,
    contextId,
    text: r.text,
    scope: storedScope(r.scope),
    metadata: r.metadata ?? null,
    sessionId: r.session ?? null,
    sourceId: r.source ?? null,
    owner: r.owner ?? null,
    createdAt: r.created_at,
  };
}
