/**
 * Token-window chunking with the o200k_base encoding (the one the embedding /
 * chat models we budget for use), so `size` means what the model will count.
 */
import { countTokens as libCountTokens, encode as libEncode } from "gpt-tokenizer";
// The rank table is the vocabulary itself: index = token id, value = the
// token's text, or its raw bytes when those are not valid UTF-8 on their own.
// It is the same module instance the encoder loaded, so this costs nothing.
import o200kRanks from "gpt-tokenizer/bpeRanks/o200k_base";
import { DocumentInputError } from "./errors.js";

// Documents are untrusted text: a literal "<|endoftext|>" in them is prose, not
// a control token. The library's default is to *throw* on such strings; an
// empty disallow-set (and no allow-set) makes them encode as ordinary text.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Longest run of characters of one kind (whitespace, or anything else), in UTF-16 code units,
 * that is handed to the tokenizer in one piece.
 *
 * Why: gpt-tokenizer 4.0's byte-pair merge is quadratic in the length of one pre-tokenized
 * piece (it rescans and splices an array per merge), and o200k's pre-tokenizer makes a whole
 * run without whitespace one piece. Chinese or Japanese prose has no spaces, so 120,000
 * characters were one piece: ~20 s of blocked event loop (`PERF`: 16,000 characters took 2.4 s,
 * 4× the length ≈ 10× the time). Cutting such runs every MAX_RUN units bounds every piece to
 * MAX_RUN + 1 characters (a piece is at most one leading character plus a run), so the cost is
 * linear in the text: 524,288 random CJK characters encode in ~0.6 s in all.
 *
 * What it changes: nothing for text whose runs are all ≤ MAX_RUN (every natural-language word,
 * most URLs): it is encoded exactly as before, token for token. Inside a longer run a cut ends
 * one BPE piece and starts another, so a merge that would have spanned the cut is not made:
 * the count can only grow, by at most a token or two per cut. Measured on repeated Chinese
 * prose (the most mergeable case found): +0.23 % tokens at 256 (+0.47 % at 128, +0.11 % at 512,
 * whose cost is 2.4× that of 256); on random CJK characters: +0.00 %. Token counts and chunk
 * boundaries therefore stay what a model would count to within that margin, and chunks still
 * decode to exactly the text (every cut lies on a character boundary, see `cutBefore`).
 */
export const MAX_RUN = 256;

/** JavaScript's `\s` (the class o200k's pre-tokenizer uses), by code unit; all of it is in the BMP. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

// A cut must not split a surrogate pair (each half would encode as U+FFFD) and should not
// separate a combining mark, variation selector or zero-width joiner from what it modifies.
const JOINS_PREVIOUS = /^[\p{M}\u200D]/u;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** The cut position at or before `at` (and after `floor`) that keeps characters and their marks whole. */
function cutBefore(text: string, at: number, floor: number): number {
  const splitsPair = (i: number) => isLowSurrogate(text.charCodeAt(i)) && isHighSurrogate(text.charCodeAt(i - 1));
  // Look back at most 32 units for a cut that also keeps marks with their base (a run of
  // hundreds of combining marks has none; then only the surrogate rule is kept).
  for (let i = at; i > floor && i > at - 32; i--) {
    if (!splitsPair(i) && !JOINS_PREVIOUS.test(text.slice(i, i + 2)) && text.charCodeAt(i - 1) !== 0x200d) return i;
  }
  return splitsPair(at) ? at - 1 : at;
}

/**
 * `text` cut into the segments that are tokenized separately: one segment (the text itself)
 * unless a run of one kind is longer than MAX_RUN. Concatenated, the segments are `text`.
 */
export function encodingSegments(text: string): string[] {
  const segments: string[] = [];
  let segmentStart = 0;
  let runStart = 0;
  let runSpace = text.length > 0 && isSpace(text.charCodeAt(0));
  for (let i = 1; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (space !== runSpace) {
      runStart = i;
      runSpace = space;
    } else if (i - runStart >= MAX_RUN) {
      const cut = cutBefore(text, i, runStart);
      segments.push(text.slice(segmentStart, cut));
      segmentStart = cut;
      runStart = cut;
    }
  }
  segments.push(text.slice(segmentStart));
  return segments;
}

/** o200k token ids of `text`, encoded segment by segment (see MAX_RUN). Linear in the text's length. */
export function encode(text: string): number[] {
  const segments = encodingSegments(text);
  if (segments.length === 1) return libEncode(text, AS_PLAIN_TEXT);
  const tokens: number[] = [];
  for (const s of segments) for (const t of libEncode(s, AS_PLAIN_TEXT)) tokens.push(t);
  return tokens;
}

