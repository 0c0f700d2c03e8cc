import DataLoader from "dataloader";
import type { Caller } from "../auth/caller.js";
import type { ExecutorFactory } from "../db/executorFactory.js";
import type { ScopedExecutor, Visibility } from "../db/scopedExecutor.js";
import { badInput, conflict, notFound } from "../errors.js";
import type { Scope } from "../scope/scope.js";
import { parseScopeInput as toScope, scopeWithinFloor as withinFloor } from "./scopeRules.js";
import { decodePartitionedId } from "../db/partitions.js";
import { embedderFor } from "../providers/embedder.js";
import { effectiveConfig } from "./contextConfig.js";
import { Indexer } from "./indexer.js";
import type { ModelCalls } from "./modelCalls.js";
import { countTokens } from "../documents/chunk.js";
import { DEFAULT_LIMITS, type TenantLimits } from "./limits.js";
import type { StoredContext } from "../db/controlStore.js";
import type {
  ContextConfig,
  DecisionTraceModel,
  MemoryModel,
  Page,
  SessionModel,
  TokenUsageModel,
  TracePurpose,
  TurnModel,
} from "./models.js";
import type { TraceFilter } from "../db/traceTable.js";

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
export const MAX_TEXT = 32_000;
const ID = /^[0-9A-Za-z]{1,64}$/;

/**
 * Sessions, turns, memories and token usage, as one request's caller sees them.
 * Built per request; its DataLoaders batch nested fields into constant round trips.
 */
