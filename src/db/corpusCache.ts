import { scopeOfKey } from "../domain/scope.js";
import { FairLru } from "../lib/fairLru.js";
import type { RankRow } from "../recall/corpusIndex.js";
/**
 * The recall tiers' view of each scope partition, kept in gateway memory between requests.
 *
 * Reading a partition's rows costs the embedded engine ~80 µs per row, so a tenant with 1,000
 * memories would pay ~80 ms per recall. Every write or delete bumps its partition's `version`
 * in the same transaction, so a cached partition is served only while the version the caller's
 * own session reads still matches: fresh on every replica, and only for partitions SurrealDB
 * (layer 3) and the executor (layer 2) let this caller see.
 */
export interface CachedRow extends RankRow {
  /** The key that wrote the row (ownership rules apply on top of the partition's visibility). */
  owner: string | null;
}

/**
 * `stamp` = partition row's created_at + version: a dropped and re-created partition never
 * matches an old entry. `label` is the same stamp in parts (corpusSnapshots.ts), so an entry
 * whose partition only had records appended since is brought up to date by reading those alone;
 * `persisted` = the partition's persisted snapshot as far as this process knows (null: none).
 */
export interface CorpusEntry {
  stamp: string;
  label: SnapshotLabel;
  rows: readonly CachedRow[];
  persisted: PersistedSnapshot | null;
}

/**
 * What a cached entry or a persisted snapshot (corpusSnapshots.ts) was read at: its partition
 * row's creation time, version, and changes that were not appends (version − appends).
 */
export interface SnapshotLabel {
  created: string;
  version: number;
  rewrites: number;
}

/** What this process knows is persisted for a partition (corpusSnapshots.ts): the header's label, row count and last row. */
export interface PersistedSnapshot {
  label: SnapshotLabel;
  rows: number;
  /** `seq` of the last row (rows are stored in seq order). */
  lastSeq: string;
}

/**
 * Partitions loaded after a cache miss, by source: `scanned` (every record read), `snapshot`
 * (the persisted snapshot plus the append log), `cached` (an older cached entry plus the log).
 */
export interface CorpusLoads {
  scanned: number;
  snapshot: number;
  cached: number;
}

/**
 * The tenant a partition's rows are charged to in the cache: its Context, and in a Context
 * shared by several orgs the partition's `org` (DESIGN §2: the tenancy dimension of pattern 2).
 */
export function cacheBucket(contextId: string, partition: string): string {
  const org = scopeOfKey(partition)?.org;
  return `${contextId}\u0000${org ?? ""}`;
}

/**
 * Process-wide, size-bounded by rows, and fair between tenants (FairLru: a tenant reading more
 * than its share evicts its own cold partitions first, never another tenant's working set).
 */
export class CorpusCache {
  private readonly lru: FairLru<CorpusEntry>;
  hits = 0;
  misses = 0;
  /** Per table: partitions loaded on a miss, by where their rows came from (see PartitionedTable.loadCorpus). */
  private readonly loadCounts = new Map<string, CorpusLoads>();

  /** Counts `n` partitions of `table` loaded from `source`. */
  countLoads(table: string, source: keyof CorpusLoads, n: number): void {
    let counts = this.loadCounts.get(table);
    if (!counts) {
      counts = { scanned: 0, snapshot: 0, cached: 0 };
      this.loadCounts.set(table, counts);
    }
    counts[source] += n;
  }

  /** A copy of `table`'s load counts so far. */
  loadsOf(table: string): CorpusLoads {
    return { scanned: 0, snapshot: 0, cached: 0, ...this.loadCounts.get(table) };
  }

  /** `maxRows` bounds memory: ~1.3 kB per row with a stored 256-dim embedding, ~0.5 kB without. */
  constructor(readonly maxRows = 200_000) {
    this.lru = new FairLru(maxRows);
  }

  private static key(contextId: string, table: string, partition: string): string {
    return `${contextId}\u0000${table}\u0000${partition}`;
  }

  get(contextId: string, table: string, partition: string, stamp: string): readonly CachedRow[] | undefined {
    const entry = this.lru.get(CorpusCache.key(contextId, table, partition));
    if (!entry || entry.stamp !== stamp) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return entry.rows;
  }

  /** The entry of a partition whatever its stamp (no hit or miss counted): the base of an update by appends. */
  latest(contextId: string, table: string, partition: string): CorpusEntry | undefined {
    return this.lru.peek(CorpusCache.key(contextId, table, partition));
  }

  set(contextId: string, table: string, partition: string, entry: CorpusEntry): void {
    this.lru.set(
      CorpusCache.key(contextId, table, partition),
      entry,
      entry.rows.length,
      cacheBucket(contextId, partition),
    );
  }

  /** Drops everything of one Context (deleted or redacted). */
  forgetContext(contextId: string): void {
    this.lru.deletePrefix(`${contextId}\u0000`);
  }

  /** Rows cached for one tenant (see cacheBucket). */
  rowsOf(contextId: string, org: string | null): number {
    return this.lru.weightOf(`${contextId}\u0000${org ?? ""}`);
  }

  get size(): { partitions: number; rows: number } {
    const { entries, weight } = this.lru.size;
    return { partitions: entries, rows: weight };
  }
}
