import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ModelCallObserver } from "../domain/models.js";

/**
 * Prometheus metrics for GET /metrics. Labels stay low-cardinality: operation names are
 * clipped, outcomes are an error code or "ok", Contexts are operator-created ids.
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "scopegate_" });
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

  observeRequest(operation: string | null | undefined, outcome: string, seconds: number): void {
    const op = (operation ?? "anonymous").slice(0, 64);
    this.requests.inc({ operation: op, outcome });
    this.latency.observe({ operation: op, outcome }, seconds);
  }
}
