import { monitorEventLoopDelay } from "node:perf_hooks";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ComputePool } from "../compute/pool.js";
import type { ModelCallObserver } from "../domain/models.js";

/** Sampling interval of the event-loop delay monitor, in ms (prom-client's default too). */
const LOOP_RESOLUTION_MS = 10;

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

  observeRequest(operation: string | null | undefined, outcome: string, seconds: number): void {
    const op = (operation ?? "anonymous").slice(0, 64);
    this.requests.inc({ operation: op, outcome });
    this.latency.observe({ operation: op, outcome }, seconds);
  }
}
