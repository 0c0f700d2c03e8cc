// Combining ranked lists from different recall tiers. Reciprocal Rank Fusion
// uses only ranks, so BM25 scores and cosine similarities (different scales)
// can be merged without calibration.

export type RecallTier = "LEXICAL" | "VECTOR";

export interface FusedHit {
  id: string;
  score: number;
  /** Tiers that returned this id, in the order the lists were given. */
  matchedBy: RecallTier[];
}

/**
 * RRF: score(id) = Σ over lists containing id of 1/(k + rank), rank from 1 by
 * position in that list (lists are assumed already best-first; their own scores
 * are ignored). An id repeated within one list counts once, at its best rank.
 * k = 60 is the value from the original RRF paper; larger k flattens the head.
 * Sorted by score desc then id asc for deterministic output.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<{ tier: RecallTier; hits: ReadonlyArray<{ id: string; score: number }> }>,
  k = 60,
): FusedHit[] {
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`RRF k must be a finite number >= 0, got ${k}`);
  const fused = new Map<string, FusedHit>();
  for (const { tier, hits } of lists) {
    const seen = new Set<string>();
    hits.forEach(({ id }, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      const contribution = 1 / (k + i + 1);
      const hit = fused.get(id);
      if (hit === undefined) {
        fused.set(id, { id, score: contribution, matchedBy: [tier] });
      } else {
        hit.score += contribution;
        // The same tier may be passed twice (e.g. two vector models); list it once.
        if (!hit.matchedBy.includes(tier)) hit.matchedBy.push(tier);
      }
    });
  }
  return [...fused.values()].sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
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
