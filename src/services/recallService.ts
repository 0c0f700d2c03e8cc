import type { TenantService } from "./tenantService.js";
import { rankCorpus, type VectorSource } from "../recall/rank.js";
import type { RecallTier } from "../recall/fusion.js";
import { badInput, notFound } from "../errors.js";
import type { ChunkModel, MemoryModel } from "./models.js";

export type RecallMode = "HYBRID" | "LEXICAL" | "VECTOR";

export interface RecallArgs {
  query: string;
  topK?: number | null;
  scope?: unknown;
  mode?: RecallMode | null;
  sessionId?: string | null;
  recencyHalfLifeDays?: number | null;
  contextId?: string | null;
}

export interface RecallHitModel {
  kind: "MEMORY" | "CHUNK";
  id: string;
  memory: MemoryModel | null;
  chunk: ChunkModel | null;
  score: number;
  matchedBy: RecallTier[];
}

export const MAX_QUERY_CHARS = 4000;
const MAX_QUERY_TERMS = 64;

/**
 * Recall within the caller's floor (issue 3). Every tier works on the caller's own
 * partitions only, and BM25's corpus statistics (N, average length, document frequencies)
 * are computed over exactly the rows the caller may see, so another tenant's writes can
 * change neither which rows a tenant gets nor their scores.
 */
export class RecallService {
  constructor(private readonly tenant: TenantService) {
    tenant.recallMemoryIds = async (query, limit, contextId) =>
      // Lexical only: deleting must not reach records that merely sit near the query in vector space.
      (await this.rank({ query, topK: limit, contextId, mode: "LEXICAL" }, false)).map((h) => h.id);
  }

  async recall(args: RecallArgs): Promise<{ hits: RecallHitModel[]; tookMs: number; mode: RecallMode }> {
    const started = performance.now();
    const ranked = await this.rank(args, true);
    const exec = await this.tenant.exec(args.contextId);
    const { effective, mode } = this.tenant.readScope(args.scope);
    const memoryIds = ranked.filter((h) => h.kind === "MEMORY").map((h) => h.id);
    const chunkIds = ranked.filter((h) => h.kind === "CHUNK").map((h) => h.id);
    const [memories, chunks] = await Promise.all([
      memoryIds.length ? exec.memories.byIds(memoryIds, effective, mode) : [],
      chunkIds.length ? exec.documents.chunks.byIds(chunkIds, effective, mode) : [],
    ]);
    const memoryById = new Map(memories.map((m) => [m.id, m]));
    const chunkById = new Map(chunks.map((c) => [c.id, c]));
    const hits = ranked.flatMap((h): RecallHitModel[] => {
      const memory = h.kind === "MEMORY" ? (memoryById.get(h.id) ?? null) : null;
      const chunk = h.kind === "CHUNK" ? (chunkById.get(h.id) ?? null) : null;
      return memory || chunk ? [{ ...h, memory, chunk }] : []; // gone between ranking and fetch
    });
    return { hits, tookMs: Math.round((performance.now() - started) * 100) / 100, mode: args.mode ?? "HYBRID" };
  }

  /** Ranked ids of the best matches; `withChunks` false ranks memories only (forget by query). */
  private async rank(args: RecallArgs, withChunks: boolean): Promise<Array<Omit<RecallHitModel, "memory" | "chunk">>> {
    const query = args.query ?? "";
    if (query.trim().length === 0) throw badInput("query must not be empty");
    if (query.length > MAX_QUERY_CHARS) throw badInput(`query is longer than ${MAX_QUERY_CHARS} characters`);
    const topK = args.topK ?? 10;
    const max = this.tenant.limits.recallTopKMax;
    if (!Number.isInteger(topK) || topK < 1 || topK > max) throw badInput(`topK must be 1–${max}`);
    const halfLife = args.recencyHalfLifeDays;
    if (halfLife !== undefined && halfLife !== null && !(halfLife > 0 && halfLife <= 36_500))
      throw badInput("recencyHalfLifeDays must be > 0 and ≤ 36500");
    const recallMode = args.mode ?? "HYBRID";
    const sessionId = args.sessionId ?? null;
    if (sessionId && !(await this.tenant.sessionLoader(args.contextId).load(sessionId))) throw notFound("session");

    const { effective, mode } = this.tenant.readScope(args.scope);
    const exec = await this.tenant.exec(args.contextId);
    let vector: VectorSource | null = null;
    if (recallMode !== "LEXICAL") {
      const indexer = await this.tenant.indexerFor(args.contextId, effective ?? {});
      if (indexer.embedder.storesVectors === false) vector = { kind: "terms" };
      else {
        const [embedded] = await indexer.embed([query]);
        if (embedded) vector = { kind: "stored", model: indexer.embedder.model, query: embedded };
      }
    }

    const partitions = await exec.memories.partitionStamps(effective, mode);
    const [memoryRows, chunkRows] = await Promise.all([
      exec.memories.corpus(partitions, effective, mode, [], sessionId),
      withChunks && !sessionId
        ? exec.documents.chunks.corpus(partitions, effective, mode, [], null)
        : Promise.resolve([]),
    ]);
    const kindOf = new Map<string, "MEMORY" | "CHUNK">();
    for (const r of memoryRows) kindOf.set(r.id, "MEMORY");
    for (const r of chunkRows) kindOf.set(r.id, "CHUNK");
    const ranked = rankCorpus(query, [...memoryRows, ...chunkRows], {
      mode: recallMode,
      topK,
      vector,
      recency: halfLife ? { halfLifeMs: halfLife * 86_400_000, nowMs: Date.now() } : null,
      maxQueryTerms: MAX_QUERY_TERMS,
    });
    return ranked.map((h) => ({ kind: kindOf.get(h.id)!, ...h }));
  }
}
