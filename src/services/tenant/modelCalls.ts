import { BudgetExceeded, type BudgetBucket, nextMonthStart } from "../../db/budgetLedger.js";
import { TokenLimitExceededError } from "../../domain/errors.js";
import { type ContextConfig, ownValue, type TracePurpose } from "../../domain/models.js";
export type { ModelCallObserver } from "../../domain/models.js";
import { scopeValue, type Scope } from "../../domain/scope.js";
import type { CallPlan, ModelUsage } from "../../providers/languageModel.js";
import type { TenantBinding } from "./binding.js";

export interface CallContext {
  purpose: TracePurpose;
  /** The caller's effective scope for this call: traces carry it, scope budgets key on it. */
  scope: Scope;
  /** Public id of the session the call belongs to, if any. */
  sessionId: string | null;
}

/**
 * The monthly budgets a call at `scope` draws on: the Context's (`tokenLimit`), and its scope
 * bucket's, whose limit is the value's override, else `default`, else `defaultShare` of
 * `tokenLimit` (see ScopeTokenLimits). A call at a scope without the dimension draws on the
 * Context's budget only.
 */
export function budgetBuckets(config: ContextConfig, scope: Scope): BudgetBucket[] {
  const buckets: BudgetBucket[] = [];
  if (config.tokenLimit !== null) buckets.push({ bucket: "*", limit: config.tokenLimit });
  const s = config.scopeTokenLimits;
  const value = s ? scopeValue(scope, s.dimension) : undefined;
  if (s && value !== undefined) {
    const shared =
      s.defaultShare !== null && config.tokenLimit !== null ? Math.floor(config.tokenLimit * s.defaultShare) : null;
    const limit = ownValue(s.overrides, value) ?? s.default ?? shared;
    if (limit !== null && limit !== undefined) buckets.push({ bucket: `${s.dimension}=${value}`, limit });
  }
  return buckets;
}

/**
 * Every LLM call goes through here (issue 4): reserve its worst case against the monthly
 * budgets, run it, settle to the real usage, and write a decision trace in the caller's
 * Context, at the caller's scope, whether the call succeeded or failed.
 * Errors: TOKEN_LIMIT_EXCEEDED (nothing ran), or the provider's failure (traced, then rethrown).
 */
export async function runModelCall<T>(
  binding: TenantBinding,
  call: CallContext,
  plan: CallPlan<T>,
): Promise<T & ModelUsage & { model: string }> {
  const [stored, config, exec] = await Promise.all([binding.context(), binding.config(), binding.executor()]);
  const ledger = binding.deps.ledger;
  let reservation: Awaited<ReturnType<typeof ledger.reserve>>;
  try {
    reservation = await ledger.reserve(stored, budgetBuckets(config, call.scope), plan.worstCaseTokens);
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
    const whose = err.bucket === "*" ? "this Context's" : `the ${err.bucket} scope's`;
    throw new TokenLimitExceededError(
      `${whose} monthly token budget does not cover this call`,
      nextMonthStart(new Date()),
    );
  }
  const started = performance.now();
  const trace = { scope: call.scope, purpose: call.purpose, model: plan.model, sessionId: call.sessionId };
  const observe = (outcome: "SUCCESS" | "ERROR", promptTokens: number, completionTokens: number) =>
    binding.deps.observer?.callFinished({
      contextId: stored.id,
      purpose: call.purpose,
      model: plan.model,
      outcome,
      promptTokens,
      completionTokens,
    });
  let result: T & ModelUsage;
  try {
    result = await plan.run();
  } catch (err) {
    await ledger.settle(stored, reservation, 0);
    observe("ERROR", 0, 0);
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
  await ledger.settle(stored, reservation, result.promptTokens + result.completionTokens);
  observe("SUCCESS", result.promptTokens, result.completionTokens);
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
