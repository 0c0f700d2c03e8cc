import { countTokens } from "../../documents/chunk.js";
import { embedderFor, type Embedder } from "../../providers/embedder.js";
import { embeddingToBytes } from "../../recall/localEmbedding.js";
import { storedTerms } from "../../recall/text.js";
import type { Scope } from "../../domain/scope.js";
import type { TenantBinding } from "./binding.js";
import { runModelCall } from "./modelCalls.js";

/** What a recallable record stores for the recall tiers (see db/tables/partitionedTable.ts). */
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
  /** `embed` is the embedder's own call, or for a remote one the same call wrapped in a model call (trace + budget). */
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

/**
 * The binding's indexer: its Context's embedding model, read per request. A remote embedding
 * model's calls are LLM calls: traced at `scope` and budgeted.
 */
export async function indexerFor(binding: TenantBinding, scope: Scope): Promise<Indexer> {
  const [stored, config] = await Promise.all([binding.context(), binding.config()]);
  const embedder = embedderFor(config.models.embedding, { secrets: stored.providers, baseUrls: config.providerUrls });
  if (!embedder.remote) return new Indexer(embedder);
  return new Indexer(embedder, async (texts) => {
    const prompt = texts.reduce((n, t) => n + countTokens(t), 0);
    const { vectors } = await runModelCall(
      binding,
      { purpose: "EMBEDDING", scope, sessionId: null },
      {
        model: embedder.model,
        worstCaseTokens: prompt,
        run: async () => {
          const vectors = await embedder.embed(texts);
          return { vectors, promptTokens: embedder.lastPromptTokens ?? prompt, completionTokens: 0 };
        },
      },
    );
    return vectors;
  });
}
