import { RecordId } from "surrealdb";
import type { DeleteRule, RecordView } from "../../domain/access.js";
import type { Page } from "../../domain/models.js";
import { scopeKey } from "../../domain/scope.js";
import { embeddingFromBytes } from "../../recall/localEmbedding.js";
import { readStoredTerms } from "../../recall/text.js";
import type { CachedRow } from "../corpusCache.js";
import { Predicates } from "../executor/predicates.js";
import { decodeRecordKey, decodeRecordKeys, windowBounds } from "../ids.js";
import { MAX_ULID } from "ulid";
import { rangeTargets } from "../partitions.js";
import { transactionResult } from "../transactions.js";
import { PartitionRegistry, type PartitionStamp } from "./partitionRegistry.js";
import type { TableContext } from "./tableContext.js";

export type PartitionedTableName = "memory" | "document" | "chunk" | "session" | "decision_trace";

/** What indexing computes for a text (see services/tenant/indexer.ts). */
export type RecallableFieldsOnly = Omit<RecallableFields, "text">;

/** Fields every new recallable record carries (memory, chunk). */
export interface RecallableFields {
  text: string;
  terms: Record<string, number>;
  len: number;
  emb: Uint8Array | null;
  embModel: string | null;
}

/** A model with the ulid that orders it inside its partition (the page cursor). */
export type Paged<M> = M & { ulid: string };

/**
 * Reads and deletes shared by the partitioned tables. Every list first asks which partitions
 * the view may read, then scans only those key ranges, with the layer-2 predicate on top and
 * SurrealDB's permissions underneath; reads by id go straight to the records.
 */
export class PartitionedTable<M> {
  constructor(
    protected readonly t: TableContext,
    readonly table: PartitionedTableName,
    protected readonly fields: string,
    readonly model: (row: any) => M,
  ) {}

  /** Record ids of well-formed public ids (others cannot name a record and are dropped). */
  protected recordIds(ids: readonly string[]): RecordId[] {
    return decodeRecordKeys([...new Set(ids)]).map(({ key }) => new RecordId(this.table, key));
  }

  /** The records among `ids` that the view admits; unknown and invisible ids are simply absent. */
  async byIds(ids: readonly string[], view: RecordView): Promise<M[]> {
    const targets = this.recordIds(ids);
    if (targets.length === 0) return [];
    const p = this.t.predicates.view(view);
    const [rows] = await this.t.q.run(`SELECT ${this.fields} FROM $targets WHERE ${p.where}`, { ...p.vars, targets });
    return (rows ?? []).map(this.model);
  }

  /**
   * One page across the view's partitions in creation order: each partition yields at most
   * first+1 rows after the cursor ulid, merged here. A key-range scan with LIMIT reads its whole
   * range under record-user permissions (PERF-FINDINGS §1), so each partition is probed in
   * doubling time windows (`windowBounds`) inside one statement, which stops at the first window
   * holding first+1 rows: the cost follows the page, not the partition. One round trip for all
   * partitions (plus the registry read that tells a first page where each partition starts).
   */
  async page(view: RecordView, first: number, after: string | null): Promise<Page<Paged<M>>> {
    const starts = after
      ? (await this.t.registry.keys(view)).map((key) => ({ key, first: after }))
      : await this.firstPageStarts(view);
    if (starts.length === 0) return { items: [], hasNextPage: false };
    const p = this.t.predicates.view(view);
    const now = Date.now();
    const vars: Record<string, unknown> = { ...p.vars, lo: after ?? undefined, limit: first + 1, last: MAX_ULID };
    const statements = starts.map(({ key, first: from }, i) => {
      vars[`p${i}`] = key;
      // A partition registered before it recorded its first ULID is read whole (one window).
      vars[`b${i}`] = from ? windowBounds(from, now) : [MAX_ULID];
      return `RETURN (FOR $hi IN $b${i} {
        LET $rows = (SELECT ${this.fields}, record::id(id)[1] AS ulid FROM ${this.table}:[$p${i}, $lo]>..=[$p${i}, $hi] WHERE ${p.where} LIMIT $limit);
        IF array::len($rows) >= $limit OR $hi = $last { RETURN $rows };
      });`;
    });
    const results = await this.t.q.run(statements.join("\n"), vars);
    const merged = results
      .flatMap((r) => (Array.isArray(r) ? r : []))
      .sort((a: any, b: any) => (a.ulid < b.ulid ? -1 : a.ulid > b.ulid ? 1 : 0));
    return {
      items: merged.slice(0, first).map((r: any) => ({ ...this.model(r), ulid: r.ulid as string })),
      hasNextPage: merged.length > first,
    };
  }

  /**
   * The view's partitions and where a first page starts probing each: the remembered first
   * ULIDs, and one registry read only when a partition is not remembered (see firstUlids.ts).
   */
  private async firstPageStarts(view: RecordView): Promise<Array<{ key: string; first: string | null }>> {
    const { firstUlids, actor } = this.t;
    const keys = await this.t.registry.keys(view);
    const known = keys.map((key) => ({ key, first: firstUlids.get(actor.contextId, key) }));
    if (known.every((k) => k.first !== undefined)) return known.map((k) => ({ key: k.key, first: k.first ?? null }));
    const read = new Map((await this.t.registry.starts(view)).map((s) => [s.key, s.first]));
    return keys.map((key) => {
      const first = read.get(key) ?? null;
      firstUlids.set(actor.contextId, key, first);
      return { key, first };
    });
  }