/** How many o200k tokens `text` has, counted as `encode` cuts it (see MAX_RUN). Linear in the text's length. */
export function countTokens(text: string): number {
  let n = 0;
  for (const s of encodingSegments(text)) n += libCountTokens(s, AS_PLAIN_TEXT);
  return n;
}

/** One window of the token stream; tokens [tokenStart, tokenEnd) of the whole text. */
export interface TextChunk {
  position: number;
  text: string;
  tokenStart: number;
  tokenEnd: number;
}

const utf8 = new TextEncoder();
// Non-streaming and local: gpt-tokenizer's own decode() shares one *streaming*
// TextDecoder across the process, so a slice ending mid-character silently
// drops those bytes and prepends them to the next, unrelated decode() call.
// ignoreBOM keeps a leading U+FEFF that is part of the text.
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Split `text` into windows of at most `size` tokens, each starting `overlap`
 * tokens before the previous one ended (so the stride is `size - overlap`).
 *
 * A token may hold only part of a multi-byte character (emoji, rare CJK), and
 * decoding such a cut would yield U+FFFD. Window edges are therefore moved to
 * the nearest token boundary that is also a character boundary: ends move
 * back (shorter window), starts move back (more overlap). Only when no such
 * boundary exists inside a window — a single character needing more than
 * `size` tokens, possible for tiny sizes — does the end move forward past
 * `size`, because dropping text would be worse than a slightly long chunk.
 * For text where every token ends on a character (all ASCII, most prose) the
 * windows are exactly size/overlap.
 */
export function chunkText(text: string, opts: { size: number; overlap: number }): TextChunk[] {
  const { size, overlap } = opts;
  if (!Number.isInteger(size) || size < 1) throw new DocumentInputError("chunk size must be an integer >= 1");
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new DocumentInputError("chunk overlap must be an integer >= 0 and smaller than the chunk size");
  }
  if (text.trim() === "") return [];

  const tokens = encode(text);
  const n = tokens.length;
  const { bytes, offsets } = tokenBytes(tokens);
  // A token boundary i is a character boundary when the byte there is not a
  // UTF-8 continuation byte (10xxxxxx); the end of the text always is.
  const safe = (i: number): boolean => i === n || (bytes[offsets[i]!]! & 0xc0) !== 0x80;

  const chunks: TextChunk[] = [];
  let start = 0; // always a character boundary
  let prevEnd = 0;
  for (;;) {
    // End: the furthest safe boundary within `size` that still moves past the
    // previous window (otherwise this window would be contained in it);
    // failing that, the first safe boundary beyond.
    const target = Math.min(start + size, n);
    let end = target;
    const floor = Math.max(start, prevEnd);
    while (end > floor && !safe(end)) end--;
    if (end <= floor) {
      end = Math.max(target, floor + 1); // floor < n here, so this stays in range
      while (!safe(end)) end++;
    }

    chunks.push({
      position: chunks.length,
      text: utf8Decoder.decode(bytes.subarray(offsets[start]!, offsets[end]!)),
      tokenStart: start,
      tokenEnd: end,
    });
    // Stop at the end of the text: no trailing window made only of overlap.
    if (end === n) break;

    // Next start: `overlap` tokens back from this end, but strictly after this
    // start so we always make progress. Prefer moving back (more shared
    // context); if no safe boundary is there, move forward (end is safe).
    prevEnd = end;
    let next = Math.max(end - overlap, start + 1);
    let back = next;
    while (back > start && !safe(back)) back--;
    if (back > start) next = back;
    else while (!safe(next)) next++;
    start = next;
  }
  return chunks;
}

/** The UTF-8 bytes of the token stream and each token's starting byte offset (offsets[n] = total). */
function tokenBytes(tokens: readonly number[]): { bytes: Uint8Array; offsets: number[] } {
  const parts: Uint8Array[] = [];
  const offsets: number[] = [0];
  let total = 0;
  for (const t of tokens) {
    const entry = o200kRanks[t];
    // Special tokens are never produced (see AS_PLAIN_TEXT), so every id is in the table.
    if (entry === undefined) throw new Error(`token ${t} is not in the o200k_base vocabulary`);
    const b = typeof entry === "string" ? utf8.encode(entry) : Uint8Array.from(entry);
    parts.push(b);
    total += b.length;
    offsets.push(total);
  }
  const bytes = new Uint8Array(total);
  parts.forEach((b, i) => {
    bytes.set(b, offsets[i]!);
  });
  return { bytes, offsets };
}
