// Okapi BM25 over pre-counted term frequencies. Pure: the caller does the
// counting (e.g. from stored analyzed terms), this module only does the math,
// so scores are reproducible from the inputs alone.

/** One document as seen by a query: `tf[i]` is the frequency of `queryTerms[i]`. */
export interface LexicalDoc {
  id: string;
  /** Number of analyzed terms in the document (see `analyze`). */
  len: number;
  tf: readonly number[];
}

export interface Bm25Params {
  /** Term-frequency saturation. */
  k1: number;
  /** Length normalisation strength, 0 (none) … 1 (full). */
  b: number;
}

/** Treat missing, negative or non-finite counts as absent rather than poisoning the sum. */
function count(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) && x > 0 ? x : 0;
}

/**
 * Score `docs` against `queryTerms` with BM25.
 *
 * `docs` must be the caller's WHOLE visible corpus, not just the matching
 * documents: N, avgdl and each term's document frequency are computed from it.
 * Consequently adding documents that lack a term still raises that term's idf
 * (N grows, df does not) and shifts avgdl. Scores are therefore only
 * comparable within one call, and depend on nothing but the corpus passed in
 * (so a caller scoped to one tenant gets scores that ignore everyone else).
 *
 * idf uses the non-negative Lucene form ln(1 + (N − df + 0.5)/(df + 0.5)) so a
 * term present in every document never contributes a negative score.
 * Repeated query terms count once per occurrence (callers wanting set
 * semantics should dedupe first).
 *
 * Returns only docs with score > 0, sorted by score desc then id asc (plain
 * code-unit comparison, not locale-dependent).
 */
export function bm25(
  queryTerms: readonly string[],
  docs: readonly LexicalDoc[],
  params: Bm25Params = { k1: 1.2, b: 0.75 },
): Array<{ id: string; score: number }> {
  const n = docs.length;
  const q = queryTerms.length;
  if (n === 0 || q === 0) return [];
  const { k1, b } = params;

  let totalLen = 0;
  const df = new Array<number>(q).fill(0);
  for (const d of docs) {
    totalLen += count(d.len);
    for (let i = 0; i < q; i++) if (count(d.tf[i]) > 0) df[i]! += 1;
  }
  // All-empty corpus: avgdl 0 would divide by zero; every tf is 0 anyway.
  const avgdl = totalLen > 0 ? totalLen / n : 1;
  const idf = df.map((f) => Math.log(1 + (n - f + 0.5) / (f + 0.5)));

  const out: Array<{ id: string; score: number }> = [];
  for (const d of docs) {
    const norm = k1 * (1 - b + (b * count(d.len)) / avgdl);
    let score = 0;
    // Fixed summation order (query order) keeps floating-point results identical run to run.
    for (let i = 0; i < q; i++) {
      const f = count(d.tf[i]);
      if (f > 0) score += (idf[i]! * f * (k1 + 1)) / (f + norm);
    }
    if (score > 0 && Number.isFinite(score)) out.push({ id: d.id, score });
  }
  out.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return out;
}
