import type { ScopedExecutor, Visibility } from "./scopedExecutor.js";
import {
  decodePartitionedId,
  decodePartitionedIds,
  keysUnder,
  partitionRange,
  partitionRangeAfter,
  rangeTargets,
  scopeKey,
  subsetKeys,
} from "./partitions.js";
import type { Scope } from "../scope/scope.js";
import type { CachedRow } from "./corpusCache.js";
import { embeddingFromBytes } from "../recall/localEmbedding.js";
import { readStoredTerms } from "../recall/text.js";
import type { Page } from "../services/models.js";
import { transactionResult } from "./transactions.js";

/** Up to this many sub-scopes (|E| ≤ 3) are range-scanned without asking the partition registry. */
const MAX_UNCHECKED_SUBSETS = 8;

export interface PartitionStamp {
  key: string;
  stamp: string;
}

export type PartitionedTableName = "memory" | "document" | "chunk";

/** A recallable row as the recall tiers need it: no text, only what scoring reads (see recall/rank.ts). */
export interface CorpusRow {
  id: string;
  seq: string;
  len: number;
  /** Frequencies of the `terms` asked for, in that order. */
  tf: number[];
  /** The whole stored term map (shared with the cache: read-only). */
  terms: Readonly<Record<string, number>>;
  analyzer: number;
  vector: Float32Array | null;
  embModel: string | null;
  createdAt: string;
  sessionId: string | null;
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
export class PartitionedTable<M> {
  /** `model` maps a row of `fields` to the domain model the services see. */
  constructor(
    protected readonly x: ScopedExecutor,
    readonly table: PartitionedTableName,
    private readonly fields: string,
    readonly model: (row: any) => M,
  ) {}

  /**
   * Scope keys the caller may read. Agents: the sub-scopes of E that exist. Supervisors and the
   * management key: every partition in the subtree. With the executor predicate switched off
   * (layer tests) every partition is listed and only SurrealDB's permissions filter.
   */
  async visiblePartitions(effective: Scope | null, mode: Visibility): Promise<string[]> {
    const candidates = this.subsetCandidates(effective, mode);
    // Few candidates: scan them all (an empty range costs next to nothing) and save a round trip.
    if (candidates && candidates.length <= MAX_UNCHECKED_SUBSETS) return candidates;
    return this.registry("VALUE record::id(id)", effective, mode, candidates);
  }

  /** Partitions whose scope carries every tag of `under` (records "at or under" it), among the visible ones. */
  async partitionsUnder(under: Scope, effective: Scope | null, mode: Visibility): Promise<string[]> {
    return keysUnder(await this.visiblePartitions(effective, mode), under);
  }

  /** Under the subset rule the visible keys are known up front: the sub-scopes of E. Else null. */
  private subsetCandidates(effective: Scope | null, mode: Visibility): string[] | null {
    return mode === "subset" && effective && !this.x.predicateOff ? subsetKeys(effective) : null;
  }

  /** Rows of the partition registry the caller may see, among `candidates` when given. */
  private async registry(
    projection: string,
    effective: Scope | null,
    mode: Visibility,
    candidates: string[] | null,
  ): Promise<any[]> {
    const v = this.x.visible(effective, mode);
    const from = candidates ? "array::map($keys, |$k| type::record('partition', $k))" : "partition";
    const [rows] = await this.x.query(`SELECT ${projection} FROM ${from} WHERE ${v.where}`, {
      ...v.vars,
      keys: candidates ?? undefined,
    });
    return rows;
  }

  async byIds(ids: readonly string[], effective: Scope | null, mode: Visibility): Promise<M[]> {
    const pairs = decodePartitionedIds(ids);
    if (pairs.length === 0) return [];
    const v = this.x.visible(effective, mode);
    const [rows] = await this.x.query(
      `SELECT ${this.fields} FROM array::map($pairs, |$p| type::record('${this.table}', $p)) WHERE ${v.where}`,
      { ...v.vars, pairs },
    );
    return rows.map(this.model);
  }

  /** Deletes the visible, deletable rows among `ids`; returns the ids that went. */
  async deleteIds(ids: readonly string[], effective: Scope | null, mode: Visibility): Promise<string[]> {
    const pairs = decodePartitionedIds(ids);
    if (pairs.length === 0) return [];
    const v = this.x.visible(effective, mode);
    const guard = this.x.deleteGuard();
    const results = await this.x.query(
      `BEGIN;
       LET $targets = array::map($pairs, |$p| type::record('${this.table}', $p));
       LET $gone = (DELETE $targets WHERE ${v.where} AND ${guard.where} RETURN BEFORE);
       ${PartitionedTable.bumpPartitions}
       RETURN $gone;
       COMMIT;`,
      { ...v.vars, ...guard.vars, pairs, bump: PartitionedTable.keysOfIds(ids) },
      { transaction: true },
    );
    return transactionResult<any[]>(results).map((r) => r.id);
  }

