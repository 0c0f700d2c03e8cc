import type { RecordView } from "../../domain/access.js";
import { BadUserInputError, NotFoundError } from "../../domain/errors.js";
import type { ChunkModel, MemoryModel } from "../../domain/models.js";
import type { Scope } from "../../domain/scope.js";
import type { CachedRow } from "../../db/corpusCache.js";
import type { RecallTier } from "../../recall/fusion.js";
import { buildCorpusIndex } from "../../recall/corpusIndex.js";
import { rankIndex, type VectorSource } from "../../recall/rank.js";
import type { TenantBinding } from "./binding.js";
import { indexerFor } from "./indexer.js";
import { loadSession } from "./sessions.js";

export type RecallMode = "HYBRID" | "LEXICAL" | "VECTOR";

export interface RecallArgs {
  query: string;
  topK?: number | null;
  scope?: Scope | null;
  mode?: RecallMode | null;
  sessionId?: string | null;
  recencyHalfLifeDays?: number | null;
}

/** A ranked hit before its record is read back. */
export interface RankedHit {
  kind: "MEMORY" | "CHUNK";
  id: string;
  score: number;
  matchedBy: RecallTier[];
}

export interface RecallHitModel extends RankedHit {
  memory: MemoryModel | null;
  chunk: ChunkModel | null;
}

export const MAX_QUERY_CHARS = 4000;
/** Distinct query terms ranked per analyzer version: bounds a query's cost. */
const MAX_QUERY_TERMS = 64;
/** Longest accepted recency half-life: 100 years. */
const MAX_HALF_LIFE_DAYS = 36_500;

/** What to rank: the rows `view` admits (optionally narrowed by `keep`), with which tiers, how many. */
export interface RankRequest {
  query: string;
  topK: number;
  mode: RecallMode;
  /** A partition-level view (subset, subtree, under or all): the corpus whose statistics score. */
  view: RecordView;
  withChunks: boolean;
  sessionId: string | null;
  recencyHalfLifeDays: number | null;
  /** Scope the query's embedding call is traced and budgeted at (remote embedders). */
  embedScope: Scope;
  /** A row-level rule on top of the view (e.g. "deletable by this caller"). */
  keep?: (row: CachedRow) => boolean;
}

/**
 * Ranks the caller's visible memories (and document chunks) for a query. Every tier works on
 * the view's partitions only, and BM25's corpus statistics (N, average length, document
 * frequencies) are computed over exactly those rows, so another tenant's writes change neither
 * which rows a tenant gets nor their scores.
 */
export async function rankRecords(binding: TenantBinding, r: RankRequest): Promise<RankedHit[]> {
  const exec = await binding.executor();
  let vector: VectorSource | null = null;
  if (r.mode !== "LEXICAL") {
    const indexer = await indexerFor(binding, r.embedScope);
    if (indexer.embedder.storesVectors === false) vector = { kind: "terms" };
    else {
      const [embedded] = await indexer.embed([r.query]);
      if (embedded) vector = { kind: "stored", model: indexer.embedder.model, query: embedded };
    }
  }
  const partitions = await exec.partitions.stamps(r.view);
  const withChunks = r.withChunks && !r.sessionId;
  const [memoryRows, chunkRows] = await Promise.all([
    exec.memories.corpus(partitions, r.view),
    withChunks ? exec.documents.chunks.corpus(partitions, r.view) : Promise.resolve([]),
  ]);
  const kindOf = new Map<string, "MEMORY" | "CHUNK">();
  for (const row of chunkRows) kindOf.set(row.id, "CHUNK");
  const filtered = r.sessionId !== null || r.keep !== undefined;
  const keep = (row: CachedRow) => (r.sessionId === null || row.sessionId === r.sessionId) && (r.keep?.(row) ?? true);
  // The whole view's corpus is indexed once per change of its partitions and reused; a corpus
  // narrowed per request (a session, a delete rule) is indexed for this request only.
  const index = filtered
    ? buildCorpusIndex([...memoryRows, ...chunkRows].filter(keep))
    : binding.deps.recallIndexes.get(
        binding.actor.contextId,
        r.view,
        withChunks ? "memory+chunk" : "memory",
        partitions,
        () => [...memoryRows, ...chunkRows],
      );
  const ranked = rankIndex(r.query, index, {
    mode: r.mode,
    topK: r.topK,
    vector,
    recency: r.recencyHalfLifeDays ? { halfLifeMs: r.recencyHalfLifeDays * 86_400_000, nowMs: Date.now() } : null,
    maxQueryTerms: MAX_QUERY_TERMS,
  });
  return ranked.map((h) => ({ kind: kindOf.get(h.id) ?? "MEMORY", ...h }));
}

