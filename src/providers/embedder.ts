import { ownValue } from "../domain/models.js";
import { LOCAL_EMBEDDING_DIMS, localEmbed } from "../recall/localEmbedding.js";
import { CONTEXTUAL_TFIDF_MODEL } from "../recall/vectorTier.js";
import { DEFAULT_BASE_URLS, OpenAICompatibleClient, ProviderError } from "./openaiCompatible.js";
import { ProviderConfigError } from "./openaiCompatible.js";

/** Turns texts into vectors with one named model; `model` is stored next to each vector. */
export interface Embedder {
  readonly model: string;
  /** True when embedding calls a provider: then it is an LLM call, traced and budgeted. */
  readonly remote: boolean;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Tokens the provider reported for the last embed() call of this instance, if it did. */
  readonly lastPromptTokens?: number | null;
  /**
   * False for a model whose vectors are computed at recall time from the rows' stored terms
   * (`local/contextual-tfidf`): nothing is stored per row and the query is not embedded.
   */
  readonly storesVectors?: boolean;
}

export interface ProviderSettings {
  /** Provider name → secret (the Context's write-only `providers`). */
  secrets: Readonly<Record<string, string>>;
  /** Provider name → base URL (the Context's `providerUrls`), for self-hosted compatible servers. */
  baseUrls: Readonly<Record<string, string>>;
}

/** `local/…`: the offline built-in, no network and no weights. Deterministic, so tests and the default install agree. */
class LocalEmbedder implements Embedder {
  readonly remote = false;
  constructor(readonly model: string) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map(localEmbed);
  }
}

/** `local/contextual-tfidf`: the vector tier is computed at recall time (recall/vectorTier.ts); rows store no vector. */
class QueryTimeEmbedder implements Embedder {
  readonly remote = false;
  readonly storesVectors = false;
  readonly model = CONTEXTUAL_TFIDF_MODEL;
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map(() => new Float32Array(0));
  }
}

/** Any other `provider/model`: the provider's OpenAI-compatible `/embeddings` endpoint. */
class RemoteEmbedder implements Embedder {
  private static readonly BATCH = 128;
  readonly remote = true;
  lastPromptTokens: number | null = null;
  constructor(
    readonly model: string,
    private readonly remoteModel: string,
    private readonly client: OpenAICompatibleClient,
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    let reported: number | null = 0;
    for (let i = 0; i < texts.length; i += RemoteEmbedder.BATCH) {
      const batch = texts.slice(i, i + RemoteEmbedder.BATCH);
      const res = await this.client.post<{
        data?: Array<{ index: number; embedding: number[] }>;
        usage?: { prompt_tokens?: number };
      }>("/embeddings", { model: this.remoteModel, input: batch });
      reported =
        reported !== null && typeof res.usage?.prompt_tokens === "number" ? reported + res.usage.prompt_tokens : null;
      const data = [...(res.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== batch.length || data.some((d) => !Array.isArray(d.embedding))) {
        throw new ProviderError(
          `embedding provider for "${this.model}" returned ${data.length} vectors for ${batch.length} inputs`,
        );
      }
      for (const d of data) out.push(normalize(Float32Array.from(d.embedding)));
    }
    this.lastPromptTokens = reported;
    return out;
  }
}

/** Stored vectors are unit length, so cosine is a dot product whoever produced them. */
function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

/** The embedder a Context's `models.embedding` names. A remote provider needs its secret set. */
export function embedderFor(modelSpec: string, providers: ProviderSettings): Embedder {
  const slash = modelSpec.indexOf("/");
  const provider = modelSpec.slice(0, slash);
  const remoteModel = modelSpec.slice(slash + 1);
  if (modelSpec === CONTEXTUAL_TFIDF_MODEL) return new QueryTimeEmbedder();
  if (provider === "local") return new LocalEmbedder(`${modelSpec}@${LOCAL_EMBEDDING_DIMS}`);
  const secret = ownValue(providers.secrets, provider);
  const baseUrl = ownValue(providers.baseUrls, provider) ?? ownValue(DEFAULT_BASE_URLS, provider);
  if (!secret)
    throw new ProviderConfigError(`models.embedding uses provider "${provider}" but the Context has no secret for it`);
  if (!baseUrl)
    throw new ProviderConfigError(
      `models.embedding uses provider "${provider}" but the Context has no providerUrls.${provider}`,
    );
  return new RemoteEmbedder(modelSpec, remoteModel, new OpenAICompatibleClient({ name: provider, baseUrl, secret }));
}
