import type { Actor } from "../../domain/access.js";
import type { CachedRow, CorpusCache, PersistedSnapshot, SnapshotLabel } from "../corpusCache.js";
import type { FirstUlids } from "../firstUlids.js";
import type { NewestUlids } from "../newestUlids.js";
import type { Predicates } from "../executor/predicates.js";
import type { TenantQueries } from "../executor/tenantQueries.js";
import type { PartitionRegistry } from "./partitionRegistry.js";

/**
 * What a table module gets from the scoped executor: the caller's queries, the layer-2
 * predicates, the partition registry and the process-wide corpus cache, plus who is asking, and
 * a way to persist its own partitions' corpus snapshots. Nothing else: a table cannot reach another Context, another caller's session or another table.
 */
export interface TableContext {
  readonly actor: Actor;
  readonly q: TenantQueries;
  readonly predicates: Predicates;
  readonly registry: PartitionRegistry;
  readonly corpusCache: CorpusCache;
  readonly firstUlids: FirstUlids;
  readonly newestUlids: NewestUlids;
  /**
   * Persists a partition's corpus rows (in seq order) as its snapshot on top of `previous`
   * (corpusSnapshots.ts), in the background on the Context's root session; returns what will be
   * stored. Absent where nothing is persisted (an executor built for one test).
   */
  readonly saveSnapshot?: (
    table: string,
    key: string,
    label: SnapshotLabel,
    rows: readonly CachedRow[],
    previous: PersistedSnapshot | null,
  ) => PersistedSnapshot | null;
}
