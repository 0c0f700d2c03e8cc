import { ConflictError, NotFoundError } from "../../domain/errors.js";
import type { MemoryModel } from "../../domain/models.js";
import type { Scope } from "../../domain/scope.js";
import { languageModelFor } from "../../providers/languageModel.js";
import type { TenantBinding } from "./binding.js";
import { MAX_TEXT, metadataOf, storableText } from "./inputs.js";
import { LiveStream, type LiveSupport, PieceChannel } from "./live.js";
import { runModelCall } from "./modelCalls.js";
import { storeMemories } from "./memories.js";
import { checkQuery, recall, type RecallHitModel } from "./retrieval.js";
import { appendTurn, loadSession } from "./sessions.js";

/** The arguments of `answer` and `answerStream` (AnswerInput). */
export interface AnswerArgs {
  question: string;
  sessionId?: string | null;
  scope?: Scope | null;
  topK?: number | null;
}

/** One `AnswerChunk`: a piece of text, or the final chunk with citations and usage. */
export interface AnswerChunkModel {
  text: string;
  done: boolean;
  citations: AnswerModel["citations"] | null;
  usage: AnswerModel["usage"] | null;
}

export interface AnswerModel {
  text: string;
  citations: Array<Pick<RecallHitModel, "kind" | "memory" | "chunk" | "score">>;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; model: string };
}

/**
 * The LLM-backed operations (issue 4): answers grounded in recall within the caller's floor,
 * and remember-with-inference, which stores a text and the facts its extraction model finds.
 * Every model call goes through runModelCall (budget, then trace).
 */
export class AnswerService {
  constructor(private readonly binding: TenantBinding) {}

  /**
   * Recall within the floor, then the response model. With a `sessionId` of the caller's own,
   * the question and the answer become turns of it. Errors: BAD_USER_INPUT, NOT_FOUND (a session
   * that is not the caller's: checked before any token is spent), TOKEN_LIMIT_EXCEEDED.
   */
  async answer(input: AnswerArgs): Promise<AnswerModel> {
    const prepared = await this.prepare(input);
    const result = await runModelCall(
      this.binding,
      { purpose: "RESPONSE", scope: prepared.scope, sessionId: prepared.sessionId },
      prepared.model.answer(prepared.question, prepared.passages),
    );
    return this.finish(prepared, result);
  }

  /**
   * `answer` as a stream (the `answerStream` subscription): every check of `answer` runs before
   * the stream starts (errors at subscribe: BAD_USER_INPUT, NOT_FOUND, FORBIDDEN,
   * SUBSCRIPTION_LIMIT); then the response model's text arrives in pieces (`done: false`), and a
   * final chunk (`done: true`, empty text) carries the citations and usage. It is the same model
   * call as `answer`: budgeted first (TOKEN_LIMIT_EXCEEDED ends the stream before any piece) and
   * traced once. A client that goes away does not stop the call it already paid for: the call
   * finishes, is traced, and its turns are recorded.
   */
  async answerStream(input: AnswerArgs, support: LiveSupport): Promise<AsyncIterableIterator<unknown>> {
    const prepared = await this.prepare(input);
    const release = support.acquire();
    const pieces = new PieceChannel<AnswerChunkModel>();
    const plan = prepared.model.answerStream(prepared.question, prepared.passages, (text) =>
      pieces.push({ text, done: false, citations: null, usage: null }),
    );
    runModelCall(this.binding, { purpose: "RESPONSE", scope: prepared.scope, sessionId: prepared.sessionId }, plan)
      .then((result) => this.finish(prepared, result))
      .then(({ citations, usage }) => {
        pieces.push({ text: "", done: true, citations, usage });
        pieces.end();
      })
      .catch((err: Error) => pieces.fail(err));
    return new LiveStream(
      "answerStream",
      pieces,
      (chunk) => chunk,
      support,
      release,
      () => pieces.failure,
    );
  }