  /**
   * Deletes the rows among `ids` that the view admits and the rule lets the caller delete, in
   * one transaction that bumps their partitions; returns the ids that went.
   */
  async deleteIds(ids: readonly string[], view: RecordView, rule: DeleteRule, dryRun = false): Promise<string[]> {
    const targets = this.recordIds(ids);
    if (targets.length === 0) return [];
    const p = Predicates.and(this.t.predicates.view(view), this.t.predicates.deletable(rule));
    if (dryRun) {
      const [rows] = await this.t.q.run(`SELECT VALUE id FROM $targets WHERE ${p.where}`, { ...p.vars, targets });
      return rows ?? [];
    }
    const results = await this.t.q.transaction(
      `BEGIN;
       LET $gone = (DELETE $targets WHERE ${p.where} RETURN BEFORE);
       ${PartitionRegistry.bump}
       RETURN $gone.id;
       COMMIT;`,
      { ...p.vars, targets, bump: keysOfIds(ids) },
    );
    return transactionResult<string[]>(results) ?? [];
  }

  /**
   * Up to `limit` recallable rows of one partition (memory, chunk) after ulid `after` whose
   * stored index is out of date: terms written by an analyzer older than `analyzer` (untagged
   * maps are version 1), or a vector of another model than `model` (null: the model stores no
   * vector, so only the analyzer counts). For `reindex`; the management key's session.
   */
  async staleIndexed(
    partition: string,
    after: string | null,
    limit: number,
    analyzer: number,
    model: string | null,
  ): Promise<Array<StaleRow & { ulid: string }>> {
    const p = this.t.predicates.view({ kind: "all" });
    const [rows] = await this.t.q.run(
      `SELECT id, text, scope, record::id(id)[1] AS ulid FROM ${this.table}:[$k, $after]>..=[$k, ..]
       WHERE ${p.where} AND (!string::contains(terms, $tag) ${model === null ? "" : "OR emb_model != $model"}) LIMIT $limit`,
      { ...p.vars, k: partition, after: after ?? undefined, tag: `"#v":${analyzer}`, model: model ?? undefined, limit },
    );
    return rows ?? [];
  }

  /** Writes new index fields for rows (one transaction) and bumps their partitions so caches refresh. */
  async rewriteIndexed(rows: ReadonlyArray<{ id: string } & RecallableFieldsOnly>): Promise<number> {
    const targets = rows.flatMap((r) => {
      const key = decodeRecordKey(r.id);
      return key
        ? [
            {
              id: new RecordId(this.table, key),
              terms: JSON.stringify(r.terms),
              len: r.len,
              emb: r.emb ?? undefined,
              emb_model: r.embModel ?? undefined,
            },
          ]
        : [];
    });
    if (targets.length === 0) return 0;
    const results = await this.t.q.transaction(
      `BEGIN;
       FOR $r IN $rows { UPDATE $r.id SET terms = $r.terms, len = $r.len, emb = $r.emb, emb_model = $r.emb_model; };
       ${PartitionRegistry.bump}
       RETURN array::len($rows);
       COMMIT;`,
      { rows: targets, bump: keysOfIds(rows.map((r) => r.id)) },
    );
    return transactionResult<number>(results) ?? 0;
  }

  /**
   * The scoring view of every row in `partitions`, for the recall tiers and session listings.
   * Partitions whose stamp is unchanged come from the corpus cache; the others are scanned in
   * one query (with the partition-level predicate of `view`) and cached. A scanned row whose
   * scope does not match its partition key is dropped, so a cached partition holds exactly the
   * records of that scope, whoever asked first. Row-level rules (ownership) apply after.
   */
  async corpus(partitions: readonly PartitionStamp[], view: RecordView): Promise<CachedRow[]> {
    const cache = this.t.corpusCache;
    const contextId = this.t.actor.contextId;
    const rows: CachedRow[] = [];
    const missing: PartitionStamp[] = [];
    for (const p of partitions) {
      const cached = cache.get(contextId, this.table, p.key, p.stamp);
      if (cached) rows.push(...cached);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const p = this.t.predicates.view(view);
      const { from, vars } = rangeTargets(
        this.table,
        missing.map((m) => m.key),
      );
      const session = this.table === "memory" ? "session" : "NONE AS session";
      const [scanned] = await this.t.q.run(
        `SELECT id, scope, len, terms, emb, emb_model, created_at, owner, ${session} FROM ${from} WHERE ${p.where}`,
        { ...p.vars, ...vars },
      );
      const byPartition = new Map<string, CachedRow[]>(missing.map((m) => [m.key, []]));
      for (const r of (scanned ?? []) as any[]) {
        const [key, seq] = decodeRecordKey(r.id) ?? [];
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
          owner: r.owner ?? null,
        });
      }
      for (const m of missing) {
        const fresh = byPartition.get(m.key)!;
        cache.set(contextId, this.table, m.key, m.stamp, fresh);
        rows.push(...fresh);
      }
    }
    return rows;
  }
}

/** The partitions (scope keys) of public ids, each once. */
export function keysOfIds(ids: readonly string[]): string[] {
  return [...new Set(decodeRecordKeys(ids).map(({ key }) => key[0]))];
}

/** A recallable row whose stored index is out of date (see PartitionedTable.staleIndexed). */
export interface StaleRow {
  id: string;
  text: string;
  scope: Record<string, string>;
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
