// Combining the recall tiers' scores. BM25 scores and cosine similarities live on different
// scales, so each tier's scores are first normalised per query to [0, 1], then added with
// equal weights: a convex combination of normalised scores (Bruch, Gai and Ingber, "An Analysis
// of Fusion Functions for Hybrid Retrieval", ACM TOIS 2023, who find it at least as good as
// reciprocal rank fusion and better behaved). Unlike rank fusion, equal scores get equal
// contributions by construction: nothing here depends on ids or on the order of the input.

export type RecallTier = "LEXICAL" | "VECTOR";

/**
 * Max normalisation for scores whose zero means "no evidence" (BM25, TF-IDF cosine):
 * s / max(s) for s > 0, else 0. All zeros when nothing scored above 0.
 */
export function maxNormalize(scores: Float64Array): Float64Array {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  const out = new Float64Array(scores.length);
  if (!(max > 0 && Number.isFinite(max))) return out;
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! > 0 ? scores[i]! / max : 0;
  return out;
}

/**
 * Normalisation for scores without a natural zero (cosine of dense embeddings, where unrelated
 * texts still score 0.2–0.5): (s − μ)⁺ / (max − μ), μ the mean over the rows that have a
 * score (`scored[i]`), so only above-average similarity counts as evidence. This is min-max
 * normalisation (Lee, "Analyses of multiple evidence combination", SIGIR 1997) with the mean as
 * the floor, which keeps a noisy tier's bulk of near-average scores from adding up in the
 * context expansion. All zeros when no row is above the mean.
 */
export function meanCenteredNormalize(scores: Float64Array, scored: (i: number) => boolean): Float64Array {
  let sum = 0;
  let count = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    if (!scored(i)) continue;
    sum += scores[i]!;
    count += 1;
    if (scores[i]! > max) max = scores[i]!;
  }
  const out = new Float64Array(scores.length);
  if (count === 0) return out;
  const mean = sum / count;
  const range = max - mean;
  if (!(range > 0 && Number.isFinite(range))) return out;
  for (let i = 0; i < scores.length; i++) {
    if (scored(i) && scores[i]! > mean) out[i] = (scores[i]! - mean) / range;
  }
  return out;
}

/**
 * Exponential recency decay: 1 when new, 0.5 at one half-life, 0.25 at two.
 * Clamped to (0, 1] so a very old item is down-weighted but never erased
 * (a zero would make it unrankable by multiplication). Returns 1 — no decay —
 * when the half-life is not a positive finite number (decay disabled), for
 * future timestamps (age ≤ 0, clock skew) and for an unknown (NaN) age.
 */
export function recencyWeight(ageMs: number, halfLifeMs: number): number {
  if (!(Number.isFinite(halfLifeMs) && halfLifeMs > 0)) return 1;
  if (Number.isNaN(ageMs) || ageMs <= 0) return 1;
  const w = 2 ** (-ageMs / halfLifeMs);
  return Math.min(1, Math.max(Number.MIN_VALUE, w));
}
