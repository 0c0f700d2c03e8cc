import type { ScopedExecutor, Visibility } from "./scopedExecutor.js";
import type { Scope } from "../scope/scope.js";
import type { DecisionTraceModel, Page, TokenUsageModel, TracePurpose } from "../services/models.js";

/** What the caller supplies for a trace; id, time, key and principal come from the session. */
export type NewTrace = Pick<
  DecisionTraceModel,
  "scope" | "purpose" | "model" | "promptTokens" | "completionTokens" | "latencyMs" | "sessionId" | "outcome" | "error"
>;

export interface TraceFilter {
  since: string | null;
  until: string | null;
  model: string | null;
  purpose: TracePurpose | null;
  outcome: "SUCCESS" | "ERROR" | null;
}

const FAR_FUTURE = new Date("9999-12-31T00:00:00Z");

/**
 * decision_trace: one row per LLM call, written through the executor like any tenant record,
 * so it carries the caller's effective scope and is guarded by the same permissions. Token
 * usage is computed from these rows (plus, for the management key, the rollups a redaction
 * leaves behind, so past months stay accountable).
 */
export class TraceTable {
  constructor(private readonly x: ScopedExecutor) {}

  async record(t: NewTrace): Promise<void> {
    this.x.assertWritable(t.scope);
    const [rows] = await this.x.query(
      `CREATE type::record('decision_trace', rand::ulid()) SET scope = $scope, purpose = $purpose, model = $model, prompt_tokens = $prompt, completion_tokens = $completion,
         latency_ms = $latency, session = $sess, outcome = $outcome, error = $error, owner = $owner, principal = $principal RETURN id`,
      {
        scope: t.scope,
        purpose: t.purpose,
        model: t.model,
        prompt: t.promptTokens,
        completion: t.completionTokens,
        latency: Math.round(t.latencyMs),
        sess: t.sessionId ? this.x.sessionRecord(t.sessionId) : undefined,
        outcome: t.outcome,
        error: t.error ?? undefined,
        owner: this.x.caller.keyId ?? undefined,
        principal: this.x.caller.principal,
      },
    );
    if (!rows[0]) throw new Error("decision trace refused by table permissions"); // would be an executor bug: traces use the caller's own scope
  }

  private where(
    effective: Scope | null,
    mode: Visibility,
    f: TraceFilter,
  ): { where: string; vars: Record<string, unknown> } {
    const v = this.x.visible(effective, mode);
    const parts = [v.where, "created_at >= $since", "created_at < $until"];
    if (f.model) parts.push("model = $model");
    if (f.purpose) parts.push("purpose = $purpose");
    if (f.outcome) parts.push("outcome = $outcome");
    return {
      where: parts.join(" AND "),
      vars: {
        ...v.vars,
        since: new Date(f.since ?? 0),
        until: f.until ? new Date(f.until) : FAR_FUTURE,
        model: f.model ?? undefined,
        purpose: f.purpose ?? undefined,
        outcome: f.outcome ?? undefined,
      },
    };
  }

  async page(
    effective: Scope | null,
    mode: Visibility,
    f: TraceFilter,
    first: number,
    after: string | null,
  ): Promise<Page<DecisionTraceModel>> {
    const w = this.where(effective, mode, f);
    const [rows] = await this.x.query(
      `SELECT * FROM decision_trace WHERE ${w.where} ${after ? "AND id < type::record('decision_trace', $after)" : ""} ORDER BY id DESC LIMIT $limit`,
      { ...w.vars, after: after ?? undefined, limit: first + 1 },
    );
    return { items: rows.slice(0, first).map((r: any) => this.model(r)), hasNextPage: rows.length > first };
  }

  /** Sums per (scope, model) over the visible traces; the management key also gets redaction rollups. */
  async usage(effective: Scope | null, mode: Visibility, f: TraceFilter): Promise<TokenUsageModel[]> {
    const w = this.where(effective, mode, f);
    const [rows] = await this.x.query(
      `SELECT scope, model, math::sum(prompt_tokens) AS prompt, math::sum(completion_tokens) AS completion, count() AS calls
       FROM decision_trace WHERE ${w.where} GROUP BY scope, model`,
      w.vars,
    );
    const out: TokenUsageModel[] = rows.map((r: any) => usage(r));
    if (this.x.caller.principal === "MANAGEMENT") {
      const [rollups] = await this.x.query(
        `SELECT scope, model, math::sum(prompt) AS prompt, math::sum(completion) AS completion, math::sum(calls) AS calls FROM usage_rollup
         WHERE month_start >= $since AND month_start < $until ${f.model ? "AND model = $model" : ""} GROUP BY scope, model`,
        w.vars,
      );
      out.push(...rollups.map((r: any) => usage(r)));
    }
    return out;
  }

  model(r: any): DecisionTraceModel {
    return {
      id: r.id,
      contextId: this.x.caller.contextId,
      createdAt: r.created_at,
      keyId: r.owner ?? null,
      principal: r.principal ?? null,
      scope: r.scope ?? {},
      purpose: r.purpose,
      model: r.model ?? "",
      promptTokens: r.prompt_tokens ?? 0,
      completionTokens: r.completion_tokens ?? 0,
      latencyMs: r.latency_ms ?? 0,
      sessionId: r.session ?? null,
      outcome: r.outcome ?? "SUCCESS",
      error: r.error ?? null,
    };
  }
}

function usage(r: any): TokenUsageModel {
  const prompt = r.prompt ?? 0;
  const completion = r.completion ?? 0;
  return {
    scope: r.scope ?? {},
    model: r.model ?? null,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    calls: r.calls ?? 0,
  };
}
