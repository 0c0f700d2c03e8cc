import type { SurrealSession } from "surrealdb";
import type { Actor } from "../../domain/access.js";
import type { CorpusCache } from "../corpusCache.js";
import type { FirstUlids } from "../firstUlids.js";
import type { NewestUlids } from "../newestUlids.js";
import { DocumentTable } from "../tables/documentTable.js";
import { MemoryTable } from "../tables/memoryTable.js";
import { PartitionRegistry } from "../tables/partitionRegistry.js";
import { SessionTable } from "../tables/sessionTable.js";
import type { TableContext } from "../tables/tableContext.js";
import { TraceTable } from "../tables/traceTable.js";
import { TurnTable } from "../tables/turnTable.js";
import { Predicates } from "./predicates.js";
import { type LiveOpener, type QueryCounter, SessionQueries } from "./tenantQueries.js";

/** Test-only layer switches (DESIGN §4); no env var or config file reaches them. */
export interface LayerSwitches {
  shield: boolean;
  executorPredicate: boolean;
  dbPermissions: boolean;
}
export const ALL_LAYERS_ON: LayerSwitches = Object.freeze({
  shield: true,
  executorPredicate: true,
  dbPermissions: true,
});

/**
 * The scoped executor (DESIGN §4 layer 2): the only door to one Context's tenant data for one
 * caller. It holds the caller's SurrealDB session (a record-user session for context keys, so
 * the table PERMISSIONS apply underneath: layer 3) and hands out the table modules bound to it,
 * each of which adds the layer-2 predicate of the view it is given to every read and stamps or
 * checks the scope of every write.
 */
export class ScopedExecutor {
  readonly sessions: SessionTable;
  readonly turns: TurnTable;
  readonly memories: MemoryTable;
  readonly documents: DocumentTable;
  readonly traces: TraceTable;
  readonly partitions: PartitionRegistry;

  constructor(
    session: SurrealSession,
    readonly actor: Actor,
    counter: QueryCounter,
    caches: { corpus: CorpusCache; firstUlids: FirstUlids; newestUlids: NewestUlids },
    options: { predicates: boolean; live?: LiveOpener; snapshots?: TableContext["snapshots"] } = {
      predicates: true,
    },
  ) {
    const credential =
      actor.keyId !== null && actor.generation !== undefined
        ? { keyId: actor.keyId, generation: actor.generation }
        : null;
    const q = new SessionQueries(session, counter, options.live ?? null, credential);
    const predicates = new Predicates(actor, options.predicates);
    this.partitions = new PartitionRegistry(q, predicates);
    const t: TableContext = {
      actor,
      q,
      predicates,
      registry: this.partitions,
      corpusCache: caches.corpus,
      firstUlids: caches.firstUlids,
      newestUlids: caches.newestUlids,
      snapshots: options.snapshots,
    };
    this.sessions = new SessionTable(t);
    this.turns = new TurnTable(t);
    this.memories = new MemoryTable(t);
    this.documents = new DocumentTable(t);
    this.traces = new TraceTable(t);
  }
}
