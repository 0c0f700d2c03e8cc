import type { TenantService } from "./tenantService.js";
import type { RecallService, RecallHitModel } from "./recallService.js";
import { MAX_QUERY_CHARS } from "./recallService.js";
import type { ModelCalls } from "./modelCalls.js";
import { languageModelFor } from "../providers/languageModel.js";
import { badInput, notFound } from "../errors.js";
import type { MemoryModel } from "./models.js";

export interface AnswerModel {
  text: string;
  citations: Array<Pick<RecallHitModel, "kind" | "memory" | "chunk" | "score">>;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; model: string };
}

/**
 * The LLM-backed operations (issue 4): answers grounded in recall within the caller's floor,
 * and remember-with-inference, which stores a text and the facts its extraction model finds.
 * Every model call goes through ModelCalls (budget, then trace).
 */
export class AnswerService {
  constructor(
    private readonly tenant: TenantService,
    private readonly recall: RecallService,
    private readonly calls: ModelCalls,
  ) {}

  async answer(input: {
    question: string;
    sessionId?: string | null;
    scope?: unknown;
    topK?: number | null;
    contextId?: string | null;
  }): Promise<AnswerModel> {
    const question = input.question.trim();
    if (question.length === 0) throw badInput("question must not be empty");
    if (question.length > MAX_QUERY_CHARS) throw badInput(`question is longer than ${MAX_QUERY_CHARS} characters`);
    const sessionId = input.sessionId ?? null;
    // Turns go to the caller's own sessions only: check before spending tokens.
    if (sessionId) await this.ownSession(sessionId);
    const scope = this.tenant.readScope(input.scope).effective ?? {};
    const { config, providers } = await this.calls.config(input.contextId);
    const model = languageModelFor(config.models.response, { secrets: providers, baseUrls: config.providerUrls });
    const recalled = await this.recall.recall({
      query: question,
      topK: input.topK ?? 8,
      scope: input.scope,
      contextId: input.contextId,
    });
    const passages = recalled.hits.map((h) => ({ id: h.id, text: h.memory?.text ?? h.chunk?.text ?? "" }));
    const result = await this.calls.run(
      { purpose: "RESPONSE", scope, sessionId, contextId: input.contextId },
      model.answer(question, passages),
    );
    if (sessionId) {
      await this.tenant.addTurn(sessionId, { role: "USER", content: question });
      await this.tenant.addTurn(sessionId, { role: "ASSISTANT", content: result.text });
    }
    const byId = new Map(recalled.hits.map((h) => [h.id, h]));
    return {
      text: result.text,
      citations: result.citedIds
        .map((id) => byId.get(id))
        .filter((h): h is RecallHitModel => h !== undefined)
        .map((h) => ({ kind: h.kind, memory: h.memory, chunk: h.chunk, score: h.score })),
      usage: {
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        totalTokens: result.promptTokens + result.completionTokens,
        model: result.model,
      },
    };
  }

  /**
   * Runs the extraction model first (a refused budget writes nothing), then stores the text and
   * its facts in one transaction; each fact points at the text's memory as its source.
   */
  async rememberWithFacts(input: {
    text: string;
    scope?: unknown;
    sessionId?: string | null;
    metadata?: unknown;
    contextId?: string | null;
  }): Promise<MemoryModel> {
    if (input.text.trim().length === 0) throw badInput("text must not be empty");
    const scope = this.tenant.writeScope(input.scope);
    const { config, providers } = await this.calls.config(input.contextId);
    const model = languageModelFor(config.models.extraction, { secrets: providers, baseUrls: config.providerUrls });
    const sessionId = input.sessionId ?? null;
    const { facts } = await this.calls.run(
      { purpose: "EXTRACTION", scope, sessionId, contextId: input.contextId },
      model.extract(input.text),
    );
    const items = [
      { text: input.text, metadata: input.metadata },
      ...facts.map((text) => ({ text, metadata: { extracted: true } })),
    ];
    const [source] = await this.tenant.rememberMany(
      { items, scope: input.scope, sessionId, contextId: input.contextId },
      { linkToFirst: true },
    );
    return source!;
  }

  private async ownSession(sessionId: string): Promise<void> {
    const caller = this.tenant.caller;
    const session = await this.tenant.sessionLoader().load(sessionId);
    if (!session || caller.kind !== "CONTEXT_KEY" || session.owner !== caller.key.id) throw notFound("session");
  }
}
