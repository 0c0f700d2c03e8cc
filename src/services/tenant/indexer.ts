import type { AnalyzedText } from "../../compute/tasks.js";
import { countTokens } from "../../documents/chunk.js";
import { embedderFor, type Embedder } from "../../providers/embedder.js";
import { embeddingToBytes } from "../../recall/localEmbedding.js";
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

/** UTF-16 code units of a batch: what decides whether its analysis runs inline or in a worker. */
const charsOf = (texts: readonly string[]) => texts.reduce((n, t) => n + t.length, 0);

/**
 * Write-time indexing: the analyzer's term frequencies for the lexical tier and the Context's
 * embedding for the vector tier. Done in the gateway, so the database keeps no full-text
 * index (SurrealDB's costs 1–2 ms per row and keeps table-wide statistics). The analysis (and
 * a local embedding) runs on the binding's compute pool: in a worker thread for large batches.
 */
export class Indexer {
  /**
   * `embed` is the embedder's own call, or for a remote one the same call wrapped in a model
   * call (trace + budget) whose prompt is `promptTokens` (o200k tokens of the texts).
   */
  constructor(
    readonly embedder: Embedder,
    private readonly binding: TenantBinding,
    readonly embed: (texts: readonly string[], promptTokens?: number) => Promise<Float32Array[]> = (t) =>
      embedder.embed(t),
  ) {}

  /** Analyzes and embeds `texts`, in order. Errors: the embedder's; the request's abort reason. */
  async index(texts: readonly string[]): Promise<IndexedText[]> {
    const remote = this.embedder.remote;
    const analyzed = await this.binding.deps.compute.run(
      "analyzeTexts",
      { texts, localEmbedding: this.storesLocalVectors, countTokens: remote },
      { chars: charsOf(texts), signal: this.binding.signal },
    );
    return this.complete(texts, analyzed);
  }

  /**
   * Texts analyzed elsewhere (a document's chunks, prepared in one task with their token counts)
   * plus their vectors: the local embedding they carry, or the remote embedder's.
   */
  async complete(texts: readonly string[], analyzed: readonly AnalyzedText[]): Promise<IndexedText[]> {
    const vectors = this.embedder.remote
      ? await this.embed(
          texts,
          analyzed.reduce((n, a) => n + (a.tokens ?? 0), 0),
        )
      : null;
    // A query-time model (local/contextual-tfidf) stores no vector: it scores from the terms.
    const stores = this.embedder.storesVectors !== false;
    return analyzed.map((a, i) => ({
      terms: a.terms,
      len: a.len,
      emb: !stores ? null : vectors ? embeddingToBytes(vectors[i]!) : a.emb,
      embModel: stores ? this.embedder.model : null,
    }));
  }

  /** The Context embeds with the built-in hashing embedding: it is computed with the analysis. */
  get storesLocalVectors(): boolean {
    return !this.embedder.remote && this.embedder.storesVectors !== false;
  }
}

/**
 * The binding's indexer: its Context's embedding model, read per request. A remote embedding
 * model's calls are LLM calls: traced at `scope` and budgeted.
 */
export async function indexerFor(binding: TenantBinding, scope: Scope): Promise<Indexer> {
  const [stored, config] = await Promise.all([binding.context(), binding.config()]);
  const embedder = embedderFor(config.models.embedding, { secrets: stored.providers, baseUrls: config.providerUrls });
  if (!embedder.remote) return new Indexer(embedder, binding);
  return new Indexer(embedder, binding, async (texts, promptTokens) => {
    // A query's embedding (one short text) is counted here; batches arrive counted by the pool.
    const prompt = promptTokens ?? texts.reduce((n, t) => n + countTokens(t), 0);
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
