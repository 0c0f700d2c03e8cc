// `local/hash-embedding`: an offline, weight-free text embedding ("hashing trick"),
// the default before `local/contextual-tfidf` (see vectorTier.ts). Not semantic like
// a neural model; kept so Contexts that name it, and the vectors they stored, keep
// working. Changing anything here changes stored vectors, so it is frozen: it uses
// analyzer version 1 (legacyText.ts), not the current one.
import { analyzeV1 as analyze, STOP_WORDS_V1 as STOP_WORDS, wordSegmentsV1 as wordSegments } from "./legacyText.js";

export const LOCAL_EMBEDDING_DIMS = 256;

/** Whole analyzed terms dominate; trigrams add fuzzy overlap (sitting/sit, typos). */
const TERM_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;

const utf8 = new TextEncoder();

/** 32-bit FNV-1a over UTF-8 bytes (lone surrogates encode as U+FFFD, never throw). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of utf8.encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Add `weight` for one feature. Bucket from the low bits, sign from the top bit
 * (independent of the bucket bits), so collisions cancel in expectation
 * instead of piling up. Features are namespaced ("t:"/"g:") so a term and a
 * trigram with the same spelling are different features.
 */
function add(v: Float64Array, feature: string, weight: number): void {
  const h = fnv1a(feature);
  v[h % LOCAL_EMBEDDING_DIMS]! += h >>> 31 ? -weight : weight;
}

/**
 * Embed text into a unit-length 256-dim vector; all zeros if the text has no
 * usable terms (callers should treat that as "no vector").
 */
export function localEmbed(text: string): Float32Array {
  const acc = new Float64Array(LOCAL_EMBEDDING_DIMS);
  for (const term of analyze(text)) add(acc, `t:${term}`, TERM_WEIGHT);
  for (const { word } of wordSegments(text)) {
    // Stop words are skipped here too, otherwise "the"/"a" trigrams would
    // make unrelated sentences look alike.
    if (STOP_WORDS.has(word)) continue;
    const chars = Array.from(` ${word} `);
    for (let i = 0; i + 2 < chars.length; i++) add(acc, `g:${chars[i]}${chars[i + 1]}${chars[i + 2]}`, TRIGRAM_WEIGHT);
  }
  let sq = 0;
  for (const x of acc) sq += x * x;
  const out = new Float32Array(LOCAL_EMBEDDING_DIMS);
  if (sq === 0) return out;
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < LOCAL_EMBEDDING_DIMS; i++) out[i] = acc[i]! * inv;
  return out;
}

/** Cosine similarity; 0 (not NaN) for mismatched dims or zero vectors, so callers can rank blindly. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  const c = dot / Math.sqrt(na * nb);
  // Rounding can push |c| a hair past 1; non-finite inputs yield NaN → 0.
  return Number.isFinite(c) ? Math.max(-1, Math.min(1, c)) : 0;
}

/**
 * Serialise as little-endian float32 explicitly (DataView) so stored bytes do
 * not depend on the host's endianness. Float32 → number → float32 is exact
 * for every non-NaN value.
 */
export function embeddingToBytes(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return out;
}

/**
 * Inverse of `embeddingToBytes`. Reads through a DataView over the input's own
 * window, so any byteOffset (e.g. a Buffer slice from a driver) is safe and the
 * result never aliases the input.
 */
export function embeddingFromBytes(b: Uint8Array): Float32Array {
  if (b.byteLength % 4 !== 0) throw new RangeError(`embedding byte length ${b.byteLength} is not a multiple of 4`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