export class TenantService {
  constructor(
    readonly caller: Caller,
    readonly executors: ExecutorFactory,
    readonly limits: TenantLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * The Context's indexer (analyzer + its embedding model); config is read per request. A
   * remote embedding model's calls are LLM calls: traced at `scope` and budgeted (ModelCalls).
   */
  async indexerFor(contextId: string | null | undefined, scope: Scope): Promise<Indexer> {
    const { stored, config } = await this.contextConfig(contextId);
    const embedder = embedderFor(config.models.embedding, { secrets: stored.providers, baseUrls: config.providerUrls });
    const calls = this.modelCalls;
    if (!embedder.remote || !calls) return new Indexer(embedder);
    return new Indexer(embedder, async (texts) => {
      const prompt = texts.reduce((n, t) => n + countTokens(t), 0);
      const { vectors } = await calls.run(
        { purpose: "EMBEDDING", scope, sessionId: null, contextId },
        {
          model: embedder.model,
          worstCaseTokens: prompt,
          run: async () => {
            const vectors = await embedder.embed(texts);
            return { vectors, promptTokens: embedder.lastPromptTokens ?? prompt, completionTokens: 0 };
          },
        },
      );
      return vectors;
    });
  }

  /** The Context a request acts in and its effective config (defaults merged, read per request). */
  async contextConfig(contextId?: string | null): Promise<{ stored: StoredContext; config: ContextConfig }> {
    const stored = await this.executors.contextOf(contextId);
    return { stored, config: effectiveConfig(stored.config, stored.providers) };
  }

  /** Set once per request by the composition root (ModelCalls needs this service too). */
  modelCalls: ModelCalls | null = null;

  /** Set by the recall service so forget-by-query ranks exactly as recall does. */
  recallMemoryIds: (query: string, limit: number, contextId?: string | null) => Promise<string[]> = () =>
    Promise.reject(new Error("recall is not wired"));

  // ---- scope rules ----------------------------------------------------------------------------

  /** Effective read scope and visibility rule for a requested scope (DESIGN §3). */
  readScope(requested: unknown): { effective: Scope | null; mode: Visibility } {
    const r = requested === undefined || requested === null ? null : toScope(requested);
    if (this.caller.kind === "MANAGEMENT")
      return r ? { effective: r, mode: "subtree" } : { effective: null, mode: "all" };
    const floor = this.caller.kind === "CONTEXT_KEY" ? this.caller.key.scopeFloor : {};
    const effective = withinFloor(floor, r);
    return {
      effective,
      mode: this.caller.kind === "CONTEXT_KEY" && this.caller.key.principal === "SUPERVISOR" ? "subtree" : "subset",
    };
  }

  /** The scope a write is stamped with: the effective scope (management: as requested, or {}). */
  writeScope(requested: unknown): Scope {
    const r = requested === undefined || requested === null ? null : toScope(requested);
    if (this.caller.kind === "MANAGEMENT") return r ?? {};
    const floor = this.caller.kind === "CONTEXT_KEY" ? this.caller.key.scopeFloor : {};
    return withinFloor(floor, r);
  }

  /** Validated page size and cursor of a connection field. */
  pageArgs(args: { first?: number | null; after?: string | null }): { first: number; after: string | null } {
    return { first: pageSize(args.first), after: cursor(args.after) };
  }

  exec(contextId?: string | null): Promise<ScopedExecutor> {
    return this.executors.for(contextId);
  }

  // ---- sessions -------------------------------------------------------------------------------

  async createSession(input: { scope?: unknown; metadata?: unknown }): Promise<SessionModel> {
    return (await this.exec()).createSession(this.writeScope(input.scope), metadataOf(input.metadata));
  }

  async session(id: string, contextId?: string): Promise<SessionModel> {
    const found = await this.sessionLoader(contextId).load(checkId(id));
    if (!found) throw notFound("session");
    return found;
  }

  async sessions(
    args: { first?: number | null; after?: string | null; scope?: unknown },
    contextId?: string,
  ): Promise<Page<SessionModel>> {
    const { effective, mode } = this.readScope(args.scope);
    return (await this.exec(contextId)).listSessions(effective, mode, pageSize(args.first), cursor(args.after));
  }

  async addTurn(sessionId: string, input: { role: string; content: string }): Promise<TurnModel> {
    if (input.content.length > MAX_TEXT) throw badInput(`content is longer than ${MAX_TEXT} characters`);
    const visible = await this.sessionLoader().load(checkId(sessionId));
    if (!visible) throw notFound("session");
    const turn = await (await this.exec()).addTurn(sessionId, input.role, input.content);
    if (turn === "ended") throw conflict("session has ended");
    if (!turn) throw notFound("session");
    return turn;
  }

  async endSession(id: string): Promise<SessionModel> {
    const visible = await this.sessionLoader().load(checkId(id));
    if (!visible) throw notFound("session");
    const ended = await (await this.exec()).endSession(id);
    if (!ended) throw notFound("session");
    return ended;
  }

  turns(session: SessionModel, first?: number | null, after?: string | null): Promise<Page<TurnModel>> {
    const afterSeq = after ? Number.parseInt(Buffer.from(after, "base64url").toString(), 10) : 0;
    if (!Number.isFinite(afterSeq)) throw badInput("invalid cursor");
    return this.turnLoader(session.contextId, pageSize(first), afterSeq).load(session.id);
  }

  sessionMemories(session: SessionModel, first?: number | null): Promise<MemoryModel[]> {
    return this.sessionMemoryLoader(session.contextId, pageSize(first)).load(session.id);
  }

  // ---- memories -------------------------------------------------------------------------------

  /** One memory: rememberMany with a single item. */
  async remember(input: {
    text: string;
    scope?: unknown;
    sessionId?: string | null;
    metadata?: unknown;
    contextId?: string | null;
  }): Promise<MemoryModel> {
    const [made] = await this.rememberMany({
      items: [{ text: input.text, metadata: input.metadata }],
      scope: input.scope,
      sessionId: input.sessionId,
      contextId: input.contextId,
    });
    return made!;
  }

  /**
   * Many memories in one transaction: every item is validated, analyzed and embedded first,
   * then all are stored or none (DESIGN §7).
   */
  async rememberMany(
    input: {
      items: ReadonlyArray<{ text: string; metadata?: unknown; scope?: unknown }>;
      scope?: unknown;
      sessionId?: string | null;
      contextId?: string | null;
    },
    opts: { linkToFirst?: boolean } = {},
  ): Promise<MemoryModel[]> {
    if (input.items.length === 0) throw badInput("items must not be empty");
    if (input.items.length > this.limits.rememberManyMax)
      throw badInput(`at most ${this.limits.rememberManyMax} items per call`);
    const items = input.items.map((item, i) => {
      const where = input.items.length > 1 ? `items[${i}].` : "";
      if (item.text.trim().length === 0) throw badInput(`${where}text must not be empty`);
      if (item.text.length > MAX_TEXT) throw badInput(`${where}text is longer than ${MAX_TEXT} characters`);
      return {
        text: item.text,
        metadata: metadataOf(item.metadata),
        scope: this.writeScope(item.scope ?? input.scope),
      };
    });
    if (input.sessionId) {
      const s = await this.sessionLoader(input.contextId).load(checkId(input.sessionId));
      if (!s) throw notFound("session");
    }
    const indexer = await this.indexerFor(input.contextId, this.writeScope(input.scope));
    const indexed = await indexer.index(items.map((m) => m.text));
    return (await this.exec(input.contextId)).memories.create(
      items.map((m, i) => ({ ...m, ...indexed[i]!, sessionId: input.sessionId ?? null })),
      opts,
    );
  }

  async memory(id: string, contextId?: string): Promise<MemoryModel> {
    const found = await this.memoryLoader(contextId).load(checkPartitionedId(id));
    if (!found) throw notFound("memory");
    return found;
  }

  async memories(
    args: { first?: number | null; after?: string | null; scope?: unknown },
    contextId?: string,
  ): Promise<Page<MemoryModel>> {
    const { effective, mode } = this.readScope(args.scope);
    return (await this.exec(contextId)).memories.page(effective, mode, pageSize(args.first), cursor(args.after));
  }

  /**
   * Forget by ids (records the caller may delete), by scope (everything at or under a scope
   * inside the floor; agents: their own records there) or by query (the best recall matches,
   * at most `limit`). `dryRun` reports what would go and deletes nothing.
   */
  async forget(input: {
    ids?: readonly string[] | null;
    scope?: unknown;
    query?: string | null;
    limit?: number | null;
    dryRun?: boolean | null;
    contextId?: string | null;
  }): Promise<{ count: number; dryRun: boolean; ids: string[] }> {
    const modes = [input.ids, input.scope, input.query].filter((v) => v !== undefined && v !== null).length;
    if (modes !== 1) throw badInput("forget needs exactly one of ids, scope or query");
    const dryRun = input.dryRun ?? false;
    // Forget by scope looks at the subtree it names; the other forms at what the caller reads.
    const { effective, mode } = this.readScope(input.scope ?? undefined);
    const memories = (await this.exec(input.contextId)).memories;
    let ids: string[];
    if (input.ids) {
      if (input.ids.length > 1000) throw badInput("at most 1000 ids per forget");
      ids = await memories.forgetIds(input.ids.map(checkPartitionedId), effective, mode, dryRun);
    } else if (input.scope !== undefined && input.scope !== null) {
      const under = this.caller.kind === "MANAGEMENT" ? toScope(input.scope) : this.writeScope(input.scope);
      ids = await memories.forgetUnder(under, effective, mode, dryRun);
    } else {
      const limit = input.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > this.limits.recallTopKMax)
        throw badInput(`limit must be 1–${this.limits.recallTopKMax}`);
      // Rank deeper than `limit`: matches the caller may not delete (another key's) must not use it up.
      const matches = await this.recallMemoryIds(input.query!, this.limits.recallTopKMax, input.contextId);
      ids = await memories.forgetIds(matches, effective, mode, dryRun, limit);
    }
    return { count: ids.length, dryRun, ids };
  }

