// A prepared view of one visible corpus for ranking: postings per analyzer version, each row's
// TF-IDF norm, BM25's average length and the conversation order. Building it costs one pass
// over every term of every row; ranking with it then touches only the rows that hold a query
// term (plus O(n) array passes), so a warm recall over 50,000 rows does not re-count the corpus
// per query. Everything in it is computed from the rows passed in and nothing else: the
// isolation property of rank.ts holds unchanged. Pure.
import { type SessionOrder, sessionOrder } from "./context.js";
import type { TermBlock } from "./termBlock.js";

/** One visible row as ranking needs it (no text). */
export interface RankRow {
  id: string;
  /** Creation order: the record's ULID (time-ordered, monotonic within a process). */
  seq: string;
  /** Number of analyzed terms (BM25's document length). */
  len: number;
  /** Stored term → frequency map, as produced by the row's analyzer version. */
  terms: Readonly<Record<string, number>>;
  /**
   * The same map as row `termRow` of a shared TermBlock, when the row came from one (a persisted
   * snapshot): read from there without building `terms`.
   */
  termBlock?: TermBlock;
  termRow?: number;
  /** Analyzer version that produced `terms` and `len` (1 for untagged rows, see text.ts). */
  analyzer: number;
  vector: Float32Array | null;
  embModel: string | null;
  sessionId: string | null;
  /** ISO-8601 creation time, for the recency weight. */
  createdAt: string;
}

/** The rows (ascending indices) holding one term, and its frequency in each. */
export interface Posting {
  rows: Int32Array;
  tf: Float64Array;
}

export interface CorpusIndex {
  readonly rows: readonly RankRow[];
  /** Analyzer versions in order of first appearance among the rows: the order of the query's slots. */
  readonly versions: readonly number[];
  /** Version → term → posting. A posting's length is the term's document frequency in that vocabulary. */
  readonly postings: ReadonlyMap<number, ReadonlyMap<string, Posting>>;
  /** BM25's average document length over every row (1 for an all-empty corpus). */
  readonly avgdl: number;
  /** Each row's TF-IDF vector length (SMART ltc, see vectorTier.ts), 0 for rows without terms. */
  readonly tfidfNorm: Float64Array;
  /** Each session's rows in creation order (context.ts). */
  readonly order: SessionOrder;
}

/** A positive, finite count, else 0 (missing, negative or non-finite counts are absent). */
const count = (x: unknown): number => (typeof x === "number" && Number.isFinite(x) && x > 0 ? x : 0);

/**
 * Prepares `rows` for ranking. The TF-IDF norms follow vectorTier.ts exactly: a term weighs
 * (1 + ln tf) · ln(N / df) with df counted among the rows of the same analyzer version, summed
 * in the order of the row's own term map, so scores equal the unindexed computation bit for bit.
 */
export function buildCorpusIndex(rows: readonly RankRow[]): CorpusIndex {
  const n = rows.length;
  const versions: number[] = [];
  // Pass 1: intern every (version, term) once and lay the rows' terms out flat (CSR: row j's
  // entries are [start[j], start[j+1])), in each row's own term order.
  const ids = new Map<number, Map<string, number>>();
  const termOf: string[] = [];
  const versionOf: number[] = [];
  let termIds = new Int32Array(Math.max(16, n * 16));
  let freqs = new Float64Array(termIds.length);
  const start = new Int32Array(n + 1);
  let m = 0;
  let totalLen = 0;
  const intern = (vocabulary: Map<string, number>, t: string, version: number): number => {
    let id = vocabulary.get(t);
    if (id === undefined) {
      id = termOf.length;
      vocabulary.set(t, id);
      termOf.push(t);
      versionOf.push(version);
    }
    return id;
  };
  const append = (id: number, f: number) => {
    if (m === termIds.length) {
      const grownIds = new Int32Array(m * 2);
      grownIds.set(termIds);
      termIds = grownIds;
      const grownFreqs = new Float64Array(m * 2);
      grownFreqs.set(freqs);
      freqs = grownFreqs;
    }
    termIds[m] = id;
    freqs[m] = f;
    m++;
  };
  // A TermBlock's dictionary is interned once per analyzer version (-1: not yet), not once per entry.
  const blockIds = new Map<TermBlock, Map<number, Int32Array>>();
  for (let j = 0; j < n; j++) {
    const r = rows[j]!;
    totalLen += count(r.len);
    let vocabulary = ids.get(r.analyzer);
    if (!vocabulary) {
      vocabulary = new Map();
      ids.set(r.analyzer, vocabulary);
      versions.push(r.analyzer);
    }
    const block = r.termBlock;
    if (block && r.termRow !== undefined) {
      let byVersion = blockIds.get(block);
      if (!byVersion) {
        byVersion = new Map();
        blockIds.set(block, byVersion);
      }
      let local = byVersion.get(r.analyzer);
      if (!local) {
        local = new Int32Array(block.dictionary.length).fill(-1);
        byVersion.set(r.analyzer, local);
      }
      for (let e = block.starts[r.termRow]!; e < block.starts[r.termRow + 1]!; e++) {
        const k = block.terms[e]!;
        let id = local[k]!;
        if (id < 0) {
          id = intern(vocabulary, block.dictionary[k]!, r.analyzer);
          local[k] = id;
        }
        append(id, block.freqs[e]!);
      }
    } else {
      const terms = r.terms;
      for (const t in terms) {
        if (!Object.hasOwn(terms, t)) continue;
        const f = terms[t];
        if (!(typeof f === "number" && f > 0)) continue;
        append(intern(vocabulary, t, r.analyzer), f);
      }
    }
    start[j + 1] = m;
  }
  // Pass 2: document frequencies, then each term's slice of one shared postings array.
  const vocabularySize = termOf.length;
  const df = new Int32Array(vocabularySize);
  for (let e = 0; e < m; e++) df[termIds[e]!]!++;
  const offset = new Int32Array(vocabularySize + 1);
  for (let id = 0; id < vocabularySize; id++) offset[id + 1] = offset[id]! + df[id]!;
  const postingRows = new Int32Array(m);
  const postingTf = new Float64Array(m);
  const fill = offset.slice(0, vocabularySize);
  for (let j = 0; j < n; j++) {
    for (let e = start[j]!; e < start[j + 1]!; e++) {
      const at = fill[termIds[e]!]!++;
      postingRows[at] = j;
      postingTf[at] = freqs[e]!;
    }
  }
  const postings = new Map<number, Map<string, Posting>>(versions.map((v) => [v, new Map()]));
  for (let id = 0; id < vocabularySize; id++) {
    postings.get(versionOf[id]!)!.set(termOf[id]!, {
      rows: postingRows.subarray(offset[id]!, offset[id + 1]!),
      tf: postingTf.subarray(offset[id]!, offset[id + 1]!),
    });
  }
  // Pass 3: TF-IDF norms in each row's own term order (the unindexed computation's order).
  const idf = new Float64Array(vocabularySize);
  for (let id = 0; id < vocabularySize; id++) idf[id] = Math.log(n / df[id]!);
  const tfidfNorm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sq = 0;
    for (let e = start[j]!; e < start[j + 1]!; e++) {
      const w = (1 + Math.log(freqs[e]!)) * idf[termIds[e]!]!;
      sq += w * w;
    }
    tfidfNorm[j] = Math.sqrt(sq);
  }
  return { rows, versions, postings, avgdl: totalLen > 0 ? totalLen / n : 1, tfidfNorm, order: sessionOrder(rows) };
}

