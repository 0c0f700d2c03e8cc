// The one entry point of recall ranking: rankCorpus(query, rows, options). Pure (no I/O):
// everything it knows comes from the rows passed in, which the caller reads from exactly the
// partitions the caller may see. Hence the isolation property: another tenant's rows are never
// passed in, so its writes can change neither the hits nor the scores of a tenant.
//
// Modes:
//  - LEXICAL: BM25 over each row's own terms (bm25.ts). Exact term matching only, which is what
//    forget-by-query relies on.
//  - VECTOR: cosine similarity of the Context's embedding (vectorTier.ts), row by row.
//  - HYBRID (default): both tiers normalised and added with equal weights (fusion.ts), each
//    expanded with the conversation context (context.ts): rows of one session borrow the
//    scores of their neighbouring turns.
import { analyzeAs } from "./text.js";
import { BM25_DEFAULTS, type Bm25Params } from "./bm25.js";
import { storedCosines } from "./vectorTier.js";
import { CONTEXT_DECAY, CONTEXT_WINDOW, propagateContext } from "./context.js";
import { bm25FromIndex, buildCorpusIndex, type CorpusIndex, type RankRow, tfidfFromIndex } from "./corpusIndex.js";
import { maxNormalize, meanCenteredNormalize, recencyWeight, type RecallTier } from "./fusion.js";

export type RankMode = "HYBRID" | "LEXICAL" | "VECTOR";

export type { RankRow };

/**
 * Where the vector tier's similarities come from: `terms` = the offline contextual TF-IDF tier
 * computed from the rows' term maps; `stored` = cosine against vectors stored by `model`, with
 * `query` embedded by that same model.
 */
export type VectorSource = { kind: "terms" } | { kind: "stored"; model: string; query: Float32Array };

export interface RankOptions {
  mode: RankMode;
  /** Hits returned, ≥ 1. */
  topK: number;
  /** The vector tier; without it VECTOR finds nothing and HYBRID uses the lexical tier alone (still with context). */
  vector?: VectorSource | null;
  /** Multiplies each score by recencyWeight(now − createdAt, halfLife). */
  recency?: { halfLifeMs: number; nowMs: number } | null;
  /** Distinct query terms used per analyzer version (bounds per-query cost). Default 64. */
  maxQueryTerms?: number;
  bm25?: Bm25Params;
  /** Conversation context in HYBRID: neighbours up to `window` turns away weigh decay^distance. Default context.ts. */
  context?: { window: number; decay: number };
}

export interface RankedHit {
  id: string;
  /** Comparable within one call only: BM25 (LEXICAL), cosine (VECTOR), context-expanded sum of normalised tier scores (HYBRID). */
  score: number;
  /** The tiers whose score for this row (in HYBRID: including its conversation context) is above 0. */
  matchedBy: RecallTier[];
}

/**
 * Rank `rows` (the caller's whole visible corpus: statistics come from it) for `query`.
 * Returns at most `topK` hits with score > 0, best first. Ties are broken by creation order,
 * newest first (a later memory supersedes an earlier one of equal relevance), so the order
 * depends on the tenant's own rows and their order alone, never on id values or on where the
 * rows are stored: a tenant alone in a Context and the same tenant in a shared one get the
 * same hits in the same order with the same scores.
 */
export function rankCorpus(query: string, rows: readonly RankRow[], options: RankOptions): RankedHit[] {
  return rankIndex(query, buildCorpusIndex(rows), options);
}

/**
 * `rankCorpus` over a prepared index (corpusIndex.ts) of the same rows: identical results; the
 * index is built once per unchanged corpus (the caller caches it) instead of once per query.
 */
export function rankIndex(query: string, index: CorpusIndex, options: RankOptions): RankedHit[] {
  const rows = index.rows;
  const n = rows.length;
  if (n === 0 || !(options.topK >= 1)) return [];
  const useLexical = options.mode !== "VECTOR";
  const vectorSource = options.mode !== "LEXICAL" ? (options.vector ?? null) : null;
  const maxTerms = options.maxQueryTerms ?? 64;

  // The query as each analyzer version present sees it (old rows keep their own vocabulary).
  const queryTerms = new Map<number, string[]>();
  for (const version of index.versions)
    queryTerms.set(version, [...new Set(analyzeAs(version, query))].slice(0, maxTerms));

  const lexical = useLexical ? bm25FromIndex(index, queryTerms, options.bm25 ?? BM25_DEFAULTS) : null;
  let similarity: Float64Array | null = null;
  let similarityNormalized: Float64Array | null = null;
  if (vectorSource?.kind === "terms") {
    similarity = tfidfFromIndex(index, queryTerms);
    similarityNormalized = maxNormalize(similarity);
  } else if (vectorSource?.kind === "stored") {
    const { model, query: q } = vectorSource;
    similarity = storedCosines(q, model, rows);
    similarityNormalized = meanCenteredNormalize(
      similarity,
      (i) => rows[i]!.embModel === model && rows[i]!.vector !== null,
    );
  }

  // Per tier, the score that ranks a row: raw in the single-tier modes; in HYBRID normalised
  // and expanded with the conversation context (linear, so expanding each tier and adding
  // equals expanding the sum, and each tier's share stays visible for matchedBy).
  let byLexical: Float64Array | null = lexical;
  let byVector: Float64Array | null = options.mode === "VECTOR" ? similarity : null;
  if (options.mode === "HYBRID") {
    const { window, decay } = options.context ?? { window: CONTEXT_WINDOW, decay: CONTEXT_DECAY };
    const order = index.order;
    byLexical = lexical ? propagateContext(maxNormalize(lexical), rows, window, decay, order) : null;
    byVector = similarityNormalized ? propagateContext(similarityNormalized, rows, window, decay, order) : null;
  }

  const recency = options.recency;
  const hits: Array<{ i: number; score: number }> = [];
  for (let i = 0; i < n; i++) {
    let score = (byLexical?.[i] ?? 0) + (byVector?.[i] ?? 0);
    if (!(score > 0) || !Number.isFinite(score)) continue;
    if (recency && recency.halfLifeMs > 0) {
      const created = Date.parse(rows[i]!.createdAt);
      score *= recencyWeight(recency.nowMs - (Number.isNaN(created) ? recency.nowMs : created), recency.halfLifeMs);
    }
    if (score > 0) hits.push({ i, score });
  }
  hits.sort((a, b) => b.score - a.score || compareNewestFirst(rows[a.i]!, rows[b.i]!));

  return hits.slice(0, options.topK).map(({ i, score }) => {
    const matchedBy: RecallTier[] = [];
    if (byLexical && byLexical[i]! > 0) matchedBy.push("LEXICAL");
    if (byVector && byVector[i]! > 0) matchedBy.push("VECTOR");
    return { id: rows[i]!.id, score, matchedBy };
  });
}

/** Newer first by creation order; the id only separates rows that share a seq (never for stored rows). */
function compareNewestFirst(a: RankRow, b: RankRow): number {
  if (a.seq !== b.seq) return a.seq < b.seq ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
