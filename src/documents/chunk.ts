/**
 * Token-window chunking with the o200k_base encoding (the one the embedding /
 * chat models we budget for use), so `size` means what the model will count.
 */
import { countTokens as libCountTokens, encode } from "gpt-tokenizer";
// The rank table is the vocabulary itself: index = token id, value = the
// token's text, or its raw bytes when those are not valid UTF-8 on their own.
// It is the same module instance the encoder loaded, so this costs nothing.
import o200kRanks from "gpt-tokenizer/bpeRanks/o200k_base";
import { DocumentInputError } from "./errors.js";

// Documents are untrusted text: a literal "<|endoftext|>" in them is prose, not
// a control token. The library's default is to *throw* on such strings; an
// empty disallow-set (and no allow-set) makes them encode as ordinary text.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  return libCountTokens(text, AS_PLAIN_TEXT);
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

  const tokens = encode(text, AS_PLAIN_TEXT);
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
