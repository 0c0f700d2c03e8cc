/**
 * Helpers the operations share: how a requested scope resolves for a key, GraphQL literals for
 * scopes sent inline, and adding new records to the model from the gateway's answers.
 */
import type { OpContext } from "../context.js";
import { error, type Expected } from "../checks.js";
import type { Key, MemoryRecord } from "../model.js";
import { resolveScope, type Scope } from "../scope.js";

/** Either the effective scope, or the error the request must fail with. */
export type ScopeCheck = { effective: Scope; fail?: undefined } | { fail: Expected; invalid: boolean };

/** Resolves every requested scope of one request; a malformed one wins over a forbidden one. */
export function checkScopes(key: Key, ...requested: unknown[]): ScopeCheck {
  const resolved = requested.map((r) => resolveScope(key.floor, r));
  if (resolved.some((r) => "code" in r && r.code === "BAD_USER_INPUT"))
    return { fail: error("BAD_USER_INPUT"), invalid: true };
  if (resolved.some((r) => "code" in r)) return { fail: error("FORBIDDEN"), invalid: false };
  return { effective: (resolved[0] as { effective: Scope }).effective };
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `value` as a GraphQL literal, or null when it cannot be written as one (then send a variable). */
export function graphqlLiteral(value: unknown): string | null {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? null : JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map(graphqlLiteral);
    return items.includes(null) ? null : `[${items.join(", ")}]`;
  }
  if (typeof value === "object") {
    const fields: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const lit = graphqlLiteral(v);
      if (!NAME.test(k) || lit === null) return null;
      fields.push(`${k}: ${lit}`);
    }
    return `{${fields.join(", ")}}`;
  }
  return null;
}

/** Adds a memory the gateway created to the model (scope as the gateway stored it). */
export function addMemory(
  ctx: OpContext,
  made: { id: string; scope: Scope; text: string },
  sessionId: string | null,
  sourceId: string | null = null,
  contextId = ctx.key!.contextId,
): MemoryRecord {
  const key = ctx.key!;
  const rec: MemoryRecord = {
    id: made.id,
    contextId,
    scope: made.scope,
    owner: key.label,
    tenant: key.tenant.name,
    position: ctx.model.nextPosition(),
    alive: true,
    text: made.text,
    sessionId,
    sourceId,
  };
  ctx.model.memories.set(rec.id, rec);
  return rec;
}

/** Marks the memories and documents the gateway reports deleted as dead in the model. */
export function markDeleted(ctx: OpContext, ids: readonly string[]): void {
  for (const id of ids) {
    const m = ctx.model.memories.get(id);
    if (m) m.alive = false;
    const d = ctx.model.documents.get(id);
    if (d) d.alive = false;
  }
}