  /** Memories extracted from this one (remember with infer), batched per request. */
  derivedMemories(memory: MemoryModel): Promise<MemoryModel[]> {
    return (
      this.loader<MemoryModel[]>(`derived:${memory.contextId}`, async (ids) => {
        const { effective, mode } = this.readScope(undefined);
        const byId = await (await this.exec(memory.contextId)).memories.derivedOf(ids, effective, mode);
        return ids.map((id) => byId.get(id) ?? []);
      }) as DataLoader<string, MemoryModel[]>
    ).load(memory.id);
  }

  async memorySource(memory: MemoryModel): Promise<MemoryModel | null> {
    return memory.sourceId ? this.memoryLoader(memory.contextId).load(memory.sourceId) : null;
  }

  async memorySession(memory: MemoryModel): Promise<SessionModel | null> {
    return memory.sessionId ? this.sessionLoader(memory.contextId).load(memory.sessionId) : null;
  }

  /**
   * Token usage from decision traces. `groupBy` projects each trace's scope onto those
   * dimensions (e.g. ["org"]: per-tenant consumption of a shared Context); without it, rows
   * are per exact scope. A context key sees only its floor's traces.
   */
  async tokenUsage(
    args: { since?: string | null; until?: string | null; groupBy?: readonly string[] | null; model?: string | null },
    contextId?: string,
  ): Promise<TokenUsageModel[]> {
    const { effective, mode } = this.readScope(undefined);
    const groupBy = args.groupBy ?? null;
    for (const d of groupBy ?? [])
      if (!/^[a-z][a-z0-9_]{0,31}$/.test(d)) throw badInput(`groupBy "${d}" is not a scope dimension`);
    const rows = await (await this.exec(contextId)).traces.usage(effective, mode, traceFilter(args));
    const groups = new Map<string, TokenUsageModel>();
    for (const r of rows) {
      const scope = groupBy
        ? Object.fromEntries(groupBy.filter((d) => r.scope[d] !== undefined).map((d) => [d, r.scope[d]!]))
        : r.scope;
      const key = JSON.stringify([Object.entries(scope).sort(), r.model]);
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
    return [...groups.values()].sort((a, b) =>
      (JSON.stringify(a.scope) + a.model).localeCompare(JSON.stringify(b.scope) + b.model),
    );
  }

  async decisionTraces(
    args: { first?: number | null; after?: string | null; filter?: TraceFilterInput | null },
    contextId?: string,
  ): Promise<Page<DecisionTraceModel>> {
    const { effective, mode } = this.readScope(args.filter?.scope ?? undefined);
    const { first, after } = this.pageArgs(args);
    return (await this.exec(contextId)).traces.page(effective, mode, traceFilter(args.filter ?? {}), first, after);
  }

  // ---- per-request loaders --------------------------------------------------------------------

  private readonly loaders = new Map<string, DataLoader<string, any>>();

  private loader<V>(
    name: string,
    batch: (ids: readonly string[]) => Promise<(V | null)[]>,
  ): DataLoader<string, V | null> {
    let l = this.loaders.get(name);
    if (!l) {
      l = new DataLoader(batch, { maxBatchSize: 500 });
      this.loaders.set(name, l);
    }
    return l as DataLoader<string, V | null>;
  }

  sessionLoader(contextId?: string | null) {
    return this.loader<SessionModel>(`session:${contextId ?? ""}`, async (ids) => {
      const { effective, mode } = this.readScope(undefined);
      const rows = await (await this.exec(contextId)).sessionsByIds(ids, effective, mode);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  private memoryLoader(contextId?: string | null) {
    return this.loader<MemoryModel>(`memory:${contextId ?? ""}`, async (ids) => {
      const { effective, mode } = this.readScope(undefined);
      const rows = await (await this.exec(contextId)).memories.byIds(ids, effective, mode);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  private turnLoader(contextId: string, first: number, afterSeq: number) {
    return this.loader<Page<TurnModel>>(`turns:${contextId}:${first}:${afterSeq}`, async (ids) => {
      const pages = await (await this.exec(contextId)).turnsBySessionIds(ids, first, afterSeq);
      return ids.map((id) => pages.get(id) ?? { items: [], hasNextPage: false });
    }) as DataLoader<string, Page<TurnModel>>;
  }

  private sessionMemoryLoader(contextId: string, first: number) {
    return this.loader<MemoryModel[]>(`session-memories:${contextId}:${first}`, async (ids) => {
      const { effective, mode } = this.readScope(undefined);
      const lists = await (await this.exec(contextId)).memories.bySessionIds(ids, effective, mode, first);
      return ids.map((id) => lists.get(id) ?? []);
    }) as DataLoader<string, MemoryModel[]>;
  }
}

function checkId(id: string): string {
  if (!ID.test(id)) throw badInput("malformed id");
  return id;
}

/** Ids of partitioned records (memory, document, chunk) are opaque [scope key, ulid] pairs. */
export function checkPartitionedId(id: string): string {
  if (!decodePartitionedId(id)) throw badInput("malformed id");
  return id;
}

function cursor(after: string | null | undefined): string | null {
  if (!after) return null;
  return checkId(Buffer.from(after, "base64url").toString());
}

export const encodeCursor = (value: string | number) => Buffer.from(String(value)).toString("base64url");

function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be 1–${MAX_PAGE}`);
  return first;
}

export function metadataOf(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) throw badInput("metadata must be a JSON object");
  if (JSON.stringify(value).length > 16_000) throw badInput("metadata is larger than 16 kB");
  return value as Record<string, unknown>;
}

export interface TraceFilterInput {
  since?: string | null;
  until?: string | null;
  model?: string | null;
  purpose?: TracePurpose | null;
  outcome?: "SUCCESS" | "ERROR" | null;
  scope?: unknown;
}

function traceFilter(f: TraceFilterInput): TraceFilter {
  for (const t of [f.since, f.until])
    if (t && Number.isNaN(Date.parse(t))) throw badInput("since/until must be ISO date-times");
  return {
    since: f.since ?? null,
    until: f.until ?? null,
    model: f.model ?? null,
    purpose: f.purpose ?? null,
    outcome: f.outcome ?? null,
  };
}