  /**
   * One page across the caller's partitions in time order: each partition yields at most
   * first+1 rows after the cursor ulid, merged here. Cost: one short range scan per partition.
   */
  async page(
    effective: Scope | null,
    mode: Visibility,
    first: number,
    after: string | null,
  ): Promise<Page<M & { ulid: string }>> {
    const keys = await this.visiblePartitions(effective, mode);
    if (keys.length === 0) return { items: [], hasNextPage: false };
    const v = this.x.visible(effective, mode);
    const statements = keys.map((_, i) => {
      const range = after ? partitionRangeAfter(this.table, `p${i}`, "after") : partitionRange(this.table, `p${i}`);
      return `SELECT ${this.fields}, record::id(id)[1] AS ulid FROM ${range} WHERE ${v.where} LIMIT $limit;`;
    });
    const vars: Record<string, unknown> = { ...v.vars, after: after ?? undefined, limit: first + 1 };
    keys.forEach((k, i) => {
      vars[`p${i}`] = k;
    });
    const results = await this.x.query(statements.join("\n"), vars);
    const merged = results.flat().sort((a: any, b: any) => (a.ulid < b.ulid ? -1 : a.ulid > b.ulid ? 1 : 0));
    return {
      items: merged.slice(0, first).map((r: any) => ({ ...this.model(r), ulid: r.ulid as string })),
      hasNextPage: merged.length > first,
    };
  }

  /** Visible partitions with their change stamps, read on the caller's own session (layers 2 and 3 apply). */
  partitionStamps(effective: Scope | null, mode: Visibility): Promise<PartitionStamp[]> {
    const projection = "record::id(id) AS key, string::concat(<string> created_at, '#', <string> version) AS stamp";
    return this.registry(projection, effective, mode, this.subsetCandidates(effective, mode));
  }

  /**
   * The scoring view of every visible row, for the recall tiers. Partitions whose stamp is
   * unchanged come from the corpus cache; the others are scanned in one query and cached.
   * A scanned row whose scope does not match its partition key is dropped, so a cached
   * partition holds only records of exactly that scope.
   */
  async corpus(
    partitions: readonly PartitionStamp[],
    effective: Scope | null,
    mode: Visibility,
    terms: readonly string[],
    sessionId: string | null,
  ): Promise<CorpusRow[]> {
    const cache = this.x.corpusCache;
    const contextId = this.x.caller.contextId;
    const rows: CachedRow[] = [];
    const missing: PartitionStamp[] = [];
    for (const p of partitions) {
      const cached = cache.get(contextId, this.table, p.key, p.stamp);
      if (cached) rows.push(...cached);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const v = this.x.visible(effective, mode);
      const { from, vars } = rangeTargets(
        this.table,
        missing.map((p) => p.key),
      );
      const [scanned] = await this.x.query(
        `SELECT id, scope, len, terms, emb, emb_model, created_at, ${this.table === "memory" ? "session" : "NONE AS session"} FROM ${from} WHERE ${v.where}`,
        { ...v.vars, ...vars },
      );
      const byPartition = new Map<string, CachedRow[]>(missing.map((p) => [p.key, []]));
      for (const r of scanned as any[]) {
        const [key, seq] = decodePartitionedId(r.id) ?? [];
        if (key === undefined || seq === undefined || key !== scopeKey(r.scope ?? {})) continue;
        const { version, terms } = parseTerms(r.terms);
        byPartition.get(key)?.push({
          id: r.id,
          seq,
          len: r.len,
          terms,
          analyzer: version,
          vector: r.emb ? embeddingFromBytes(r.emb) : null,
          embModel: r.emb_model ?? null,
          createdAt: r.created_at,
          sessionId: r.session ?? null,
        });
      }
      for (const p of missing) {
        const fresh = byPartition.get(p.key)!;
        cache.set(contextId, this.table, p.key, p.stamp, fresh);
        rows.push(...fresh);
      }
    }
    const inSession = sessionId ? rows.filter((r) => r.sessionId === sessionId) : rows;
    return inSession.map((r) => ({
      id: r.id,
      seq: r.seq,
      len: r.len,
      tf: terms.map((t) => r.terms[t] ?? 0),
      terms: r.terms,
      analyzer: r.analyzer,
      vector: r.vector,
      embModel: r.embModel,
      createdAt: r.createdAt,
      sessionId: r.sessionId,
    }));
  }

  /** SQL that registers the partitions of a write inside its transaction (first write of a scope creates the row). */
  static registerPartitions = `FOR $p IN $partitions {
      LET $r = type::record('partition', $p.key);
      IF record::exists($r) { UPDATE $r SET version += 1 } ELSE { CREATE $r SET scope = $p.scope, version = 1 };
    };`;

  /** SQL that bumps the version of the partitions in $bump (inside the transaction of a delete). */
  static bumpPartitions = "FOR $k IN $bump { UPDATE type::record('partition', $k) SET version += 1; };";

  static keysOfIds(ids: readonly string[]): string[] {
    return [...new Set(ids.map((id) => decodePartitionedId(id)?.[0]).filter((k): k is string => k !== undefined))];
  }

  static partitionsOf(scopes: readonly Scope[]): Array<{ key: string; scope: Scope }> {
    const byKey = new Map<string, Scope>();
    for (const s of scopes) byKey.set(scopeKey(s), s);
    return [...byKey].map(([key, scope]) => ({ key, scope }));
  }
}

/** Term frequencies as stored (a JSON string) and the analyzer version tagged in them; anything unreadable counts as no terms. */
function parseTerms(raw: unknown): { version: number; terms: Record<string, number> } {
  let parsed: unknown = null;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : null;
  } catch {
    // unreadable: no terms
  }
  return readStoredTerms(
    parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {},
  );
}