/**
 * BM25 of every row for the query slots (version, term) in `versions` × `queryTerms` order,
 * through the postings: the same formula, constants and per-row summation order as
 * bm25.ts `bm25Scores` over the whole corpus. Aligned with the index's rows.
 */
export function bm25FromIndex(
  index: CorpusIndex,
  queryTerms: ReadonlyMap<number, readonly string[]>,
  params: { k1: number; b: number },
): Float64Array {
  const n = index.rows.length;
  const out = new Float64Array(n);
  const { k1, b } = params;
  const norm = (j: number) => k1 * (1 - b + (b * count(index.rows[j]!.len)) / index.avgdl);
  for (const version of index.versions) {
    const vocabulary = index.postings.get(version)!;
    for (const t of queryTerms.get(version) ?? []) {
      const p = vocabulary.get(t);
      const df = p?.rows.length ?? 0;
      if (!p) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let k = 0; k < p.rows.length; k++) {
        const j = p.rows[k]!;
        const f = p.tf[k]!;
        out[j]! += (idf * f * (k1 + 1)) / (f + norm(j));
      }
    }
  }
  for (let j = 0; j < n; j++) if (!Number.isFinite(out[j]!)) out[j] = 0;
  return out;
}

/**
 * TF-IDF cosine (vectorTier.ts `tfidfCosines`) through the postings: query weights ln(N/df) per
 * version, dot products over the rows holding a query term, the precomputed row norms.
 */
export function tfidfFromIndex(index: CorpusIndex, queryTerms: ReadonlyMap<number, readonly string[]>): Float64Array {
  const n = index.rows.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const dot = new Float64Array(n);
  const queryNorm = new Map<number, number>();
  for (const [version, terms] of queryTerms) {
    const vocabulary = index.postings.get(version);
    const weights = terms.map((t) => {
      const df = vocabulary?.get(t)?.rows.length ?? 0;
      return df > 0 ? Math.log(n / df) : 0;
    });
    const qn = Math.sqrt(weights.reduce((a, w) => a + w * w, 0));
    if (!(qn > 0) || !vocabulary) continue;
    queryNorm.set(version, qn);
    terms.forEach((t, i) => {
      const p = vocabulary.get(t);
      const w = weights[i]!;
      if (!p) return;
      for (let k = 0; k < p.rows.length; k++) dot[p.rows[k]!]! += w * (1 + Math.log(p.tf[k]!)) * w;
    });
  }
  for (let j = 0; j < n; j++) {
    if (dot[j] === 0) continue;
    const qn = queryNorm.get(index.rows[j]!.analyzer);
    if (qn === undefined) continue;
    const c = dot[j]! / (qn * index.tfidfNorm[j]!);
    out[j] = Number.isFinite(c) ? Math.min(1, c) : 0;
  }
  return out;
}
