import { storedTerms } from "../recall/text.js";
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
    const stores = this.embedder.storesVectors !== false;
    return texts.map((text, i) => ({
      // Term map tagged with the analyzer version, so a later analyzer can recognise these rows.
      ...storedTerms(text),
      emb: stores ? embeddingToBytes(vectors[i]!) : null,
      embModel: stores ? this.embedder.model : null,
    }));
  }
}
