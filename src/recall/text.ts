// Text analysis shared by the lexical (BM25) and vector tiers.
// Pure and total: every function here must accept any JS string (lone surrogates,
// control characters, emoji, huge inputs) without throwing, because it runs on
// user-supplied memory content and queries.
import porter2 from "wink-porter2-stemmer";
import { analyzeV1 } from "./legacyText.js";

/**
 * Version of `analyze`. Stored term maps carry it (see `storedTerms`), so rows indexed by an
 * older analyzer stay recognisable: recall matches them against the query as their own
 * analyzer sees it, and a reindex can re-analyze them. Bump it on any change to `analyze`.
 *
 * 1: Porter (1980) stemmer, 35-word stop list, apostrophes split words.
 * 2: Porter2 (Snowball English) stemmer, Snowball English stop list, apostrophes inside words kept.
 */
export const ANALYZER_VERSION = 2;

/** Longest term we keep, in code points; bounds index/key size and stemmer cost. */
const MAX_TERM_CHARS = 64;

/**
 * Case-fold for matching. NFKC first so compatibility forms (full-width Latin,
 * ligatures, half-width kana) compare equal to their plain forms; then lowercase.
 * `ß`→`ss` and final `ς`→`σ` are the folds `toLowerCase` does not do but users
 * expect ("STRASSE" finds "straße", "ΟΔΟΣ" finds "οδοσ…"). The typographic apostrophe
 * U+2019 becomes ASCII `'` so "don’t" and "don't" are one word. Diacritics are kept on
 * purpose: stripping them merges distinct words in many languages.
 */
export function foldCase(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/ς/g, "σ")
    .replace(/\u2019/g, "'");
}

// Runs of letters, marks and digits, joined by single apostrophes ("don't", "caroline's",
// "o'neil"); quotes around a word are not part of it. With the `u` flag a lone surrogate
// is a code point outside these classes, so it simply separates runs.
const WORD_RUN = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*/gu;

// Script_Extensions (not Script) so shared kana/Han characters such as the
// prolonged-sound mark "ー" and the iteration mark "々" stay in the CJK segment.
const CJK_CHAR = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const MARK = /\p{M}/u;
/** English words the stemmer handles: a–z, possibly with inner apostrophes. */
const ENGLISH_WORD = /^[a-z]+(?:'[a-z]+)*$/;

/**
 * The Snowball English stop list (M. Porter, snowballstem.org/algorithms/english/stop.txt,
 * BSD licence): the 174 words it lists, the list that accompanies the Porter2 stemmer.
 * It leaves out will/can/may/might/must/shall on purpose (homonyms: "a will", "tin can",
 * "May"), and `us` (US). Checked before stemming, on the folded surface word.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself " +
    "she her hers herself it its itself they them their theirs themselves what which who whom " +
    "this that these those am is are was were be been being have has had having do does did doing " +
    "would should could ought i'm you're he's she's it's we're they're i've you've we've they've " +
    "i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't " +
    "weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't " +
    "cannot couldn't mustn't let's that's who's what's here's there's when's where's why's how's " +
    "a an the and but if or because as until while of at by for with about against between into " +
    "through during before after above below to from up down in out on off over under again " +
    "further then once here there when where why how all any both each few more most other some " +
    "such no nor not only own same so than too very"
  ).split(" "),
);

/** Truncate by code points so we never cut a surrogate pair in half. */
function truncate(term: string): string {
  // Fast path: a string of ≤64 UTF-16 units has ≤64 code points.
  if (term.length <= MAX_TERM_CHARS) return term;
  return Array.from(term).slice(0, MAX_TERM_CHARS).join("");
}

/**
 * Split one word run into alternating CJK and non-CJK segments.
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
 * tagging CJK segments. Shared with the vector tier, which needs the surface
 * words for character n-grams.
 */
export function wordSegments(text: string): Array<{ cjk: boolean; word: string }> {
  const out: Array<{ cjk: boolean; word: string }> = [];
  for (const m of foldCase(text).matchAll(WORD_RUN)) {
    // Pure non-CJK runs (the common case) skip the per-character split.
    if (!CJK_CHAR.test(m[0])) {
      out.push({ cjk: false, word: m[0] });
      continue;
    }
    for (const seg of segments(m[0])) {
      // An apostrophe left at a segment edge ("東京's") is not part of a word.
      const word = seg.chars.join("").replace(/^'+|'+$/g, "");
      if (word !== "") out.push({ cjk: seg.cjk, word });
    }
  }
  return out;
}

/**
 * Analyze text into index/query terms, in order, with repeats (so term
 * frequencies and document length can be derived from the result).
 *
 * - CJK text has no spaces, so each CJK segment becomes overlapping character
 *   bigrams (a lone character is emitted as itself).
 * - Other words: Snowball stop words dropped; English words (a–z with inner
 *   apostrophes) stemmed with Porter2 (snowballstem.org/algorithms/english/stemmer.html),
 *   which also strips the possessive "'s"; anything else (accented, other scripts,
 *   digits, alphanumerics like "v2") is kept folded but unstemmed, since the stemmer is
 *   English-only.
 */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const { cjk, word } of wordSegments(text)) {
    if (cjk) {
      const chars = Array.from(word);
      if (chars.length === 1) terms.push(word);
      for (let i = 0; i + 1 < chars.length; i++) terms.push(`${chars[i]}${chars[i + 1]}`);
      continue;
    }
    if (STOP_WORDS.has(word)) continue;
    // Truncate before stemming so the stemmer's cost stays bounded on pathological 100k-letter "words".
    const clipped = truncate(word);
    const term = ENGLISH_WORD.test(clipped) ? truncate(porter2(clipped)) : clipped;
    if (term.length > 0) terms.push(term);
  }
  return terms;
}

/** `analyze` of the given version; versions this build does not know fall back to the current one. */
export function analyzeAs(version: number, text: string): string[] {
  return version === 1 ? analyzeV1(text) : analyze(text);
}

/** Count occurrences of each term (Map keeps first-seen order, which keeps output deterministic). */
export function termFrequencies(terms: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/**
 * Key of the analyzer version inside a stored term map. `#` never occurs in a term (terms are
 * runs of letters, marks, digits and inner apostrophes), so it cannot collide with one.
 */
const VERSION_KEY = "#v";

/**
 * What a row stores for the lexical tier: term → frequency, tagged with ANALYZER_VERSION,
 * and the number of terms (the document length BM25 normalises by).
 */
export function storedTerms(text: string): { terms: Record<string, number>; len: number } {
  const terms = analyze(text);
  return {
    terms: { [VERSION_KEY]: ANALYZER_VERSION, ...Object.fromEntries(termFrequencies(terms)) },
    len: terms.length,
  };
}

/**
 * The inverse of `storedTerms` for a parsed map: the analyzer version (1 for maps written
 * before versions were tagged) and the term frequencies without the tag. Non-numeric or
 * non-positive counts are dropped. The result has no prototype, so a term like
 * "constructor" is an ordinary key.
 */
export function readStoredTerms(map: Readonly<Record<string, unknown>>): {
  version: number;
  terms: Record<string, number>;
} {
  const terms: Record<string, number> = Object.create(null);
  let version = 1;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    if (k === VERSION_KEY) version = v;
    else if (v > 0) terms[k] = v;
  }
  return { version, terms };
}
