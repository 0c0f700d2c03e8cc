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
 * every row to count df, and one over the terms of the rows that share a query term for their
 * norms, i.e. linear in the visible rows' terms.
 */
export function tfidfCosines(
  queryTerms: ReadonlyMap<number, readonly string[]>,
  rows: readonly VectorRow[],
): Float64Array {
  const n = rows.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const views = rows.map(termView);
  const df = new Map<number, Map<string, number>>();
  for (let j = 0; j < n; j++) {
    const version = rows[j]!.analyzer;
    let m = df.get(version);
    if (!m) {
      m = new Map();
      df.set(version, m);
    }
    for (const t of views[j]!.terms) m.set(t, (m.get(t) ?? 0) + 1);
  }
  // ln(N/df) per distinct term, computed once per query (df maps become idf maps).
  for (const m of df.values()) for (const [t, f] of m) m.set(t, Math.log(n / f));
  const idf = (version: number, t: string): number => df.get(version)?.get(t) ?? 0;
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
    const view = views[j]!;
    const versionIdf = df.get(r.analyzer)!;
    let sq = 0;
    for (let k = 0; k < view.terms.length; k++) {
      const w = view.logTf[k]! * versionIdf.get(view.terms[k]!)!;
      sq += w * w;
    }
    const c = dot / (q.norm * Math.sqrt(sq));
    out[j] = Number.isFinite(c) ? Math.min(1, c) : 0;
  }
  return out;
}

/** A row's positive-count terms and their 1 + ln(tf), in a stable order. */
interface TermView {
  terms: string[];
  logTf: Float64Array;
}

/**
 * Per-row term arrays, memoised on the row's term map. The corpus cache hands out the same map
 * object while a partition is unchanged, so this is computed once per cached row, not per query;
 * a WeakMap lets it go with the cache entry. Depends on the row alone (never on other rows).
 */
const termViews = new WeakMap<object, TermView>();
function termView(r: VectorRow): TermView {
  const cached = termViews.get(r.terms);
  if (cached) return cached;
  const terms: string[] = [];
  const logs: number[] = [];
  for (const [t, f] of Object.entries(r.terms)) {
    if (typeof f === "number" && f > 0) {
      terms.push(t);
      logs.push(1 + Math.log(f));
    }
  }
  const view = { terms, logTf: Float64Array.from(logs) };
  termViews.set(r.terms, view);
  return view;
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
