// Analyzer version 1, kept verbatim so rows indexed before version 2 stay searchable:
// their stored `terms` (no version tag) are matched against the query as this analyzer
// saw it, until a reindex re-analyzes them (see `text.ts`, ANALYZER_VERSION). Nothing new
// is written with it. Pure and total like `text.ts`.
import { stemmer } from "stemmer";

/** Longest term we keep, in code points; bounds index/key size and stemmer cost. */
const MAX_TERM_CHARS = 64;

/**
 * Case-fold for matching. NFKC first so compatibility forms (full-width Latin,
 * ligatures, half-width kana) compare equal to their plain forms; then lowercase.
 * `ß`→`ss` and final `ς`→`σ` are the folds `toLowerCase` does not do but users
 * expect ("STRASSE" finds "straße", "ΟΔΟΣ" finds "οδοσ…"). Diacritics are kept on
 * purpose: stripping them merges distinct words in many languages.
 */
function foldCase(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
}

// Runs of letters, marks and digits. With the `u` flag a lone surrogate is a
// code point outside these classes, so it simply separates runs.
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;

// Script_Extensions (not Script) so shared kana/Han characters such as the
// prolonged-sound mark "ー" and the iteration mark "々" stay in the CJK segment.
const CJK_CHAR = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const MARK = /\p{M}/u;
const ASCII_WORD = /^[a-z]+$/;

/**
 * Small English stop-word list: only words so frequent they carry no recall
 * signal. Kept short on purpose—aggressive lists hurt phrase-like queries.
 */
export const STOP_WORDS_V1: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "been",
  "but",
  "by",
  "for",
  "from",
  "if",
  "in",
  "into",
  "is",
  "it",
  "its",
  "of",
  "on",
  "or",
  "so",
  "than",
  "that",
  "the",
  "then",
  "there",
  "these",
  "this",
  "those",
  "to",
  "was",
  "were",
  "will",
  "with",
]);

/** Truncate by code points so we never cut a surrogate pair in half. */
function truncate(term: string): string {
  // Fast path: a string of ≤64 UTF-16 units has ≤64 code points.
  if (term.length <= MAX_TERM_CHARS) return term;
  return Array.from(term).slice(0, MAX_TERM_CHARS).join("");
}

/**
 * Split one letter/digit run into alternating CJK and non-CJK segments.
 * Combining marks inherit the class of the preceding character so they are
 * never split from their base. Mixed runs like "iphone用" thus yield the word
 * "iphone" plus CJK bigrams, instead of bigramming the Latin part.
 */
function segments(run: string): Array<{ cjk: boolean; chars: string[] }> {
  const out: Array<{ cjk: boolean; chars: string[] }> = [];
  let current: { cjk: boolean; chars: string[] } | undefined;
  for (const ch of run) {
    const cjk = current !== undefined && MARK.test(ch) ? current.cjk : CJK_CHAR.test(ch);
    if (current === undefined || current.cjk !== cjk) {
      current = { cjk, chars: [] };
      out.push(current);
    }
    current.chars.push(ch);
  }
  return out;
}

/**
 * Split folded text into word tokens (before stop-word removal and stemming),
 * tagging CJK segments. Shared with the local embedding, which needs the
 * surface words for character trigrams.
 */
export function wordSegmentsV1(text: string): Array<{ cjk: boolean; word: string }> {
  const out: Array<{ cjk: boolean; word: string }> = [];
  for (const m of foldCase(text).matchAll(WORD_RUN)) {
    // Pure non-CJK runs (the common case) skip the per-character split.
    if (!CJK_CHAR.test(m[0])) {
      out.push({ cjk: false, word: m[0] });
      continue;
    }
    for (const seg of segments(m[0])) out.push({ cjk: seg.cjk, word: seg.chars.join("") });
  }
  return out;
}

/**
 * Analyze text into index/query terms, in order, with repeats (so term
 * frequencies and document length can be derived from the result).
 *
 * - CJK text has no spaces, so each CJK segment becomes overlapping character
 *   bigrams (a lone character is emitted as itself).
 * - Other words: stop words dropped; pure a–z words Porter-stemmed so
 *   "running"/"runs"/"Run" meet; anything else (accented, other scripts,
 *   alphanumerics like "v2") is kept folded but unstemmed, since the stemmer is
 *   English-only.
 */
export function analyzeV1(text: string): string[] {
  const terms: string[] = [];
  for (const { cjk, word } of wordSegmentsV1(text)) {
    if (cjk) {
      const chars = Array.from(word);
      if (chars.length === 1) terms.push(word);
      for (let i = 0; i + 1 < chars.length; i++) terms.push(`${chars[i]}${chars[i + 1]}`);
      continue;
    }
    if (STOP_WORDS_V1.has(word)) continue;
    // Truncate before stemming: the stemmer's lazy regexes are super-linear on
    // pathological 100k-letter "words".
    const clipped = truncate(word);
    const term = ASCII_WORD.test(clipped) ? truncate(stemmer(clipped)) : clipped;
    if (term.length > 0) terms.push(term);
  }
  return terms;
}
