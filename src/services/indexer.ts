import { analyze, termFrequencies } from "../recall/text.js";
import { embeddingToBytes } from "../recall/localEmbedding.js";
import type { Embedder } from "../providers/embedder.js";

/** What a recallable record stores for the recall tiers (see db/partitionedTable.ts). */
export interface IndexedText {
  terms: Record<string, number>;
  len: number;
  emb: Uint8Array | null;
  embModel: string | null;
}

/**
 * Write-time indexing: the analyzer's term frequencies for the lexical tier and the Context's
 * embedding for the vector tier. Done in the gateway, so the database keeps no full-text
 * index (SurrealDB's costs 1–2 ms per row and keeps table-wide statistics).
 */
export class Indexer {
  /** `embed` is the embedder's own call, or for a remote one the same call wrapped in ModelCalls (trace + budget). */
  constructor(
    readonly embedder: Embedder,
    readonly embed: (texts: readonly string[]) => Promise<Float32Array[]> = (t) => embedder.embed(t),
  ) {}

  async index(texts: readonly string[]): Promise<IndexedText[]> {
    const vectors = await this.embed(texts);
    return texts.map((text, i) => {
      const terms = analyze(text);
      return {
        terms: Object.fromEntries(termFrequencies(terms)),
        len: terms.length,
        emb: embeddingToBytes(vectors[i]!),
        embModel: this.embedder.model,
      };
    });
  }
}
