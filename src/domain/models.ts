/** Domain models shared by services and resolvers. Plain data: ids are strings, times ISO strings. */
import type { AccessLevel, ExternalAuthConfig } from "./credentials.js";
import type { Scope } from "./scope.js";

export type PrincipalName = "AGENT" | "SUPERVISOR";

/**
 * Monthly token budgets per value of one scope dimension (README: LLM calls, usage, budgets). A
 * value's limit is, first found: its `overrides` entry; `default`; `defaultShare` × the Context's
 * `tokenLimit` (rounded down; none while `tokenLimit` is null); else none.
 */
export interface ScopeTokenLimits {
  dimension: string;
  default: number | null;
  overrides: Record<string, number>;
  /** Fraction (0 < share ≤ 1) of the Context-wide `tokenLimit` each value may use; null = none. */
  defaultShare: number | null;
}
export interface RetentionPolicy {
  scope: Scope;
  days: number;
}

export interface ContextConfig {
  tokenLimit: number | null;
  scopeTokenLimits: ScopeTokenLimits | null;
  retentionPolicies: RetentionPolicy[];
  retentionDays: number | null;
  models: { extraction: string; response: string; embedding: string };
  providersConfigured: string[];
  ontology: unknown;
  chunking: { size: number; overlap: number };
  /** Provider name → base URL of an OpenAI-compatible server (not secret). */
  providerUrls: Record<string, string>;
  /** The external identity provider this Context trusts (README: Credentials); null = none. */
  auth: ExternalAuthConfig | null;
  /** Requests per minute of all the Context's callers together, per replica (0 = no Context-wide limit). */
  rateLimit: { requestsPerMinute: number };
}

export interface ContextModel {
  id: string;
  namespace: string;
  database: string;
  config: ContextConfig;
  createdAt: string;
}

export interface KeyModel {
  id: string;
  contextId: string;
  name: string;
  principal: PrincipalName;
  scopeFloor: Scope;
  /** What the key (and every token it issues) may do; READ_WRITE for keys created before the field existed. */
  access: AccessLevel;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface SessionModel {
  id: string;
  contextId: string;
  scope: Scope;
  metadata: unknown;
  owner: string | null;
  createdAt: string;
  endedAt: string | null;
  /** Turns appended so far: seqs run 1…turnCount (retention may have removed the oldest). */
  turnCount: number;
}

export interface TurnModel {
  id: string;
  /** The Context of the turn's session (part of its global id). */
  contextId: string;
  seq: number;
  role: string;
  content: string;
  createdAt: string;
}

export interface MemoryModel {
  id: string;
  contextId: string;
  text: string;
  scope: Scope;
  metadata: unknown;
  sessionId: string | null;
  /** The memory this one was extracted from (remember with infer). */
  sourceId: string | null;
  owner: string | null;
  createdAt: string;
}

export interface TokenUsageModel {
  scope: Scope;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  calls: number;
}

/** One page of a list as Relay's PageInfo describes it; `items` in the list's order. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface DocumentModel {
  id: string;
  contextId: string;
  title: string;
  mimeType: string;
  contentHash: string;
  bytes: number;
  tokens: number;
  chunkCount: number;
  scope: Scope;
  metadata: unknown;
  owner: string | null;
  createdAt: string;
}

export interface ChunkModel {
  id: string;
  contextId: string;
  documentId: string;
  position: number;
  text: string;
  tokenStart: number;
  tokenEnd: number;
  scope: Scope;
  createdAt: string;
}

export type TracePurpose = "EXTRACTION" | "RESPONSE" | "EMBEDDING";

export interface DecisionTraceModel {
  id: string;
  contextId: string;
  createdAt: string;
  keyId: string | null;
  principal: string | null;
  scope: Scope;
  purpose: TracePurpose;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  sessionId: string | null;
  outcome: "SUCCESS" | "ERROR";
  error: string | null;
}

/** A Context as the control plane stores it: config as patched (defaults not merged) and its write-only secrets. */
export interface StoredContext extends Omit<ContextModel, "config"> {
  config: Record<string, unknown>;
  /** Provider name → secret (write-only). */
  providers: Record<string, string>;
  /**
   * This Context's own HS512 key for record-user tokens (hex, ≥ 64 digits). One per Context, so
   * a token minted for one Context cannot authenticate in any other (issue 9). Never leaves the gateway.
   */
  accessKey: string;
}

/** A key row with its Argon2id hash (never returned to clients). */
export interface StoredKey extends KeyModel {
  hash: string;
}

/** `record[key]` for own properties only: untrusted keys never reach `Object.prototype`. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Receives every LLM call's outcome and tokens (the HTTP layer's Prometheus metrics implement it).. */
export interface ModelCallObserver {
  callFinished(call: {
    contextId: string;
    purpose: TracePurpose;
    model: string;
    outcome: "SUCCESS" | "ERROR";
    promptTokens: number;
    completionTokens: number;
  }): void;
}
