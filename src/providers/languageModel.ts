import { ownValue } from "../domain/models.js";
import { countTokens } from "../documents/chunk.js";
import { extractFacts, extractiveAnswer, type Passage } from "./localModel.js";
import { DEFAULT_BASE_URLS, OpenAICompatibleClient, type ProviderEndpoint } from "./openaiCompatible.js";
import type { ProviderSettings } from "./embedder.js";
import { ProviderConfigError } from "./openaiCompatible.js";

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
}
export type { Passage };

/** What one LLM call costs at most, for the budget reservation made before it runs. */
export interface CallPlan<T> {
  model: string;
  /** Prompt tokens (real tokenizer) + the completion cap. */
  worstCaseTokens: number;
  run(): Promise<T & ModelUsage>;
}

/**
 * The two jobs the gateway gives a language model. `local/…` runs offline and deterministic
 * (extractive, no weights); any other `provider/model` is an OpenAI-compatible chat endpoint.
 * Both report usage with the same rule: the provider's `usage` when it sends one, else a real
 * tokenizer (o200k) over the exact prompt and completion text.
 */
export interface LanguageModel {
  readonly model: string;
  extract(text: string): CallPlan<{ facts: string[] }>;
  answer(question: string, passages: readonly Passage[]): CallPlan<{ text: string; citedIds: string[] }>;
  /**
   * The same answer, its text handed to `onText` piece by piece while the call runs (the pieces
   * joined are the returned `text`); usage, citations and the budget rule are those of `answer`.
   */
  answerStream(
    question: string,
    passages: readonly Passage[],
    onText: (piece: string) => void,
  ): CallPlan<{ text: string; citedIds: string[] }>;
}

/** Pieces the local model streams: a few words each, whitespace kept so the pieces join to the text. */
const LOCAL_PIECE_WORDS = 4;

/** `text` cut after every `words`-th run of whitespace: ["Bob prefers ", "tea."] joins back to `text`. */
export function textPieces(text: string, words = LOCAL_PIECE_WORDS): string[] {
  const tokens = text.match(/\S+\s*|\s+/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < tokens.length; i += words) pieces.push(tokens.slice(i, i + words).join(""));
  return pieces;
}

const EXTRACT_MAX_TOKENS = 1024;
const ANSWER_MAX_TOKENS = 512;

const EXTRACT_SYSTEM =
  "Extract standalone facts worth remembering from the user's text. Answer with a JSON array of strings only.";
const ANSWER_SYSTEM =
  "Answer the question using only the numbered passages. Cite passages as [n]. If they do not contain the answer, say so.";

function extractMessages(text: string) {
  return [
    { role: "system", content: EXTRACT_SYSTEM },
    { role: "user", content: text },
  ];
}

function answerMessages(question: string, passages: readonly Passage[]) {
  const context = passages.map((p, i) => `[${i + 1}] ${p.text}`).join("\n");
  return [
    { role: "system", content: ANSWER_SYSTEM },
    { role: "user", content: `Passages:\n${context}\n\nQuestion: ${question}` },
  ];
}

const promptTokens = (messages: Array<{ content: string }>) =>
  messages.reduce((n, m) => n + countTokens(m.content) + 4, 3);

class LocalLanguageModel implements LanguageModel {
  constructor(readonly model: string) {}

  extract(text: string): CallPlan<{ facts: string[] }> {
    const prompt = promptTokens(extractMessages(text));
    return {
      model: this.model,
      worstCaseTokens: prompt + EXTRACT_MAX_TOKENS,
      run: async () => {
        // Stay inside the reservation like a remote model's max_tokens would.
        const facts = extractFacts(text);
        while (facts.length > 0 && countTokens(JSON.stringify(facts)) > EXTRACT_MAX_TOKENS) facts.pop();
        return { facts, promptTokens: prompt, completionTokens: countTokens(JSON.stringify(facts)) };
      },
    };
  }

  answer(question: string, passages: readonly Passage[]): CallPlan<{ text: string; citedIds: string[] }> {
    const prompt = promptTokens(answerMessages(question, passages));
    return {
      model: this.model,
      worstCaseTokens: prompt + ANSWER_MAX_TOKENS,
      run: async () => {
        let a = extractiveAnswer(question, passages);
        for (let n = 2; n >= 1 && countTokens(a.text) > ANSWER_MAX_TOKENS; n--)
          a = extractiveAnswer(question, passages, n);
        while (countTokens(a.text) > ANSWER_MAX_TOKENS)
          a = { ...a, text: a.text.slice(0, Math.floor(a.text.length * 0.8)) };
        return { ...a, promptTokens: prompt, completionTokens: countTokens(a.text) };
      },
    };
  }