/** A query string within the limits. Errors: BAD_USER_INPUT naming `field`. */
export function checkQuery(query: string, field = "query"): string {
  if (query.trim().length === 0) throw new BadUserInputError(`${field} must not be empty`, field);
  if (query.length > MAX_QUERY_CHARS)
    throw new BadUserInputError(`${field} is longer than ${MAX_QUERY_CHARS} characters`, field);
  return query;
}

/**
 * Recall within the caller's floor: validates the arguments, ranks, and reads the hits back
 * through the same view (a record deleted in between is left out). With a `sessionId` (which
 * the caller must be able to read: else NOT_FOUND) and no scope, recall looks at the session's
 * own scope.
 */
export async function recall(
  binding: TenantBinding,
  args: RecallArgs,
): Promise<{ hits: RecallHitModel[]; tookMs: number; mode: RecallMode }> {
  const started = performance.now();
  const query = checkQuery(args.query ?? "");
  const topK = args.topK ?? 10;
  const max = binding.limits.recallTopKMax;
  if (!Number.isInteger(topK) || topK < 1 || topK > max) throw new BadUserInputError(`topK must be 1–${max}`, "topK");
  const halfLife = args.recencyHalfLifeDays ?? null;
  if (halfLife !== null && !(halfLife > 0 && halfLife <= MAX_HALF_LIFE_DAYS)) {
    throw new BadUserInputError(`recencyHalfLifeDays must be > 0 and ≤ ${MAX_HALF_LIFE_DAYS}`, "recencyHalfLifeDays");
  }
  const mode = args.mode ?? "HYBRID";
  const sessionId = args.sessionId ?? null;
  const session = sessionId !== null ? await loadSession(binding, sessionId) : null;
  if (sessionId !== null && !session) throw new NotFoundError("session");
  const view = binding.access.list(args.scope ?? session?.scope ?? null);
  const embedScope = binding.access.traceScope(args.scope ?? null);
  const ranked = await rankRecords(binding, {
    query,
    topK,
    mode,
    view,
    withChunks: true,
    sessionId,
    recencyHalfLifeDays: halfLife,
    embedScope,
  });
  const exec = await binding.executor();
  const memoryIds = ranked.filter((h) => h.kind === "MEMORY").map((h) => h.id);
  const chunkIds = ranked.filter((h) => h.kind === "CHUNK").map((h) => h.id);
  const [memories, chunks] = await Promise.all([
    memoryIds.length ? exec.memories.byIds(memoryIds, view) : [],
    chunkIds.length ? exec.documents.chunks.byIds(chunkIds, view) : [],
  ]);
  const memoryById = new Map(memories.map((m) => [m.id, m]));
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  const hits = ranked.flatMap((h): RecallHitModel[] => {
    const memory = h.kind === "MEMORY" ? (memoryById.get(h.id) ?? null) : null;
    const chunk = h.kind === "CHUNK" ? (chunkById.get(h.id) ?? null) : null;
    return memory || chunk ? [{ ...h, memory, chunk }] : [];
  });
  return { hits, tookMs: Math.round((performance.now() - started) * 100) / 100, mode };
}
