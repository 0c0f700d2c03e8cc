import DataLoader from "dataloader";
import type { Caller } from "../auth/caller.js";
import type { ExecutorFactory } from "../db/executorFactory.js";
import type { ScopedExecutor, Visibility } from "../db/scopedExecutor.js";
import { badInput, conflict, notFound } from "../errors.js";
import type { Scope } from "../scope/scope.js";
import { parseScopeInput as toScope, scopeWithinFloor as withinFloor } from "./scopeRules.js";
import type { MemoryModel, Page, SessionModel, TokenUsageModel, TurnModel } from "./models.js";

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
export const MAX_TEXT = 32_000;
const ID = /^[0-9A-Za-z]{1,64}$/;

/**
 * Sessions, turns, memories and token usage, as one request's caller sees them.
 * Built per request; its DataLoaders batch nested fields into constant round trips.
 */
export class TenantService {
  constructor(private readonly caller: Caller, private readonly executors: ExecutorFactory) {}

  // ---- scope rules ----------------------------------------------------------------------------

  /** Effective read scope and visibility rule for a requested scope (DESIGN §3). */
  readScope(requested: unknown): { effective: Scope | null; mode: Visibility } {
    const r = requested === undefined || requested === null ? null : toScope(requested);
    if (this.caller.kind === "MANAGEMENT") return r ? { effective: r, mode: "subtree" } : { effective: null, mode: "all" };
    const floor = this.caller.kind === "CONTEXT_KEY" ? this.caller.key.scopeFloor : {};
    const effective = withinFloor(floor, r);
    return { effective, mode: this.caller.kind === "CONTEXT_KEY" && this.caller.key.principal === "SUPERVISOR" ? "subtree" : "subset" };
  }

  /** The scope a write is stamped with: the effective scope (management: as requested, or {}). */
  writeScope(requested: unknown): Scope {
    const r = requested === undefined || requested === null ? null : toScope(requested);
    if (this.caller.kind === "MANAGEMENT") return r ?? {};
    const floor = this.caller.kind === "CONTEXT_KEY" ? this.caller.key.scopeFloor : {};
    return withinFloor(floor, r);
  }

  private exec(contextId?: string | null): Promise<ScopedExecutor> {
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

  async sessions(args: { first?: number | null; after?: string | null; scope?: unknown }, contextId?: string): Promise<Page<SessionModel>> {
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

  async remember(input: { text: string; scope?: unknown; sessionId?: string | null; metadata?: unknown; contextId?: string | null }): Promise<MemoryModel> {
    if (input.text.trim().length === 0) throw badInput("text must not be empty");
    if (input.text.length > MAX_TEXT) throw badInput(`text is longer than ${MAX_TEXT} characters`);
    const scope = this.writeScope(input.scope);
    if (input.sessionId) {
      const s = await this.sessionLoader(input.contextId).load(checkId(input.sessionId));
      if (!s) throw notFound("session");
    }
    return (await this.exec(input.contextId)).createMemory(input.text, scope, input.sessionId ?? null, metadataOf(input.metadata));
  }

  async memory(id: string, contextId?: string): Promise<MemoryModel> {
    const found = await this.memoryLoader(contextId).load(checkId(id));
    if (!found) throw notFound("memory");
    return found;
  }

  async memories(args: { first?: number | null; after?: string | null; scope?: unknown }, contextId?: string): Promise<Page<MemoryModel>> {
    const { effective, mode } = this.readScope(args.scope);
    return (await this.exec(contextId)).listMemories(effective, mode, pageSize(args.first), cursor(args.after));
  }

  async forget(input: { ids: readonly string[]; dryRun?: boolean | null; contextId?: string | null }): Promise<{ count: number; dryRun: boolean }> {
    if (input.ids.length > 1000) throw badInput("at most 1000 ids per forget");
    input.ids.forEach(checkId);
    const { effective, mode } = this.readScope(undefined);
    const dryRun = input.dryRun ?? false;
    const count = await (await this.exec(input.contextId)).forgetMemories(input.ids, effective, mode, dryRun);
    return { count, dryRun };
  }

  async memorySession(memory: MemoryModel): Promise<SessionModel | null> {
    return memory.sessionId ? this.sessionLoader(memory.contextId).load(memory.sessionId) : null;
  }

  async tokenUsage(args: { since?: string | null; until?: string | null }, contextId?: string): Promise<TokenUsageModel[]> {
    const { effective, mode } = this.readScope(undefined);
    return (await this.exec(contextId)).tokenUsage(effective, mode, args.since ?? null, args.until ?? null);
  }

  // ---- per-request loaders --------------------------------------------------------------------

  private readonly loaders = new Map<string, DataLoader<string, any>>();

  private loader<V>(name: string, batch: (ids: readonly string[]) => Promise<(V | null)[]>): DataLoader<string, V | null> {
    let l = this.loaders.get(name);
    if (!l) { l = new DataLoader(batch, { maxBatchSize: 500 }); this.loaders.set(name, l); }
    return l as DataLoader<string, V | null>;
  }

  private sessionLoader(contextId?: string | null) {
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
      const rows = await (await this.exec(contextId)).memoriesByIds(ids, effective, mode);
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
      const lists = await (await this.exec(contextId)).memoriesBySessionIds(ids, effective, mode, first);
      return ids.map((id) => lists.get(id) ?? []);
    }) as DataLoader<string, MemoryModel[]>;
  }
}

function checkId(id: string): string {
  if (!ID.test(id)) throw badInput("malformed id");
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

function metadataOf(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) throw badInput("metadata must be a JSON object");
  if (JSON.stringify(value).length > 16_000) throw badInput("metadata is larger than 16 kB");
  return value as Record<string, unknown>;
}
