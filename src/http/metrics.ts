import { monitorEventLoopDelay } from "node:perf_hooks";
import { type GraphQLSchema, Kind, type OperationDefinitionNode } from "graphql";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ComputePool } from "../compute/pool.js";
import type { ErrorCode } from "../domain/errors.js";
import type { ModelCallObserver } from "../domain/models.js";

/**
 * Every `extensions.code` a response can carry: ours (domain/errors.ts) and Apollo Server's
 * own. Any other outcome is labelled `other`, so the outcome label stays bounded whatever a
 * resolver or a plugin one day throws.
 */
const KNOWN_OUTCOMES: ReadonlySet<string> = new Set<ErrorCode | string>([
  "ok",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "BAD_USER_INPUT",
  "TOKEN_LIMIT_EXCEEDED",
  "RATE_LIMITED",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "PERSISTED_QUERY_NOT_FOUND",
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_COSTLY",
  "TOO_MANY_DIRECTIVES",
  "TOO_MANY_TOKENS",
  "REQUEST_TIMEOUT",
  "SUBSCRIPTION_LIMIT",
  "INTERNAL_SERVER_ERROR",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * The `operation` label of a request: its first root field when the schema has that field on
 * the operation's root type (`memories`, `remember`, …), `introspection` for `__schema`,
 * `__type` and `__typename`, else `other` (a document that did not parse or validate, or a root
 * fragment). Client-chosen operation names are never labels: 3,000 random names would be 3,000
 * series (test/limits.test.ts). Bounded by the schema's root fields.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined, schema: GraphQLSchema): string {
  const first = operation?.selectionSet.selections[0];
  if (!operation || first?.kind !== Kind.FIELD) return "other";
  const name = first.name.value;
  if (name.startsWith("__")) return "introspection";
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root?.getFields()[name] ? name : "other";
}

/** Sampling interval of the event-loop delay monitor, in ms (prom-client's default too). */
const LOOP_RESOLUTION_MS = 10;

/**
 * Prometheus metrics for GET /metrics (management key or SCOPEGATE_METRICS_TOKEN). Every label
 * is bounded: operations are the schema's root fields (operationLabel), outcomes a known error
 * code or "ok" (else "other"), Contexts existing ones only (keepContexts drops the series of
 * deleted Contexts at each scrape), purposes and models come from Context configs.
 */
export class Metrics implements ModelCallObserver {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "scopegate_graphql_requests_total",
    help: "GraphQL requests by operation and outcome",
    labelNames: ["operation", "outcome"],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "scopegate_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation and outcome",
    labelNames: ["operation", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly dbQueries = new Counter({
    name: "scopegate_db_queries_total",
    help: "SurrealDB round trips made for tenant requests",
    labelNames: ["context"],
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: "scopegate_llm_tokens_total",
    help: "LLM tokens by Context, purpose, model and kind",
    labelNames: ["context", "purpose", "model", "kind"],
    registers: [this.registry],
  });
  readonly llmCalls = new Counter({
    name: "scopegate_llm_calls_total",
    help: "LLM calls by Context, purpose, model and outcome",
    labelNames: ["context", "purpose", "model", "outcome"],
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: "scopegate_rate_limited_total",
    help: "Requests refused with RATE_LIMITED, by the bucket that refused them (caller: a verified key, token, JWT user or its Context; address: no or a failed credential; verification: Argon2 checks throttled)",
    labelNames: ["bucket"],
    registers: [this.registry],
  });

  private openLiveFeeds: () => number = () => 0;
  readonly liveSubscriptions = (() => {
    const read = () => this.openLiveFeeds();
    return new Gauge({
      name: "scopegate_live_subscriptions",
      help: "Open subscriptions on this replica (one SurrealDB live query each)",
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  })();
  /**
   * How long callbacks waited for the event loop (perf_hooks.monitorEventLoopDelay): p50, p99
   * and max over the window since the previous scrape of /metrics, in seconds. The monitor
   * records the whole interval between its 10 ms samples, so 10 ms is subtracted: an idle loop
   * reads ≈ 0, and a 200 ms synchronous task reads ≈ 0.2. (prom-client's default
   * `scopegate_nodejs_eventloop_lag_*` gauges come from the same kind of monitor but keep the
   * 10 ms in.) Any request that blocks the loop for longer than ~50 ms shows up in `max`.
   */
  readonly loopDelay = new Gauge({
    name: "scopegate_event_loop_delay_seconds",
    help: "Event-loop delay since the previous scrape (p50, p99, max), sampling interval excluded",
    labelNames: ["stat"],
    registers: [this.registry],
    collect: () => this.collectLoopDelay(),
  });
  private readonly loopMonitor = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "scopegate_" });
    this.loopMonitor.enable();
  }

  private collectLoopDelay(): void {
    const h = this.loopMonitor;
    const seconds = (ns: number) => (h.count === 0 ? 0 : Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS) / 1000);
    this.loopDelay.set({ stat: "p50" }, seconds(h.percentile(50)));
    this.loopDelay.set({ stat: "p99" }, seconds(h.percentile(99)));
    this.loopDelay.set({ stat: "max" }, seconds(h.max));
    h.reset();
  }

  /** The compute pool's threads, queue and tasks per path (inline on the event loop, or worker). */
  observeCompute(pool: Pick<ComputePool, "threads" | "queued" | "counts">): void {
    new Gauge({
      name: "scopegate_compute_threads",
      help: "Compute worker threads running",
      registers: [this.registry],
      collect() {
        this.set(pool.threads);
      },
    });
    new Gauge({
      name: "scopegate_compute_queued",
      help: "Compute tasks waiting for a worker thread",
      registers: [this.registry],
      collect() {
        this.set(pool.queued);
      },
    });
    new Gauge({
      name: "scopegate_compute_tasks",
      help: "Compute tasks run since start, by path (inline: small inputs on the event loop; worker)",
      labelNames: ["path"],
      registers: [this.registry],
      collect() {
        this.set({ path: "inline" }, pool.counts.inline);
        this.set({ path: "worker" }, pool.counts.worker);
      },
    });
  }

  /** Write conflicts of this process since start (db/transactions.ts `conflictCounts`). */
  observeWriteConflicts(counts: { retried: number; surfaced: number }): void {
    new Gauge({
      name: "scopegate_write_conflicts",
      help: "Write-conflict outcomes since start: retried (an attempt lost a race and ran again), surfaced (the client got CONFLICT)",
      labelNames: ["outcome"],
      registers: [this.registry],
      collect() {
        this.set({ outcome: "retried" }, counts.retried);
        this.set({ outcome: "surfaced" }, counts.surfaced);
      },
    });
  }

  /** Argon2id verifications of key and management secrets since start, by result (auth/authenticator.ts). */
  observeVerifications(counts: { succeeded: number; failed: number; throttled: number }): void {
    new Gauge({
      name: "scopegate_auth_verifications",
      help: "Argon2id secret verifications since start, by result (throttled: refused before verifying)",
      labelNames: ["result"],
      registers: [this.registry],
      collect() {
        for (const result of ["succeeded", "failed", "throttled"] as const) this.set({ result }, counts[result]);
      },
    });
  }

  /**
   * Drops the series of Contexts that no longer exist (`existing`: the ids in the control plane
   * now), so a deleted Context leaves no label behind, whichever replica deleted it.
   */
  async keepContexts(existing: ReadonlySet<string>): Promise<void> {
    for (const metric of [this.dbQueries, this.llmTokens, this.llmCalls] as Counter<string>[]) {
      for (const { labels } of (await metric.get()).values) {
        const context = labels.context;
        if (context !== undefined && context !== "management" && !existing.has(String(context))) metric.remove(labels);
      }
    }
  }

  /** Stops the event-loop monitor (its timer would keep sampling after the gateway closed). */
  close(): void {
    this.loopMonitor.disable();
  }

  /** Where the live-subscription gauge reads its value (the gateway's live feeds). */
  watchLiveFeeds(count: () => number): void {
    this.openLiveFeeds = count;
  }

  /** LLM calls and their tokens, by Context, purpose, model (and outcome). */
  callFinished(c: Parameters<ModelCallObserver["callFinished"]>[0]): void {
    const labels = { context: c.contextId, purpose: c.purpose, model: c.model };
    this.llmCalls.inc({ ...labels, outcome: c.outcome });
    if (c.outcome === "SUCCESS") {
      this.llmTokens.inc({ ...labels, kind: "prompt" }, c.promptTokens);
      this.llmTokens.inc({ ...labels, kind: "completion" }, c.completionTokens);
    }
  }

  /** One GraphQL request: `operation` from operationLabel, `outcome` an error code or "ok". */
  observeRequest(operation: string, outcome: string, seconds: number): void {
    const labels = { operation, outcome: KNOWN_OUTCOMES.has(outcome) ? outcome : "other" };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }
}