  /**
   * What `answer` and `answerStream` check and gather before the model runs: everything that
   * could refuse the request afterwards (the question as a turn, the session being the caller's
   * and still open) is checked here, so no refused request is ever billed or traced.
   */
  private async prepare(input: AnswerArgs) {
    const question = checkQuery(input.question.trim(), "question");
    const sessionId = input.sessionId ?? null;
    if (sessionId !== null) {
      // The question becomes a turn: it must be storable as it is.
      storableText(question, "question", { max: MAX_TEXT });
      await this.ownSession(sessionId, { open: true });
    }
    const scope = this.binding.access.write(input.scope);
    const [stored, config] = await Promise.all([this.binding.context(), this.binding.config()]);
    const model = languageModelFor(config.models.response, {
      secrets: stored.providers,
      baseUrls: config.providerUrls,
    });
    const recalled = await recall(this.binding, { query: question, topK: input.topK ?? 8, scope: input.scope });
    const passages = recalled.hits.map((h) => ({ id: h.id, text: h.memory?.text ?? h.chunk?.text ?? "" }));
    return { question, sessionId, scope, model, hits: recalled.hits, passages };
  }

  /** Records the turns (with a session) and shapes the answer. */
  private async finish(
    prepared: Awaited<ReturnType<AnswerService["prepare"]>>,
    result: { text: string; citedIds: string[]; promptTokens: number; completionTokens: number; model: string },
  ): Promise<AnswerModel> {
    const { sessionId, question } = prepared;
    if (sessionId !== null) {
      await appendTurn(this.binding, sessionId, "USER", question);
      const answer = storableModelText(result.text);
      // A blank answer (a model can return one) is no turn: a turn's content is never empty.
      if (answer.trim().length > 0) await appendTurn(this.binding, sessionId, "ASSISTANT", answer);
    }
    const byId = new Map(prepared.hits.map((h) => [h.id, h]));
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
   * its facts in one transaction; each fact points at the text's memory as its source. Every
   * check of the input (text, metadata, scope, session) runs before the model is called, so a
   * refused input is never billed or traced. Facts are model output: made storable (see
   * storableModelText), and empty ones dropped, so they cannot fail the write either.
   */
  async rememberWithFacts(input: {
    text: string;
    scope?: Scope | null;
    sessionId?: string | null;
    metadata?: unknown;
  }): Promise<MemoryModel> {
    storableText(input.text, "text");
    metadataOf(input.metadata);
    const scope = this.binding.access.write(input.scope);
    const sessionId = input.sessionId ?? null;
    if (sessionId !== null && !(await loadSession(this.binding, sessionId))) throw new NotFoundError("session");
    const [stored, config] = await Promise.all([this.binding.context(), this.binding.config()]);
    const model = languageModelFor(config.models.extraction, {
      secrets: stored.providers,
      baseUrls: config.providerUrls,
    });
    const { facts } = await runModelCall(
      this.binding,
      { purpose: "EXTRACTION", scope, sessionId },
      model.extract(input.text),
    );
    const items = [
      { text: input.text, metadata: input.metadata },
      ...facts
        .map((fact) => storableModelText(fact))
        .filter((fact) => fact.trim().length > 0)
        .map((text) => ({ text, metadata: { extracted: true } })),
    ];
    const [source] = await storeMemories(this.binding, { items, scope: input.scope, sessionId }, { linkToFirst: true });
    return source!;
  }

  /** Turns go to the caller's own sessions only, and with `open`, to one not ended. Errors: NOT_FOUND, CONFLICT. */
  private async ownSession(sessionId: string, opts: { open?: boolean } = {}): Promise<void> {
    const session = await loadSession(this.binding, sessionId);
    if (!session || !this.binding.access.owns(session)) throw new NotFoundError("session");
    if (opts.open && session.endedAt !== null) throw new ConflictError("session has ended");
  }
}

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Model output as text that storage keeps exactly (domain/text.ts): lone surrogates become
 * U+FFFD (what storage would make of them), a leading U+FEFF goes, and the text is cut to `max`
 * UTF-16 units without splitting a surrogate pair. A model's answer is already paid for when it
 * arrives: it must not then fail the write it belongs to.
 */
export function storableModelText(text: string, max = MAX_TEXT): string {
  const clean = text.replace(LONE_SURROGATES, "\uFFFD").replace(/^\uFEFF+/, "");
  if (clean.length <= max) return clean;
  const last = clean.charCodeAt(max - 1);
  return clean.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
