import type { RecordView } from "../../domain/access.js";
import { FairLru } from "../../lib/fairLru.js";
import { buildCorpusIndex, type CorpusIndex, type RankRow } from "../../recall/corpusIndex.js";

/**
 * Prepared ranking indexes (recall/corpusIndex.ts) of whole visible corpora, keyed by exactly
 * which partitions at which change stamps they were built from: a warm recall reuses its index
 * while none of its partitions changed (any write bumps a stamp, so a stale index is never
 * served), and the cost of counting the corpus is paid once per change instead of per query.
 * Process-wide, bounded by rows, fair between tenants like the corpus cache (FairLru).
 */
export class RecallIndexes {
  private readonly lru: FairLru<CorpusIndex>;

  constructor(maxRows: number) {
    this.lru = new FairLru(maxRows);
  }

  /**
   * The index of `rows`, which are the rows of exactly `stamps` (partition key → stamp) of
   * `tables` in one Context; built by `rows()` on a miss.
   */
  get(
    contextId: string,
    view: RecordView,
    tables: string,
    stamps: ReadonlyArray<{ key: string; stamp: string }>,
    rows: () => readonly RankRow[],
  ): CorpusIndex {
    if (this.lru.maxWeight === 0) return buildCorpusIndex(rows());
    const key = `${contextId}\u0000${tables}\u0000${JSON.stringify(
      [...stamps].map((s) => [s.key, s.stamp]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)),
    )}`;
    const hit = this.lru.get(key);
    if (hit) return hit;
    const index = buildCorpusIndex(rows());
    const org = "scope" in view ? view.scope.org : "floor" in view ? view.floor.org : undefined;
    this.lru.set(key, index, index.rows.length, `${contextId}\u0000${org ?? ""}`);
    return index;
  }

  /** Drops every index of one Context (deleted or redacted). */
  forgetContext(contextId: string): void {
    this.lru.deletePrefix(`${contextId}\u0000`);
  }
}
