// The vector tier's similarity scores. Two sources:
//  - `local/contextual-tfidf` (the default, offline): a TF-IDF vector space computed at query
//    time from the stored term maps of exactly the caller's visible rows, so it needs no
//    stored vector, no network and no weights, and its statistics never see another tenant;
//  - any other model: cosine against the vectors stored at write time by that same model.
// The conversation context that makes the default tier strong is added afterwards, for every
// source alike (context.ts). Pure.
import { cosine } from "./localEmbedding.js";

/** `models.embedding` value of the offline contextual TF-IDF tier (no stored vectors). */
export const CONTEXTUAL_TFIDF_MODEL = "local/contextual-tfidf";

/** What the vector tier needs of a row. */
export interface VectorRow {
  /** Stored term map (term → frequency) of the row's own analyzer, see `slotTerms`. */
  terms: Readonly<Record<string, number>>;
  analyzer: number;
  vector: Float32Array | null;
  embModel: string | null;
}

/**
 * Cosine between the query and each row in a TF-IDF vector space over the rows given
 * (SMART "ltc" weighting: Salton & Buckley, "Term-weighting approaches in automatic text
 * retrieval", IP&M 1988): a term weighs (1 + ln tf) · ln(N / df) in a row, ln(N / df) in the
 * query (its terms are deduplicated), vectors are L2-normalised. N = rows.length and df count
 * rows of the same analyzer version holding the term, so each version is its own vocabulary
 * (a row is only compared with the query as its own analyzer saw it).
 *
 * `queryTerms` maps analyzer version → the query's distinct terms under that version.
 * Returns one score in [0, 1] per row, aligned with `rows`. Cost: one pass over every term of
 * every row to count df and one to compute norms, i.e. linear in the visible rows' terms.
 */
export function tfidfCosines(
  queryTerms: ReadonlyMap<number, readonly string[]>,
  rows: readonly VectorRow[],
): Float64Array {
  const n = rows.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const df = new Map<number, Map<string, number>>();
  for (const r of rows) {
    let m = df.get(r.analyzer);
    if (!m) {
      m = new Map();
      df.set(r.analyzer, m);
    }
    for (const t in r.terms) if (r.terms[t]! > 0) m.set(t, (m.get(t) ?? 0) + 1);
  }
  const idf = (version: number, t: string): number => {
    const f = df.get(version)?.get(t) ?? 0;
    return f > 0 ? Math.log(n / f) : 0;
  };
  // Query weights per version, and their norms.
  const query = new Map<number, { terms: readonly string[]; weights: number[]; norm: number }>();
  for (const [version, terms] of queryTerms) {
    const weights = terms.map((t) => idf(version, t));
    const norm = Math.sqrt(weights.reduce((a, w) => a + w * w, 0));
    if (norm > 0) query.set(version, { terms, weights, norm });
  }
  if (query.size === 0) return out;
  for (let j = 0; j < n; j++) {
    const r = rows[j]!;
    const q = query.get(r.analyzer);
    if (!q) continue;
    let dot = 0;
    for (let i = 0; i < q.terms.length; i++) {
      const f = r.terms[q.terms[i]!];
      if (typeof f === "number" && f > 0) dot += q.weights[i]! * (1 + Math.log(f)) * q.weights[i]!;
    }
    if (dot === 0) continue; // most rows: no shared term, so skip the norm
    let sq = 0;
    for (const t in r.terms) {
      const f = r.terms[t]!;
      if (f > 0) {
        const w = (1 + Math.log(f)) * idf(r.analyzer, t);
        sq += w * w;
      }
    }
    const c = dot / (q.norm * Math.sqrt(sq));
    out[j] = Number.isFinite(c) ? Math.min(1, c) : 0;
  }
  return out;
}

/**
 * Cosine between `query` and each row's stored vector made by `model` (vectors of other models
 * are not comparable and score 0, as do rows without one). Aligned with `rows`, in [−1, 1].
 */
export function storedCosines(query: Float32Array, model: string, rows: readonly VectorRow[]): Float64Array {
  const out = new Float64Array(rows.length);
  rows.forEach((r, j) => {
    if (r.vector && r.embModel === model) out[j] = cosine(query, r.vector);
  });
  return out;
}
