import { ForbiddenError } from "../../domain/errors.js";
import { scopeOfKey } from "../../domain/scope.js";
import type { PartitionedTable } from "../../db/tables/partitionedTable.js";
import { ANALYZER_VERSION } from "../../recall/text.js";
import type { TenantBinding } from "./binding.js";
import { indexerFor } from "./indexer.js";

/** Rows re-indexed per transaction (and per embedding call). */
const BATCH = 200;

export interface ReindexReport {
  contextId: string;
  dryRun: boolean;
  /** The Context's embedding model now (`models.embedding`). */
  model: string;
  /** The analyzer version rows are brought to (recall/text.ts ANALYZER_VERSION). */
  analyzer: number;
  /** Rows re-indexed (or, for a dry run, that would be) per table. */
  counts: Array<{ table: string; count: number }>;
}

/**
 * `reindex` (issue 13): brings every recallable row of a Context (memories, document chunks) to
 * the Context's current index — rows analyzed by an older analyzer are re-analyzed, rows whose
 * stored vector was made by another model than `models.embedding` are re-embedded (today such
 * rows silently drop out of vector recall). Re-embedding with a remote model is an LLM call like
 * any other: traced at each partition's own scope and budgeted there. Partition versions are
 * bumped, so recall caches refresh. Management key only (the shield checks it first).
 */
export class ReindexService {
  constructor(private readonly binding: TenantBinding) {}

  async run(dryRun: boolean): Promise<ReindexReport> {
    if (!this.binding.access.isManagement) throw new ForbiddenError("management key required");
    const exec = await this.binding.executor();
    const config = await this.binding.config();
    const partitions = await exec.partitions.keys({ kind: "all" });
    const counts: Array<{ table: string; count: number }> = [];
    for (const [name, table] of [
      ["memory", exec.memories],
      ["chunk", exec.documents.chunks],
    ] as const) {
      let count = 0;
      for (const partition of partitions) count += await this.partition(table, partition, dryRun);
      counts.push({ table: name, count });
    }
    return {
      contextId: this.binding.contextId,
      dryRun,
      model: config.models.embedding,
      analyzer: ANALYZER_VERSION,
      counts,
    };
  }

  /** One partition, batch by batch; returns the rows it re-indexed (or would). */
  private async partition(table: PartitionedTable<unknown>, partition: string, dryRun: boolean): Promise<number> {
    const scope = scopeOfKey(partition) ?? {};
    const indexer = await indexerFor(this.binding, scope);
    const model = indexer.embedder.storesVectors === false ? null : indexer.embedder.model;
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const stale = await table.staleIndexed(partition, after, BATCH, ANALYZER_VERSION, model);
      if (stale.length === 0) return total;
      after = stale.at(-1)!.ulid;
      total += stale.length;
      if (dryRun) continue;
      const indexed = await indexer.index(stale.map((r) => r.text));
      await table.rewriteIndexed(stale.map((r, i) => ({ id: r.id, ...indexed[i]! })));
    }
  }
}
