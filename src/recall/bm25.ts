// Okapi BM25 over pre-counted term frequencies. Pure: the caller does the
// counting (e.g. from stored analyzed terms), this module only does the math,
// so scores are reproducible from the inputs alone.

/** One document as seen by a query: `tf[i]` is the frequency of the query term in slot `i`. */
export interface LexicalDoc {
  id: string;
  /** Number of analyzed terms in the document (see `analyze`). */
  len: number;
  tf: readonly number[];
}

export interface Bm25Params {
  /** Term-frequency saturation (unitless, ≥ 0). */
  k1: number;
  /** Length normalisation strength, 0 (none) … 1 (full). */
  b: number;
}

/** Treat missing, negative or non-finite counts as absent rather than poisoning the sum. */
function count(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) && x > 0 ? x : 0;
}

/**
 * k1 = 0.9, b = 0.4: the BM25 defaults of the Anserini/Pyserini toolkits (Yang, Fang and Lin,
 * "Anserini: Reproducible Ranking Baselines Using Lucene", JDIQ 2018), the usual reference
 * baseline for passage retrieval. Lighter length normalisation than Robertson's 1.2/0.75 suits
 * short texts such as conversation turns, whose length says little about how many topics they
 * cover (BENCHMARKS.md shows 1.2/0.75 on the same data).
 */
export const BM25_DEFAULTS: Bm25Params = { k1: 0.9, b: 0.4 };

/**
 * BM25 score of each of `docs` for the query slots 0…q−1 (`doc.tf[i]` is the frequency of the
 * term in slot i; a slot may stand for one term in one analyzer's vocabulary, see rank.ts).
 * Returns one score per doc, aligned with `docs`; 0 for docs that match nothing.
 *
 * `docs` must be the caller's WHOLE visible corpus, not just the matching
 * documents: N, avgdl and each slot's document frequency are computed from it.
 * Consequently adding documents that lack a term still raises that term's idf
 * (N grows, df does not) and shifts avgdl. Scores are therefore only
 * comparable within one call, and depend on nothing but the corpus passed in
 * (so a caller scoped to one tenant gets scores that ignore everyone else).
 *
 * score(d) = Σ_i idf_i · f·(k1 + 1) / (f + k1·(1 − b + b·len/avgdl)), f = tf of slot i in d
 * (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009),
 * with the non-negative Lucene idf ln(1 + (N − df + 0.5)/(df + 0.5)), so a term present in
 * every document never contributes a negative score.
 */
export function bm25Scores(
  slots: number,
  docs: readonly LexicalDoc[],
  params: Bm25Params = BM25_DEFAULTS,
): Float64Array {
  const n = docs.length;
  const out = new Float64Array(n);
  if (n === 0 || slots === 0) return out;
  const { k1, b } = params;

  let totalLen = 0;
  const df = new Array<number>(slots).fill(0);
  for (const d of docs) {
    totalLen += count(d.len);
    for (let i = 0; i < slots; i++) if (count(d.tf[i]) > 0) df[i]! += 1;
  }
  // All-empty corpus: avgdl 0 would divide by zero; every tf is 0 anyway.
  const avgdl = totalLen > 0 ? totalLen / n : 1;
  const idf = df.map((f) => Math.log(1 + (n - f + 0.5) / (f + 0.5)));

  for (let j = 0; j < n; j++) {
    const d = docs[j]!;
    const norm = k1 * (1 - b + (b * count(d.len)) / avgdl);
    let score = 0;
    // Fixed summation order (slot order) keeps floating-point results identical run to run.
    for (let i = 0; i < slots; i++) {
      const f = count(d.tf[i]);
      if (f > 0) score += (idf[i]! * f * (k1 + 1)) / (f + norm);
    }
    out[j] = Number.isFinite(score) ? score : 0;
  }
  return out;
}

/**
 * `bm25Scores` for one list of query terms, as a ranking: docs with score > 0, sorted by
 * score desc then by position in `docs` (callers pass docs in a meaningful order, e.g.
 * creation order). Repeated query terms count once per occurrence (callers wanting set
 * semantics should dedupe first).
 */
export function bm25(
  queryTerms: readonly string[],
  docs: readonly LexicalDoc[],
  params: Bm25Params = BM25_DEFAULTS,
): Array<{ id: string; score: number }> {
  const scores = bm25Scores(queryTerms.length, docs, params);
  const order = [...scores.keys()].filter((i) => scores[i]! > 0);
  order.sort((x, y) => scores[y]! - scores[x]! || x - y);
  return order.map((i) => ({ id: docs[i]!.id, score: scores[i]! }));
}
