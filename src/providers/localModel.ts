// The built-in offline "local/…" language model: extractive, deterministic, no
// network and no weights. It exists so the gateway works end to end (tests,
// air-gapped installs, zero-cost tenants) without a remote provider, so every
// function here is pure and total: it runs on untrusted memory content and must
// accept any JS string (lone surrogates, emoji, RTL, 100k chars) without throwing.
import { countTokens } from "../documents/chunk.js";
import { foldCase } from "../recall/text.js";
// Version 1 of the recall analyzer: the fact and answer heuristics here (MIN_FACT_TERMS, idf
// overlap) were calibrated on its short stop list, and recall's analyzer may change with
// ANALYZER_VERSION without moving this model's output.
import { analyzeV1 as analyze } from "../recall/legacyText.js";

export interface Passage {
  id: string;
  text: string;
}

export const NO_ANSWER = "I could not find this in the stored memories.";

/** Longest fact / answer sentence we emit, in UTF-16 units; bounds storage and completion size. */
const MAX_SENTENCE_CHARS = 500;
/** Fewer analyzed terms than this is a fragment ("Sounds good.") with nothing to recall by. */
const MIN_FACT_TERMS = 3;
/** Abbreviations are short; looking further back for one would only cost time on huge "words". */
const MAX_ABBREVIATION_CHARS = 16;

// A sentence ends at a run of terminal punctuation (plus closing quotes/brackets)
// that is followed by whitespace or the end of text — so "3.5", "v2.0.1" and
// "example.com" never match — or at any line break. CJK full stops need no
// following space because CJK text has none. The lookbehind lets a match start
// only at the first mark of a run: otherwise "……(100k dots)x" would be retried
// from every dot, which is quadratic.
const BOUNDARY = /(?<![.!?…])[.!?…]+["'”’»)\]]*(?=\s|$)|[。！？]+[」』）"”’]*|\r\n|[\n\r\u2028\u2029]/gu;

