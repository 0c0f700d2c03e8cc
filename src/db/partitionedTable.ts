import type { ScopedExecutor, Visibility } from "./scopedExecutor.js";
import { partitionRange, partitionRangeAfter, rangeTargets, scopeKey, subsetKeys, decodePartitionedId } from "./partitions.js";
import { carriesFloor, type Scope } from "../scope/scope.js";
import type { Page } from "../services/models.js";

/** Up to this many sub-scopes (|E| ≤ 3) are range-scanned without asking the partition registry. */
const MAX_UNCHECKED_SUBSETS = 8;

export type PartitionedTableName = "memory" | "document" | "chunk";

/** A recallable row as the recall tiers need it: no text, only what scoring reads. */
export interface CorpusRow {
  id: string;
  len: number;
  tf: number[];
  emb: Uint8Array | null;
  embModel: string | null;
  createdAt: string;
}

/** Fields every new recallable record carries (memory, chunk). */
export interface RecallableFields {
  text: string;
  terms: Record<string, number>;
  len: number;
  emb: Uint8Array | null;
  embModel: string | null;
}

/**
 * Reads and writes shared by the partitioned tables (memory, document, chunk). Every read
 * first asks which partitions the caller may see, then scans only those key ranges, with
 * the executor's visibility predicate on top and SurrealDB's permissions underneath.
 */
export class PartitionedTable {
  constructor(protected readonly x: ScopedExecutor, readonly table: PartitionedTableName, private readonly fields: string) {}

  /**
   * Scope keys the caller may read. Agents: the sub-scopes of E that exist. Supervisors and the
   * management key: every partition in the subtree. With the executor predicate switched off
   * (layer tests) every partition is listed and only SurrealDB's permissions filter.
   */
  async visiblePartitions(effective: Scope | null, mode: Visibility): Promise<string[]> {
    const v = this.x.visible(effective, mode);
    if (mode === "subset" && effective && !this.x.predicateOff) {
      const candidates = subsetKeys(effective);
      // Few candidates: scan them all (an empty range costs next to nothing) and save a round trip.
      if (candidates.length <= MAX_UNCHECKED_SUBSETS) return candidates;
      const [keys] = await this.x.query(
        `SELECT VALUE record::id(id) FROM array::map($keys, |$k| type::record('partition', $k)) WHERE ${v.where}`,
        { ...v.vars, keys: candidates },
      );
      return keys;
    }
    const [keys] = await this.x.query(`SELECT VALUE record::id(id) FROM partition WHERE ${v.where}`, v.vars);
    return keys;
  }

  /** Partitions whose scope carries every tag of `under` (records "at or under" it), among the visible ones. */
  async partitionsUnder(under: Scope, effective: Scope | null, mode: Visibility): Promise<string[]> {
    const keys = await this.visiblePartitions(effective, mode);
    return keys.filter((k) => carriesFloor(Object.fromEntries(JSON.parse(k)), under));
  }

  async byIds(ids: readonly string[], effective: Scope | null, mode: Visibility): Promise<any[]> {
    const pairs = ids.map(decodePartitionedId).filter((p): p is [string, string] => p !== null);
    if (pairs.length === 0) return [];
    const v = this.x.visible(effective, mode);
    const [rows] = await this.x.query(
      `SELECT ${this.fields} FROM array::map($pairs, |$p| type::record('${this.table}', $p)) WHERE ${v.where}`,
      { ...v.vars, pairs },
    );
    return rows;
  }

  /** Deletes the visible, deletable rows among `ids`; returns the ids that went. */
  async deleteIds(ids: readonly string[], effective: Scope | null, mode: Visibility): Promise<string[]> {
    const pairs = ids.map(decodePartitionedId).filter((p): p is [string, string] => p !== null);
    if (pairs.length === 0) return [];
    const v = this.x.visible(effective, mode);
    const guard = this.x.deleteGuard();
    const results = await this.x.query(
      `LET $targets = array::map($pairs, |$p| type::record('${this.table}', $p));
       DELETE $targets WHERE ${v.where} AND ${guard.where} RETURN BEFORE;`,
      { ...v.vars, ...guard.vars, pairs },
    );
    return (results.at(-1) as any[]).map((r) => r.id);
  }

  /**
   * One page across the caller's partitions in time order: each partition yields at most
   * first+1 rows after the cursor ulid, merged here. Cost: one short range scan per partition.
   */
  async list(effective: Scope | null, mode: Visibility, first: number, after: string | null, where = "true", extraVars: Record<string, unknown> = {}): Promise<Page<any>> {
    const keys = await this.visiblePartitions(effective, mode);
    if (keys.length === 0) return { items: [], hasNextPage: false };
    const v = this.x.visible(effective, mode);
    const statements = keys.map((_, i) => {
      const range = after ? partitionRangeAfter(this.table, `p${i}`, "after") : partitionRange(this.table, `p${i}`);
      return `SELECT ${this.fields}, record::id(id)[1] AS ulid FROM ${range} WHERE ${v.where} AND ${where} LIMIT $limit;`;
    });
    const vars: Record<string, unknown> = { ...v.vars, ...extraVars, after: after ?? undefined, limit: first + 1 };
    keys.forEach((k, i) => { vars[`p${i}`] = k; });
    const results = await this.x.query(statements.join("\n"), vars);
    const merged = results.flat().sort((a: any, b: any) => (a.ulid < b.ulid ? -1 : a.ulid > b.ulid ? 1 : 0));
    return { items: merged.slice(0, first), hasNextPage: merged.length > first };
  }

  /** The scoring view of every visible row, for the recall tiers: one scan of the caller's ranges. */
  async corpus(keys: readonly string[], effective: Scope | null, mode: Visibility, terms: readonly string[], sessionId: string | null): Promise<CorpusRow[]> {
    if (keys.length === 0) return [];
    const v = this.x.visible(effective, mode);
    const { from, vars } = rangeTargets(this.table, keys);
    const termVars: Record<string, string> = {};
    const tf = terms.map((t, i) => { termVars[`t${i}`] = t; return `terms[$t${i}] ?? 0`; }).join(", ");
    const [rows] = await this.x.query(
      `SELECT id, len, [${tf}] AS tf, emb, emb_model, created_at FROM ${from} WHERE ${v.where} ${sessionId ? "AND session = $sid" : ""}`,
      { ...v.vars, ...vars, ...termVars, sid: sessionId ? this.x.sessionRecord(sessionId) : undefined },
    );
    return rows.map((r: any) => ({ id: r.id, len: r.len, tf: r.tf, emb: r.emb ?? null, embModel: r.emb_model ?? null, createdAt: r.created_at }));
  }

  /** SQL that registers the partitions of a write inside its transaction (first write of a scope creates the row). */
  static registerPartitions = `FOR $p IN $partitions {
      IF !record::exists(type::record('partition', $p.key)) { CREATE type::record('partition', $p.key) SET scope = $p.scope };
    };`;

  static partitionsOf(scopes: readonly Scope[]): Array<{ key: string; scope: Scope }> {
    const byKey = new Map<string, Scope>();
    for (const s of scopes) byKey.set(scopeKey(s), s);
    return [...byKey].map(([key, scope]) => ({ key, scope }));
  }
}
