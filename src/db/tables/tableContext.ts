import type { Actor } from "../../domain/access.js";
import type { CorpusCache } from "../corpusCache.js";
import type { KnownRows } from "../corpusSnapshots.js";
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
  /** Keeps its own partitions' persisted corpus snapshots up to date; absent where nothing is persisted (an executor built for one test). */
  readonly snapshots?: SnapshotKeeper;
}

/**
 * The persisted corpus snapshots of the caller's Context (corpusSnapshots.ts: CorpusSnapshotWriter,
 * which does the work in the background on the Context's root session).
 */
export interface SnapshotKeeper {
  /**
   * A load found partition `key`'s snapshot behind (`known` null: extend what is stored) or not
   * usable as it is (`known`: its rows as just loaded, to be written; see KnownRows).
   */
  refresh(table: string, key: string, known: KnownRows | null): void;
  /** `rows` records were appended to partition `key` (their transaction committed). */
  appended(table: string, key: string, rows: number): void;
}