// Abbreviations that (almost) never end a sentence: titles and Latin/reference
// shorthands are followed by the thing they qualify ("Dr. Smith", "e.g. Paris").
const NEVER_FINAL = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "sr",
  "st",
  "mt",
  "rev",
  "gen",
  "capt",
  "lt",
  "sgt",
  "hon",
  "e.g",
  "i.e",
  "eg",
  "ie",
  "vs",
  "cf",
  "viz",
  "approx",
  "dept",
]);
// Shorthands that qualify a number ("No. 5", "Fig. 3", "Mar. 2020", "ca. 1500")
// but are ordinary words at a sentence end ("The answer is no."): not an end
// only when a digit follows.
const NUMBER_ABBREVIATIONS = new Set([
  "no",
  "nos",
  "fig",
  "figs",
  "vol",
  "p",
  "pp",
  "ch",
  "sec",
  "est",
  "ca",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);
// Abbreviations that often do end a sentence ("…pears, etc. The store…"): treat
// them as a boundary only when the next word starts with a capital letter.
const MAYBE_FINAL = new Set(["etc", "inc", "ltd", "co", "corp", "llc", "bros", "jr", "ed", "am", "pm"]);
// "U.S", "a.m", "e.g": dotted letter groups; the final "." is the candidate boundary.
const DOTTED_LETTERS = /^(?:\p{L}\.)+\p{L}$/u;
const SINGLE_CAPITAL = /^\p{Lu}$/u;
const UPPERCASE_START = /^\s*["'“‘«([]?\p{Lu}/u;
const DIGIT_START = /^\s*\d/u;
const WHITESPACE = /\s/u;

/**
 * Whether the single "." at `dot` is a real sentence end, given the current
 * sentence started at `start`. Best effort: abbreviations, initials ("J. R. R.
 * Tolkien") and list numbers ("1. Buy milk") are not ends.
 */
function dotEndsSentence(text: string, start: number, dot: number, after: number): boolean {
  // Scan back over the word before the dot by hand: a regex like /\S+$/ on the
  // slice would be quadratic on a long run without spaces.
  let i = dot;
  while (i > start && dot - i <= MAX_ABBREVIATION_CHARS && !WHITESPACE.test(text[i - 1] ?? " ")) i--;
  if (dot - i > MAX_ABBREVIATION_CHARS) return true;
  const raw = text.slice(i, dot).replace(/^["'“‘«([]+/u, "");
  if (raw === "") return true;
  // "1." / "12." opening a line is a list marker, not a sentence.
  if (/^\d{1,3}$/.test(raw) && text.slice(start, i).trim() === "") return false;
  // A lone capital is an initial — except "I", which ends sentences all the time.
  if (SINGLE_CAPITAL.test(raw) && raw !== "I") return false;
  const word = raw.toLowerCase();
  if (NEVER_FINAL.has(word)) return false;
  if (NUMBER_ABBREVIATIONS.has(word)) return !DIGIT_START.test(text.slice(after, after + 8));
  if (MAYBE_FINAL.has(word) || DOTTED_LETTERS.test(raw)) return UPPERCASE_START.test(text.slice(after, after + 8));
  return true;
}

/** Raw sentence spans of `text` (untrimmed), in order. */
function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    // Only a single "." is ambiguous; "!", "?", "..." and line breaks always end.
    if (/^\.(?![.!?…])/.test(m[0]) && !dotEndsSentence(text, start, m.index, end)) continue;
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

// Markdown/plain list and quote markers: "- ", "* ", "• ", "> ", "## ", "1. ",
// "2) ", "(a) ", and task-list boxes "[ ] " / "[x] ".
const LIST_MARKER = /^(?:[-*•‣◦▪+>#]+|\(?\d{1,3}[.)]|\(?[a-z]\)|\[[ xX]\])\s+/u;

/** Collapse whitespace and strip list markers, so "-   Buy  milk" and "Buy milk" are the same fact. */
function clean(sentence: string): string {
  let s = sentence.replace(/\s+/gu, " ").trim();
  // Bounded loop: markers nest ("- [x] 1. …") but never more than a few deep.
  for (let k = 0; k < 4; k++) {
    const m = LIST_MARKER.exec(s);
    if (m === null) break;
    s = s.slice(m[0].length);
  }
  return s;
}

/** Cut to at most `max` UTF-16 units at a word boundary, never splitting a surrogate pair. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  // Whitespace is already collapsed to single spaces by clean().
  const space = s.lastIndexOf(" ", max);
  let cut = max;
  // Prefer the word boundary unless it would throw away most of the text
  // (one giant "word" such as a URL or base64 blob).
  if (space >= max / 2) cut = space;
  else if (/[\uD800-\uDBFF]/.test(s[cut - 1] ?? "")) cut--;
  return s.slice(0, cut).replace(/[\s,;:–—-]+$/u, "");
}

const ENDS_AS_QUESTION = /[?？][\s"'”’»)\]」』）]*$/u;

// Words that make up small talk. A sentence made only of these carries nothing
// worth remembering ("Thanks a lot!", "Hi there", "OK, sounds good").
const FILLER_WORDS = new Set([
  "hi",
  "hello",
  "hey",
  "hiya",
  "yo",
  "greetings",
  "thanks",
  "thank",
  "thx",
  "ty",
  "you",
  "u",
  "so",
  "very",
  "much",
  "a",
  "lot",
  "for",
  "your",
  "the",
  "help",
  "ok",
  "okay",
  "k",
  "kk",
  "sure",
  "great",
  "cool",
  "nice",
  "good",
  "morning",
  "afternoon",
  "evening",
  "night",
  "day",
  "bye",
  "goodbye",
  "cheers",
  "please",
  "pls",
  "yes",
  "yeah",
  "yep",
  "yup",
  "no",
  "nope",
  "alright",
  "all",
  "right",
  "got",
  "it",
  "lol",
  "haha",
  "hmm",
  "um",
  "uh",
  "oh",
  "well",
  "appreciate",
  "appreciated",
  "again",
  "there",
  "everyone",
  "guys",
  "folks",
  "sounds",
  "perfect",
  "awesome",
  "fine",
  "noted",
  "see",
  "later",
  "soon",
  "take",
  "care",
  "have",
  "and",
  "welcome",
  "np",
  "problem",
  "worries",
  "just",
  "me",
  "i",
  "am",
  "im",
  "i'm",
]);
// A greeting glued to a real statement by a comma ("Hi, I moved to Oslo"): drop
// the greeting, keep the statement. Yes/no are not here: "No, it is down" needs them.
const GREETING_PREFIX =
  /^(?:(?:hi|hello|hey|hiya|thanks|thank you|ok|okay|oh|um|uh|well|hmm|alright)(?: there| all| everyone)?\s*,\s*)+/iu;

function isFiller(sentence: string): boolean {
  const words = foldCase(sentence)
    .split(/[^\p{L}\p{M}\p{N}']+/u)
    .filter((w) => w !== "");
  return words.every((w) => FILLER_WORDS.has(w));
}

/** Dedupe key: case-folded, ignoring the terminal punctuation ("I like tea." = "i like tea!"). */
function dedupeKey(sentence: string): string {
  return foldCase(sentence).replace(/[\s.!。！…]+$/u, "");
}

/** Sentences of `text` worth remembering as standalone facts. */
export function extractFacts(text: string, max = 20): string[] {
  // NaN, 0 or negative caps mean "nothing"; fractional caps round down.
  const limit = max > 0 ? Math.floor(max) : 0;
  const facts: string[] = [];
  if (limit === 0 || typeof text !== "string") return facts;
  const seen = new Set<string>();
  for (const raw of splitSentences(text)) {
    // Stop early: on a 100k-char input the first `max` facts are all we keep.
    if (facts.length >= limit) break;
    let s = clean(raw);
    // Questions are requests, not knowledge.
    if (s === "" || ENDS_AS_QUESTION.test(s)) continue;
    s = s.replace(GREETING_PREFIX, "");
    s = clip(s, MAX_SENTENCE_CHARS);
    if (s === "" || isFiller(s) || analyze(s).length < MIN_FACT_TERMS) continue;
    const key = dedupeKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    facts.push(s);
  }
  return facts;
}

interface Candidate {
  passage: number;
  sentence: number;
  text: string;
  terms: Set<string>;
  question: boolean;
}

/**
 * An extractive answer: the passage sentences that best match the question, and
 * which passages they came from.
 *
 * Each sentence scores Σ idf(t) over the distinct question terms it contains,
 * idf(t) = ln(1 + n/df) over all n sentences of the given passages — so a rare
 * shared word ("Oslo") outweighs a common one ("user"). Ties go to the earlier
 * passage, then the earlier sentence: passages arrive ranked by recall.
 */
export function extractiveAnswer(
  question: string,
  passages: readonly Passage[],
  maxSentences = 3,
): { text: string; citedIds: string[] } {
  const none = { text: NO_ANSWER, citedIds: [] };
  // NaN falls back to the default; anything below one still returns the best sentence.
  const k = Number.isNaN(maxSentences) ? 3 : Math.max(1, Math.floor(maxSentences));
  const qTerms = [...new Set(analyze(question))];
  if (qTerms.length === 0) return none;

  const candidates: Candidate[] = [];
  passages.forEach((p, pi) => {
    splitSentences(p.text).forEach((raw) => {
      // Clip before analysis so a sentence is scored on exactly the text we would output.
      const text = clip(clean(raw), MAX_SENTENCE_CHARS);
      if (text === "") return;
      candidates.push({
        passage: pi,
        sentence: candidates.length,
        text,
        terms: new Set(analyze(text)),
        question: ENDS_AS_QUESTION.test(text),
      });
    });
  });

  const n = candidates.length;
  const idf = new Map<string, number>();
  for (const t of qTerms) {
    let df = 0;
    for (const c of candidates) if (c.terms.has(t)) df++;
    if (df > 0) idf.set(t, Math.log(1 + n / df));
  }

  const scored: Array<{ c: Candidate; score: number }> = [];
  for (const c of candidates) {
    // A stored question echoes the asked one term for term but answers nothing;
    // it still counts toward idf above, it just cannot be the answer.
    if (c.question) continue;
    // Fixed term order keeps the float sum, and so the ranking, deterministic.
    let score = 0;
    for (const t of qTerms) if (c.terms.has(t)) score += idf.get(t) ?? 0;
    if (score > 0) scored.push({ c, score });
  }
  // `sentence` is a global running index, so it also orders by passage then position.
  scored.sort((a, b) => b.score - a.score || a.c.sentence - b.c.sentence);

  const picked: Candidate[] = [];
  const seen = new Set<string>();
  for (const { c } of scored) {
    if (picked.length >= k) break;
    // The same sentence stored in two memories is one piece of evidence, not two.
    const key = dedupeKey(c.text);
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(c);
  }
  if (picked.length === 0) return none;

  // Read back in the passages' own order, so the answer flows like the source.
  picked.sort((a, b) => a.sentence - b.sentence);
  const citedIds: string[] = [];
  for (const c of picked) {
    const id = passages[c.passage]?.id;
    if (id !== undefined && !citedIds.includes(id)) citedIds.push(id);
  }
  return { text: picked.map((c) => c.text).join(" "), citedIds };
}

/**
 * Tokens in `text` by the real o200k tokenizer, treating special-token strings
 * ("<|endoftext|>") as plain text, so local-model usage is metered like a remote one.
 */
export function localTokenCount(text: string): number {
  return countTokens(text);
}
