import { BadUserInputError, NotFoundError } from "../../domain/errors.js";
import type { DecisionTraceModel, TokenUsageModel, TracePurpose } from "../../domain/models.js";
import { DIMENSION_PATTERN, scopeKey, scopeValue, type Scope } from "../../domain/scope.js";
import type { TraceFilter } from "../../db/tables/traceTable.js";
import type { TenantBinding } from "./binding.js";
import { type PageArgs, pagedList } from "./inputs.js";

export interface TraceFilterInput {
  since?: string | null;
  until?: string | null;
  model?: string | null;
  purpose?: TracePurpose | null;
  outcome?: "SUCCESS" | "ERROR" | null;
  scope?: Scope | null;
}

/** Latest instant a JS Date (and the database's datetime) represents exactly: ±8.64e15 ms. */
function instant(value: string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new BadUserInputError(`${field} must be an ISO-8601 date-time`, field);
  return new Date(ms);
}

function traceFilter(f: TraceFilterInput): TraceFilter {
  return {
    since: instant(f.since, "since"),
    until: instant(f.until, "until"),
    model: f.model ?? null,
    purpose: f.purpose ?? null,
    outcome: f.outcome ?? null,
  };
}

/**
 * Token usage and decision traces. A context key's usage covers every call made at or under its
 * floor (DESIGN §3), so a tenant's figure equals the operator's figure for that tenant.
 */
export class UsageService {
  constructor(private readonly binding: TenantBinding) {}

  /**
   * Sums per scope and model; `groupBy` projects each trace's scope onto those dimensions
   * (e.g. ["org"]: per-tenant consumption of a shared Context). Errors: BAD_USER_INPUT.
   */
  async tokenUsage(args: {
    since?: string | null;
    until?: string | null;
    groupBy?: readonly string[] | null;
    model?: string | null;
  }): Promise<TokenUsageModel[]> {
    const groupBy = args.groupBy ?? null;
    for (const d of groupBy ?? []) {
      if (!DIMENSION_PATTERN.test(d))
        throw new BadUserInputError(`groupBy "${d.slice(0, 40)}" is not a scope dimension`, "groupBy");
    }
    const view = this.binding.access.usage(null);
    const rows = await (await this.binding.executor()).traces.usage(view, traceFilter(args));
    const groups = new Map<string, TokenUsageModel>();
    for (const r of rows) {
      const scope: Scope = groupBy
        ? Object.fromEntries(
            groupBy.flatMap((d) => (scopeValue(r.scope, d) === undefined ? [] : [[d, scopeValue(r.scope, d)!]])),
          )
        : r.scope;
      const key = JSON.stringify([scopeKey(scope), r.model]);
      const g = groups.get(key) ?? {
        scope,
        model: r.model,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        calls: 0,
      };
      g.promptTokens += r.promptTokens;
      g.completionTokens += r.completionTokens;
      g.totalTokens += r.totalTokens;
      g.calls += r.calls;
      groups.set(key, g);
    }
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  }

  /** Decision traces at or under the caller's floor (narrowed by `filter.scope`), newest first unless `orderBy` says otherwise. */
  async traces(args: PageArgs & { filter?: TraceFilterInput | null }) {
    const view = this.binding.access.usage(args.filter?.scope ?? null);
    const filter = traceFilter(args.filter ?? {});
    const exec = await this.binding.executor();
    const field = `decisionTraces|${JSON.stringify([filter.since, filter.until, filter.model, filter.purpose, filter.outcome])}`;
    return pagedList(field, view, args, "DESC", (req) => exec.traces.list(view, filter, req));
  }

  /** One trace by id, as `decisionTraces` would list it for this caller (at or under its floor). Errors: NOT_FOUND. */
  async trace(id: string): Promise<DecisionTraceModel> {
    const found = await this.binding
      .loader<DecisionTraceModel | null>("trace", async (ids) => {
        const traces = await (await this.binding.executor()).traces.byIds(ids, this.binding.access.usage(null));
        const byId = new Map(traces.map((t) => [t.id, t]));
        return ids.map((i) => byId.get(i) ?? null);
      })
      .load(id);
    if (!found) throw new NotFoundError("decision trace");
    return found;
  }
}
