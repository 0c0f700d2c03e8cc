/**
 * The CPU-heavy work of a write, as pure functions of plain data: they run in a worker thread
 * (`worker.mjs`, through `ComputePool`) for large inputs, or inline for small ones, and give
 * the same result either way. Inputs and outputs survive structured cloning (no classes, no
 * functions); embeddings travel as their stored bytes.
 */
import { BadUserInputError } from "../domain/errors.js";
import { chunkText, countTokens } from "../documents/chunk.js";
import { reduceToText } from "../documents/reduce.js";
import { embeddingToBytes, localEmbed } from "../recall/localEmbedding.js";
import { storedTerms } from "../recall/text.js";

/** What the recall tiers store for one text (see db/tables/partitionedTable.ts `RecallableFields`). */
export interface AnalyzedText {
  /** Analyzed term → frequency (the lexical tier), tagged with the analyzer version (recall/text.ts storedTerms). */
  terms: Record<string, number>;
  /** Number of analyzed terms (BM25's document length). */
  len: number;
  /** The local hash embedding as stored bytes (little-endian float32 × 256), when asked for. */
  emb: Uint8Array | null;
  /** o200k tokens of the text, when asked for (a remote embedding call's prompt size). */
  tokens: number | null;
}

export interface AnalyzeInput {
  texts: readonly string[];
  /** Compute the local embedding (the Context embeds with `local/…`). */
  localEmbedding: boolean;
  /** Count each text's o200k tokens (the Context embeds remotely and budgets the call). */
  countTokens: boolean;
}

/** Terms, length and optionally the local embedding and token count of each text, in order. */
export function analyzeTexts(input: AnalyzeInput): AnalyzedText[] {
  return input.texts.map((text) => {
    const { terms, len } = storedTerms(text);
    return {
      terms,
      len,
      emb: input.localEmbedding ? embeddingToBytes(localEmbed(text)) : null,
      tokens: input.countTokens ? countTokens(text) : null,
    };
  });
}

export interface PrepareDocumentInput {
  /** The uploaded content (already without its byte-order mark). */
  content: string;
  mimeType: string;
  /** The Context's chunking, in o200k tokens. */
  chunking: { size: number; overlap: number };
  localEmbedding: boolean;
}

export interface PreparedChunk extends AnalyzedText {
  position: number;
  text: string;
  /** Tokens [tokenStart, tokenEnd) of the document's reduced text. */
  tokenStart: number;
  tokenEnd: number;
}

export interface PreparedDocument {
  /** o200k tokens of the whole reduced text. */
  tokens: number;
  chunks: PreparedChunk[];
}

/**
 * Reduce (HTML, Markdown, JSON → text), tokenize, chunk and analyze one document: everything
 * an upload computes before its one write transaction. Errors: BAD_USER_INPUT (DocumentInputError)
 * for content that cannot be reduced or has no text.
 */
export function prepareDocument(input: PrepareDocumentInput): PreparedDocument {
  const text = reduceToText(input.content, input.mimeType);
  if (text.length === 0) throw new BadUserInputError("document has no text content", "content");
  const pieces = chunkText(text, input.chunking);
  const analyzed = analyzeTexts({
    texts: pieces.map((p) => p.text),
    localEmbedding: input.localEmbedding,
    countTokens: false,
  });
  return {
    tokens: pieces.at(-1)?.tokenEnd ?? 0,
    chunks: pieces.map((p, i) => ({ ...analyzed[i]!, ...p, tokens: p.tokenEnd - p.tokenStart })),
  };
}

/** o200k tokens of each text (prompt sizes of large model calls). */
export function countTokensOf(input: { texts: readonly string[] }): number[] {
  return input.texts.map(countTokens);
}

/** Every task by name: the one table the pool, the worker and the inline path share. */
export const TASKS = {
  analyzeTexts,
  prepareDocument,
  countTokensOf,
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = ReturnType<(typeof TASKS)[N]>;

/** A task's outcome as it crosses threads: structured cloning keeps an Error's message but not its class. */
export type TaskResult = { ok: true; value: unknown } | { ok: false; message: string; field: string | undefined };

/**
 * The worker side: runs `name` on `input`. The client's own mistakes (BadUserInputError) come
 * back as data so the pool can throw the same class on the main thread; anything else is a
 * bug and is thrown (the pool rejects with it, and it is masked as INTERNAL_SERVER_ERROR).
 */
export function runTask(message: { name: TaskName; input: unknown }): TaskResult {
  const task = TASKS[message.name] as (input: unknown) => unknown;
  if (typeof task !== "function") throw new Error(`unknown compute task "${String(message.name)}"`);
  try {
    return { ok: true, value: task(message.input) };
  } catch (err) {
    if (err instanceof BadUserInputError) {
      return { ok: false, message: err.message, field: err.extensions.field as string | undefined };
    }
    throw err;
  }
}