  answerStream(question: string, passages: readonly Passage[], onText: (piece: string) => void) {
    const plan = this.answer(question, passages);
    return {
      ...plan,
      run: async () => {
        const result = await plan.run();
        // The extractive answer exists at once; it is still handed out in pieces, one per turn
        // of the event loop, so each reaches the client as its own event like a remote stream's.
        for (const piece of textPieces(result.text)) {
          onText(piece);
          await new Promise((r) => setImmediate(r));
        }
        return result;
      },
    };
  }
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

class RemoteLanguageModel implements LanguageModel {
  constructor(
    readonly model: string,
    private readonly remoteModel: string,
    private readonly client: OpenAICompatibleClient,
  ) {}

  private plan<T>(
    messages: Array<{ role: string; content: string }>,
    maxTokens: number,
    parse: (content: string) => T,
  ): CallPlan<T> {
    const prompt = promptTokens(messages);
    return {
      model: this.model,
      worstCaseTokens: prompt + maxTokens,
      run: async () => {
        const res = await this.client.post<ChatCompletion>("/chat/completions", {
          model: this.remoteModel,
          messages,
          temperature: 0,
          max_tokens: maxTokens,
        });
        const content = res.choices?.[0]?.message?.content ?? "";
        return {
          ...parse(content),
          promptTokens: res.usage?.prompt_tokens ?? prompt,
          completionTokens: res.usage?.completion_tokens ?? countTokens(content),
        };
      },
    };
  }

  answerStream(question: string, passages: readonly Passage[], onText: (piece: string) => void) {
    const messages = answerMessages(question, passages);
    const prompt = promptTokens(messages);
    return {
      model: this.model,
      worstCaseTokens: prompt + ANSWER_MAX_TOKENS,
      run: async () => {
        let content = "";
        let usage: ChatCompletion["usage"] | undefined;
        // OpenAI's streaming protocol: `data: {choices:[{delta:{content}}]}` events, then (asked for
        // with include_usage) one event whose `usage` counts the whole call, then `data: [DONE]`.
        await this.client.postStream(
          "/chat/completions",
          {
            model: this.remoteModel,
            messages,
            temperature: 0,
            max_tokens: ANSWER_MAX_TOKENS,
            stream: true,
            stream_options: { include_usage: true },
          },
          (event: ChatCompletionChunk) => {
            const piece = event.choices?.[0]?.delta?.content;
            if (typeof piece === "string" && piece.length > 0) {
              content += piece;
              onText(piece);
            }
            if (event.usage) usage = event.usage;
          },
        );
        return {
          ...citedAnswer(content, passages),
          promptTokens: usage?.prompt_tokens ?? prompt,
          completionTokens: usage?.completion_tokens ?? countTokens(content),
        };
      },
    };
  }

  extract(text: string) {
    return this.plan(extractMessages(text), EXTRACT_MAX_TOKENS, (content) => ({ facts: parseFacts(content) }));
  }

  answer(question: string, passages: readonly Passage[]) {
    return this.plan(answerMessages(question, passages), ANSWER_MAX_TOKENS, (content) =>
      citedAnswer(content, passages),
    );
  }
}

/** One event of a streamed chat completion. */
interface ChatCompletionChunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** The answer's text and the passages it cites as [n]. */
function citedAnswer(content: string, passages: readonly Passage[]): { text: string; citedIds: string[] } {
  const cited = [...content.matchAll(/\[(\d+)\]/g)]
    .map((m) => passages[Number(m[1]) - 1]?.id)
    .filter((id): id is string => !!id);
  return { text: content.trim(), citedIds: [...new Set(cited)] };
}

/** A JSON array of strings if the model followed instructions, else one fact per non-empty line. */
function parseFacts(content: string): string[] {
  const trimmed = content.trim().replace(/^```(?:json)?\s*|\s*```$/g, "");
  try {
    const parsed = JSON.parse(trimmed);
    if (Array.isArray(parsed))
      return parsed
        .filter((f): f is string => typeof f === "string" && f.trim().length > 0)
        .map((f) => f.trim())
        .slice(0, 50);
  } catch {
    // not JSON: fall back to lines
  }
  return trimmed
    .split("\n")
    .map((l) => l.replace(/^\s*(?:[-*]|\d+\.)\s*/, "").trim())
    .filter((l) => l.length > 0)
    .slice(0, 50);
}

/** The model a Context's `models.extraction` / `models.response` names. */
export function languageModelFor(modelSpec: string, providers: ProviderSettings): LanguageModel {
  const slash = modelSpec.indexOf("/");
  const provider = modelSpec.slice(0, slash);
  if (provider === "local") return new LocalLanguageModel(modelSpec);
  const secret = ownValue(providers.secrets, provider);
  const baseUrl = ownValue(providers.baseUrls, provider) ?? ownValue(DEFAULT_BASE_URLS, provider);
  if (!secret)
    throw new ProviderConfigError(
      `model "${modelSpec}" needs a secret for provider "${provider}" in the Context's providers`,
    );
  if (!baseUrl)
    throw new ProviderConfigError(`model "${modelSpec}" needs providerUrls.${provider} in the Context's config`);
  const endpoint: ProviderEndpoint = { name: provider, baseUrl, secret };
  return new RemoteLanguageModel(modelSpec, modelSpec.slice(slash + 1), new OpenAICompatibleClient(endpoint));
}
