import { RecordId } from "surrealdb";
import type { RecordView } from "../../domain/access.js";
import type { DecisionTraceModel, TokenUsageModel, TracePurpose } from "../../domain/models.js";
import { scopeKey, storedScope, type Scope } from "../../domain/scope.js";
import { newUlid } from "../ids.js";
import { partitionLocks, rangeTargets } from "../partitions.js";
import { sessionRecordId } from "./memoryTable.js";
import { PartitionRegistry } from "./partitionRegistry.js";
import { type PageRequest, type Paged, PartitionedTable, type Scan } from "./partitionedTable.js";
import type { TableContext } from "./tableContext.js";

/** What the caller supplies for a trace; id, time, key and principal come from the session. */
export type NewTrace = Pick<
  DecisionTraceModel,
  "scope" | "purpose" | "model" | "promptTokens" | "completionTokens" | "latencyMs" | "sessionId" | "outcome" | "error"
>;

export interface TraceFilter {
  since: Date | null;
  until: Date | null;
  model: string | null;
  purpose: TracePurpose | null;
  outcome: "SUCCESS" | "ERROR" | null;
}

interface TraceRow {
  id: string;
  created_at: string;
  owner?: string;
  principal?: string;
  scope?: Record<string, string>;
  purpose: TracePurpose;
  model?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  latency_ms?: number;
  session?: string;
  outcome?: "SUCCESS" | "ERROR";
  error?: string;
}

const TRACE_FIELDS =
  "id, created_at, owner, principal, scope, purpose, model, prompt_tokens, completion_tokens, latency_ms, session, outcome, error";
/** Before any real time: the default lower bound of a filter. */
const EPOCH = new Date(0);
/** After any real time: the default upper bound. */
const FAR_FUTURE = new Date("9999-12-31T00:00:00Z");

/**
 * decision_trace: one row per LLM call, partitioned by the caller's scope like memories
 * (`decision_trace:[scopeKey, ulid]`), written through the executor like any tenant record and
 * guarded by the same permissions. Token usage is computed from these rows (plus, for the
 * management key, the rollups a redaction leaves behind, so past months stay accountable).
 */
export class TraceTable extends PartitionedTable<DecisionTraceModel> {
  constructor(t: TableContext) {
    super(t, "decision_trace", TRACE_FIELDS, (r: TraceRow) => traceModel(t.actor.contextId, r));
  }

  async record(trace: NewTrace): Promise<void> {
    this.t.predicates.assertWritable(trace.scope);
    const ulid = newUlid();
    const key = scopeKey(trace.scope);
    await this.t.q.transaction(
      `BEGIN;
       ${PartitionRegistry.register(null)}
       LET $made = (CREATE ONLY $id SET scope = $scope, purpose = $purpose, model = $model, prompt_tokens = $prompt,
         completion_tokens = $completion, latency_ms = $latency, session = $sess, outcome = $outcome, error = $error,
         owner = $owner, principal = $principal RETURN id);
       IF $made = NONE { THROW 'outside floor' };
       COMMIT;`,
      {
        id: new RecordId("decision_trace", [key, ulid]),
        partitions: PartitionRegistry.partitionsOf([{ scope: trace.scope, ulid }]),
        scope: trace.scope,
        purpose: trace.purpose,
        model: trace.model,
        prompt: trace.promptTokens,
        completion: trace.completionTokens,
        latency: Math.round(trace.latencyMs),
        sess: trace.sessionId ? sessionRecordId(trace.sessionId) : undefined,
        outcome: trace.outcome,
        error: trace.error ?? undefined,
        owner: this.t.actor.keyId ?? undefined,
        principal: this.t.actor.principal,
      },
      { writes: [trace.scope], locks: partitionLocks([key], true) },
    );
    this.noteWritten([[key, ulid]]);
  }

  /** The view's partitions (the management key's `all`: every registered one). */
  private keys(view: RecordView): Promise<string[]> {
    return this.t.registry.keys(view);
  }

  /** The filter's own conditions (the view's predicate is added by the caller). */
  private filter(f: TraceFilter): { where: string; vars: Record<string, unknown> } {
    const parts = ["created_at >= $since", "created_at < $until"];
    if (f.model) parts.push("model = $model");
    if (f.purpose) parts.push("purpose = $purpose");
    if (f.outcome) parts.push("outcome = $outcome");
    return {
      where: parts.join(" AND "),
      vars: {
        since: f.since ?? EPOCH,
        until: f.until ?? FAR_FUTURE,
        model: f.model ?? undefined,
        purpose: f.purpose ?? undefined,
        outcome: f.outcome ?? undefined,
      },
    };
  }

  /** The view's predicate and the filter's conditions together. */
  private where(view: RecordView, f: TraceFilter): { where: string; vars: Record<string, unknown> } {
    const p = this.t.predicates.view(view);
    const own = this.filter(f);
    return { where: `${p.where} AND ${own.where}`, vars: { ...p.vars, ...own.vars } };
  }

  /**
   * A page of the traces `view` admits that match `f`, in either direction, probed in growing
   * windows like every partitioned list (PartitionedTable.page): without a filter, a page costs
   * what it shows whatever the number of traces. A filter that few traces match makes the
   * windows grow until they hold a page, so such a page reads the traces between its rows.
   */
  list(view: RecordView, f: TraceFilter, req: PageRequest): Promise<Scan<Paged<DecisionTraceModel>>> {
    return this.page(view, req, this.filter(f));
  }

  /** Sums per (scope, model) over the view's traces; the management key also gets redaction rollups. */
  async usage(view: RecordView, f: TraceFilter): Promise<TokenUsageModel[]> {
    const out: TokenUsageModel[] = [];
    const keys = await this.keys(view);
    const w = this.where(view, f);
    if (keys.length > 0) {
      const source = rangeTargets("decision_trace", keys);
      const [rows] = await this.t.q.run(
        `SELECT scope, model, math::sum(prompt_tokens) AS prompt, math::sum(completion_tokens) AS completion, count() AS calls
         FROM ${source.from} WHERE ${w.where} GROUP BY scope, model`,
        { ...source.vars, ...w.vars },
      );
      out.push(...((rows ?? []) as UsageRow[]).map(usageModel));
    }
    if (this.t.actor.principal === "MANAGEMENT") {
      const [rollups] = await this.t.q.run(
        `SELECT scope, model, math::sum(prompt) AS prompt, math::sum(completion) AS completion, math::sum(calls) AS calls FROM usage_rollup
         WHERE month_start >= $since AND month_start < $until ${f.model ? "AND model = $model" : ""} GROUP BY scope, model`,
        w.vars,
      );
      const under = view.kind === "under" || view.kind === "subtree" ? view.scope : null;
      out.push(
        ...((rollups ?? []) as UsageRow[])
          .map(usageModel)
          .filter((u) => under === null || Object.entries(under).every(([d, v]) => u.scope[d] === v)),
      );
    }
    return out;
  }
}

function traceModel(contextId: string, r: TraceRow): DecisionTraceModel {
  return {
    id: r.id,
    contextId,
    createdAt: r.created_at,
    keyId: r.owner ?? null,
    principal: r.principal ?? null,
    scope: storedScope(r.scope),
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

interface UsageRow {
  scope?: Record<string, string>;
  model?: string;
  prompt?: number;
  completion?: number;
  calls?: number;
}

function usageModel(r: UsageRow): TokenUsageModel {
  const prompt = r.prompt ?? 0;
  const completion = r.completion ?? 0;
  const scope: Scope = storedScope(r.scope);
  return {
    scope,
    model: r.model ?? null,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    calls: r.calls ?? 0,
  };
}
