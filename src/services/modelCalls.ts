import type { TenantService } from "./tenantService.js";
import type { BudgetBucket, BudgetLedger } from "../db/budgetLedger.js";
import { BudgetExceeded, nextMonthStart } from "../db/budgetLedger.js";
import type { CallPlan, ModelUsage } from "../providers/languageModel.js";
import { gqlError } from "../errors.js";
import type { Metrics } from "../http/metrics.js";
import type { Scope } from "../scope/scope.js";
import type { ContextConfig, TracePurpose } from "./models.js";

export interface CallContext {
  purpose: TracePurpose;
  /** The caller's effective scope for this call: traces carry it, scope budgets key on it. */
  scope: Scope;
  sessionId: string | null;
  contextId?: string | null;
}

/** The monthly budgets a call at `scope` draws on: the Context's, and its scope bucket's. */
export function budgetBuckets(config: ContextConfig, scope: Scope): BudgetBucket[] {
  const buckets: BudgetBucket[] = [];
  if (config.tokenLimit !== null) buckets.push({ bucket: "*", limit: config.tokenLimit });
  const s = config.scopeTokenLimits;
  const value = s ? scope[s.dimension] : undefined;
  if (s && value !== undefined) {
    const limit = s.overrides[value] ?? s.default;
    if (limit !== null && limit !== undefined) buckets.push({ bucket: `${s.dimension}=${value}`, limit });
  }
  return buckets;
}

/**
 * Every LLM call goes through here (issue 4): reserve its worst case against the monthly
 * budgets, run it, settle to the real usage, and write a decision trace in the caller's
 * Context, at the caller's scope, whether the call succeeded or failed.
 */
export class ModelCalls {
  constructor(
    private readonly tenant: TenantService,
    private readonly ledger: BudgetLedger,
    private readonly metrics?: Metrics,
  ) {}

  async config(contextId?: string | null): Promise<{ config: ContextConfig; providers: Record<string, string> }> {
    const { stored, config } = await this.tenant.contextConfig(contextId);
    return { config, providers: stored.providers };
  }

  async run<T>(call: CallContext, plan: CallPlan<T>): Promise<T & ModelUsage & { model: string }> {
    const { stored, config } = await this.tenant.contextConfig(call.contextId);
    const exec = await this.tenant.exec(call.contextId);
    let reservation: Awaited<ReturnType<BudgetLedger["reserve"]>>;
    try {
      reservation = await this.ledger.reserve(stored, budgetBuckets(config, call.scope), plan.worstCaseTokens);
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      const whose = err.bucket === "*" ? "this Context's" : `the ${err.bucket} scope's`;
      throw gqlError("TOKEN_LIMIT_EXCEEDED", `${whose} monthly token budget does not cover this call`, {
        resetsAt: nextMonthStart(new Date()),
      });
    }
    const started = performance.now();
    const trace = { scope: call.scope, purpose: call.purpose, model: plan.model, sessionId: call.sessionId };
    let result: T & ModelUsage;
    try {
      result = await plan.run();
    } catch (err) {
      await this.ledger.settle(stored, reservation, 0);
      this.metrics?.llmCalls.inc({ context: stored.id, purpose: call.purpose, model: plan.model, outcome: "ERROR" });
      await exec.traces.record({
        ...trace,
        promptTokens: 0,
        completionTokens: 0,
        latencyMs: performance.now() - started,
        outcome: "ERROR",
        error: (err as Error).message.slice(0, 300),
      });
      throw err;
    }
    await this.ledger.settle(stored, reservation, result.promptTokens + result.completionTokens);
    const labels = { context: stored.id, purpose: call.purpose, model: plan.model };
    this.metrics?.llmCalls.inc({ ...labels, outcome: "SUCCESS" });
    this.metrics?.llmTokens.inc({ ...labels, kind: "prompt" }, result.promptTokens);
    this.metrics?.llmTokens.inc({ ...labels, kind: "completion" }, result.completionTokens);
    await exec.traces.record({
      ...trace,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      latencyMs: performance.now() - started,
      outcome: "SUCCESS",
      error: null,
    });
    return { ...result, model: plan.model };
  }
}
