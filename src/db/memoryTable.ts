import { RecordId } from "surrealdb";
import type { ScopedExecutor, Visibility } from "./scopedExecutor.js";
import { PartitionedTable, type RecallableFields } from "./partitionedTable.js";
import { encodePartitionedId, newUlid, rangeTargets, scopeKey } from "./partitions.js";
import type { Scope } from "../scope/scope.js";
import type { MemoryModel } from "../services/models.js";
import { transactionResult } from "./transactions.js";

const MEMORY_FIELDS = "id, text, scope, metadata, session, source, owner, created_at";

export interface NewMemory extends RecallableFields {
  scope: Scope;
  sessionId: string | null;
  metadata: Record<string, unknown> | null;
}

/** The memory table as one caller sees it (partitioned by scope; see db/partitions.ts). */
export class MemoryTable extends PartitionedTable<MemoryModel> {
  constructor(x: ScopedExecutor) {
    super(x, "memory", MEMORY_FIELDS, (r) => memoryModel(x.caller.contextId, r));
  }

  /**
   * Stores all items or none: one transaction that registers their partitions, inserts the
   * rows and THROWs when SurrealDB's permissions silently skipped any of them.
   */
  async create(items: readonly NewMemory[], opts: { linkToFirst?: boolean } = {}): Promise<MemoryModel[]> {
    for (const m of items) this.x.assertWritable(m.scope);
    const owner = this.x.caller.keyId ?? undefined;
    const ids = items.map((m) => [scopeKey(m.scope), newUlid()] as [string, string]);
    // Facts extracted from a text point at the memory holding that text (the first item).
    const source = opts.linkToFirst && ids[0] ? encodePartitionedId(ids[0]) : undefined;
    const rows = items.map((m, i) => ({
      id: new RecordId("memory", ids[i]!),
      source: i > 0 ? source : undefined,
      text: m.text,
      scope: m.scope,
      terms: JSON.stringify(m.terms),
      len: m.len,
      emb: m.emb ?? undefined,
      emb_model: m.embModel ?? undefined,
      session: m.sessionId ? this.x.sessionRecord(m.sessionId) : undefined,
      metadata: m.metadata ?? undefined,
      owner,
    }));
    const results = await this.x.query(
      `BEGIN;
       ${PartitionedTable.registerPartitions}
       LET $made = (INSERT INTO memory $rows RETURN ${MEMORY_FIELDS});
       IF array::len($made) != array::len($rows) { THROW 'outside floor' };
       RETURN $made;
       COMMIT;`,
      { rows, partitions: PartitionedTable.partitionsOf(items.map((m) => m.scope)) },
      { outsideFloorOn: "outside floor" },
    );
    return transactionResult<any[]>(results).map((r) => this.model(r));
  }

  /**
   * Memories of many sessions: the caller's visible partitions (from the corpus cache when
   * unchanged) give the ids per session, then one fetch of those rows. Constant round trips
   * for any number of sessions, and cost bounded by what the tenant owns.
   */
  async bySessionIds(
    ids: readonly string[],
    effective: Scope | null,
    mode: Visibility,
    first: number,
  ): Promise<Map<string, MemoryModel[]>> {
    const wanted = new Set(ids);
    const stamps = await this.partitionStamps(effective, mode);
    const rows = (await this.corpus(stamps, effective, mode, [], null)).filter(
      (r) => r.sessionId !== null && wanted.has(r.sessionId),
    );
    const perSession = new Map<string, string[]>();
    for (const r of rows.sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
    )) {
      const list = perSession.get(r.sessionId!) ?? [];
      if (list.length < first) list.push(r.id);
      perSession.set(r.sessionId!, list);
    }
    const all = [...perSession.values()].flat();
    const byId = new Map((all.length ? await this.byIds(all, effective, mode) : []).map((m) => [m.id, m]));
    return new Map(
      [...perSession].map(([sid, list]) => [
        sid,
        list.map((id) => byId.get(id)).filter((m): m is MemoryModel => m !== undefined),
      ]),
    );
  }

  /** Memories extracted from each of `ids` (they share their source's partition). */
  async derivedOf(
    ids: readonly string[],
    effective: Scope | null,
    mode: Visibility,
  ): Promise<Map<string, MemoryModel[]>> {
    const keys = PartitionedTable.keysOfIds(ids);
    const out = new Map<string, MemoryModel[]>(ids.map((id) => [id, []]));
    if (keys.length === 0) return out;
    const v = this.x.visible(effective, mode);
    const { from, vars } = rangeTargets("memory", keys);
    const [rows] = await this.x.query(`SELECT ${MEMORY_FIELDS} FROM ${from} WHERE source IN $ids AND ${v.where}`, {
      ...v.vars,
      ...vars,
      ids,
    });
    for (const r of rows as any[]) out.get(r.source)?.push(this.model(r));
    return out;
  }

  /**
   * Deletes the visible, deletable memories among `ids`; ids the caller cannot see are simply
   * not counted (no existence oracle). Returns the ids that went (or would go, for a dry run).
   */
  async forgetIds(
    ids: readonly string[],
    effective: Scope | null,
    mode: Visibility,
    dryRun: boolean,
    /** At most this many: the first deletable ones in the order of `ids`. */
    limit = Number.POSITIVE_INFINITY,
  ): Promise<string[]> {
    const found = await this.byIds(ids, effective, mode);
    const rank = new Map(ids.map((id, i) => [id, i]));
    const deletable = found
      .filter((m) => this.x.mayDelete(m))
      .sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)
      .slice(0, limit);
    if (dryRun || deletable.length === 0) return deletable.map((m) => m.id);
    return this.deleteIds(
      deletable.map((m) => m.id),
      effective,
      mode,
    );
  }

  /** Every deletable memory at or under `under` (its scope carries every tag of `under`). */
  async forgetUnder(under: Scope, effective: Scope | null, mode: Visibility, dryRun: boolean): Promise<string[]> {
    const keys = await this.partitionsUnder(under, effective, mode);
    if (keys.length === 0) return [];
    const v = this.x.visible(effective, mode);
    const { from, vars } = rangeTargets("memory", keys);
    const guard = this.x.deleteGuard();
    const allVars = { ...v.vars, ...vars, ...guard.vars, bump: keys };
    if (dryRun) {
      const [ids] = await this.x.query(`SELECT VALUE id FROM ${from} WHERE ${v.where} AND ${guard.where}`, allVars);
      return ids;
    }
    const results = await this.x.query(
      `BEGIN;
       LET $gone = (DELETE ${from} WHERE ${v.where} AND ${guard.where} RETURN BEFORE);
       ${PartitionedTable.bumpPartitions}
       RETURN $gone;
       COMMIT;`,
      allVars,
      { transaction: true },
    );
    return transactionResult<any[]>(results).map((r) => r.id);
  }
}

function memoryModel(contextId: string, r: any): MemoryModel {
  return {
    id: r.id,
    contextId,
    text: r.text,
    scope: r.scope ?? {},
    metadata: r.metadata ?? null,
    sessionId: r.session ?? null,
    sourceId: r.source ?? null,
    owner: r.owner ?? null,
    createdAt: r.created_at,
  };
}
