/**
 * The recall tiers' view of each scope partition, kept in gateway memory between requests.
 *
 * Reading a partition's rows costs the embedded engine ~80 µs per row, so a tenant with 1,000
 * memories would pay ~80 ms per recall. Every write or delete bumps its partition's `version`
 * in the same transaction, so a cached partition is served only while the version the caller's
 * own session reads still matches: fresh on every replica, and only for partitions SurrealDB
 * (layer 3) and the executor (layer 2) let this caller see.
 */
export interface CachedRow {
  id: string;
  /** The record's ULID: its creation order, which recall uses to order ties and conversation turns. */
  seq: string;
  len: number;
  terms: Readonly<Record<string, number>>;
  /** Analyzer version that produced `terms` (see recall/text.ts). */
  analyzer: number;
  /** Decoded once at load, so each recall computes cosines without copying bytes. */
  vector: Float32Array | null;
  embModel: string | null;
  createdAt: string;
  sessionId: string | null;
  /** The key that wrote the row (ownership rules apply on top of the partition's visibility). */
  owner: string | null;
}

/** `stamp` = partition row's created_at + version: a dropped and re-created partition never matches an old entry. */
interface Entry {
  stamp: string;
  rows: readonly CachedRow[];
}

export class CorpusCache {
  private readonly entries = new Map<string, Entry>();
  private rowCount = 0;
  hits = 0;
  misses = 0;

  /** `maxRows` bounds memory: roughly 1.3 kB per row with the built-in 256-dim embedding. */
  constructor(private readonly maxRows = 200_000) {}

  private static key(contextId: string, table: string, partition: string): string {
    return `${contextId}\u0000${table}\u0000${partition}`;
  }

  get(contextId: string, table: string, partition: string, stamp: string): readonly CachedRow[] | undefined {
    const k = CorpusCache.key(contextId, table, partition);
    const entry = this.entries.get(k);
    if (!entry || entry.stamp !== stamp) {
      this.misses += 1;
      return undefined;
    }
    // Refresh recency: Map iteration order is insertion order, so re-inserting makes this the newest.
    this.entries.delete(k);
    this.entries.set(k, entry);
    this.hits += 1;
    return entry.rows;
  }

  set(contextId: string, table: string, partition: string, stamp: string, rows: readonly CachedRow[]): void {
    if (rows.length > this.maxRows) return;
    const k = CorpusCache.key(contextId, table, partition);
    const old = this.entries.get(k);
    if (old) {
      this.rowCount -= old.rows.length;
      this.entries.delete(k);
    }
    this.entries.set(k, { stamp, rows });
    this.rowCount += rows.length;
    for (const [oldest, entry] of this.entries) {
      if (this.rowCount <= this.maxRows) break;
      this.entries.delete(oldest);
      this.rowCount -= entry.rows.length;
    }
  }

  /** Drops everything of one Context (deleted or redacted). */
  forgetContext(contextId: string): void {
    for (const [k, entry] of this.entries) {
      if (k.startsWith(`${contextId}\u0000`)) {
        this.entries.delete(k);
        this.rowCount -= entry.rows.length;
      }
    }
  }

  get size(): { partitions: number; rows: number } {
    return { partitions: this.entries.size, rows: this.rowCount };
  }
}
