/**
 * The per-operation context: sends GraphQL over real HTTP, applies the checks every response must
 * pass (no 5xx, no INTERNAL_SERVER_ERROR, no foreign canary), records outcome statistics and
 * reports violations with the operation's index.
 */
import { MANAGEMENT_KEY, type TestGateway } from "../harness.js";
import type { Key, Model } from "./model.js";
import type { Prng } from "./prng.js";
import type { ViolationKind, Violations } from "./violations.js";

export interface Reply {
  status: number;
  data: any;
  errors: any[];
}

/** What one top-level field of a reply came back as. */
export type Outcome = { ok: true; data: any } | { ok: false; code: string; message: string };

/** Counters of a run: outcome histogram per operation type and request totals. */
export class Stats {
  readonly outcomes = new Map<string, Map<string, number>>();
  /** Milliseconds spent per operation type (requests and checks). */
  readonly millis = new Map<string, number>();
  /** Operations run per operation type. */
  readonly runs = new Map<string, number>();
  requests = 0;
  managementRequests = 0;

  time(opType: string, ms: number): void {
    this.millis.set(opType, (this.millis.get(opType) ?? 0) + ms);
    this.runs.set(opType, (this.runs.get(opType) ?? 0) + 1);
  }

  note(opType: string, label: string): void {
    let m = this.outcomes.get(opType);
    if (!m) {
      m = new Map();
      this.outcomes.set(opType, m);
    }
    m.set(label, (m.get(label) ?? 0) + 1);
  }
}

/** Codes a document error gets; seeing one means the fuzzer built a bad request (its own defect). */
const DOCUMENT_ERRORS = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"]);

export class OpContext {
  constructor(
    readonly t: TestGateway,
    readonly model: Model,
    readonly prng: Prng,
    readonly violations: Violations,
    readonly stats: Stats,
    readonly index: number,
    readonly opType: string,
    /** The acting key; null for management-only steps (setup, audits). */
    readonly key: Key | null,
  ) {}

  report(kind: ViolationKind, detail: string): void {
    this.violations.add({ kind, op: this.index, opType: this.opType, key: this.key?.label ?? "management", detail });
  }

  /** Records `outcome` in the histogram of this operation type. */
  note(outcome: Outcome): void {
    this.stats.note(this.opType, outcome.ok ? (outcome.data === null ? "null" : "OK") : outcome.code);
  }

  /** Sends a request as the acting key and applies the checks every response must pass. */
  async call(query: string, variables: Record<string, unknown> = {}): Promise<Reply> {
    if (!this.key) throw new Error("call() needs an acting key; use manage()");
    this.stats.requests += 1;
    const reply = await this.send(this.key.secret, query, variables);
    this.scanForCanaries(reply, JSON.stringify(variables) + query);
    this.checkNestedErrors(reply);
    return reply;
  }

  /** Sends a request with the management key (ground truth for audits); errors are fuzzer defects. */
  async manage(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    this.stats.managementRequests += 1;
    const reply = await this.send(MANAGEMENT_KEY, query, variables);
    if (reply.errors.length > 0) throw new Error(`management request failed: ${JSON.stringify(reply.errors)}`);
    return reply.data;
  }

  private async send(secret: string, query: string, variables: Record<string, unknown>): Promise<Reply> {
    const res = await this.t.request(secret, query, variables);
    if (res.status >= 500) this.report("internal-error", `HTTP ${res.status}: ${res.text.slice(0, 160)}`);
    if (res.body === null) {
      this.report("internal-error", `HTTP ${res.status} with a body that is not JSON: ${res.text.slice(0, 120)}`);
      return { status: res.status, data: null, errors: [{ extensions: { code: "NO_JSON" } }] };
    }
    const errors = res.body.errors ?? [];
    for (const e of errors) {
      const code = e?.extensions?.code;
      if (DOCUMENT_ERRORS.has(code)) throw new Error(`fuzzer sent a bad document (${code}): ${e.message}\n${query}`);
      if (code === undefined || code === "INTERNAL_SERVER_ERROR")
        this.report("internal-error", `${code ?? "no code"} at ${JSON.stringify(e.path ?? [])}: ${e.message}`);
    }
    return { status: res.status, data: res.body.data ?? null, errors };
  }

  /**
   * No response to a key contains another tenant's canary. When the request itself carried a
   * foreign canary (an attack query), only that canary followed by "-" (a stored text) counts.
   */
  private scanForCanaries(reply: Reply, request: string): void {
    const key = this.key!;
    const text = JSON.stringify({ data: reply.data, errors: reply.errors });
    for (const other of this.model.tenants) {
      if (other === key.tenant) continue;
      const needle = request.includes(other.canary) ? `${other.canary}-` : other.canary;
      const at = text.indexOf(needle);
      if (at >= 0)
        this.report(
          "canary-leak",
          `response contains ${other.name}'s canary: …${text.slice(Math.max(0, at - 60), at + 60)}…`,
        );
    }
  }

  /**
   * The outcome of top-level field `field` (an alias or field name) in a reply: its own error
   * (path starting at the field) or a request-level one (no path), else its data.
   */
  outcome(reply: Reply, field: string): Outcome {
    const own = reply.errors.find((e) => Array.isArray(e.path) && e.path[0] === field && e.path.length === 1);
    const global = reply.errors.find((e) => !Array.isArray(e.path) || e.path.length === 0);
    const error = own ?? global;
    if (error && (reply.data === null || reply.data?.[field] === null || reply.data?.[field] === undefined)) {
      return { ok: false, code: String(error.extensions?.code ?? "NO_CODE"), message: String(error.message) };
    }
    return { ok: true, data: reply.data?.[field] ?? null };
  }

  /**
   * Nested fields (Memory.session, Document.chunks, …) take no scope and must never fail:
   * FORBIDDEN there reveals that a record exists; any other code is a wrong outcome.
   * `_entities` items are per-reference outcomes and are checked by their operation.
   */
  checkNestedErrors(reply: Reply): void {
    for (const e of reply.errors) {
      if (!Array.isArray(e.path) || e.path.length < 2 || e.path[0] === "_entities") continue;
      const code = e.extensions?.code;
      if (code === "INTERNAL_SERVER_ERROR") continue; // reported by send()
      this.report(
        code === "FORBIDDEN" ? "existence-oracle" : "wrong-outcome",
        `nested field ${e.path.join(".")} failed with ${code}: ${e.message}`,
      );
    }
  }
}
