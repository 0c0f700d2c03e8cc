/**
 * Global object ids (Relay's Global Object Identification). Every object type with an `id`
 * answers an id of this form, so no two objects of the API ever share one, whatever their types
 * (a normalized client cache keys records by id alone), and each id names its type and the
 * object's own id:
 *
 *   base64url(UTF-8 of "<Type>:<contextId>:<local id>")   tenant records, keys, audit rows, events
 *   base64url(UTF-8 of "Context:<contextId>")             Contexts
 *
 * The local id is the one the services and the database use (a record key's own opaque id, a
 * key's id). The Context travels in the id because a record's local id is unique only inside its
 * Context's database, and because it lets the management key resolve any id (`node(id:)`)
 * without naming the Context; a tenant caller's id of another Context names nothing for it.
 *
 * Ids are opaque to clients but not secret: anyone can decode one, and nothing is gained by
 * forging one, because every lookup still goes through the caller's visibility rules. Only the
 * canonical spelling of an id decodes (no padding, no alternative base64 alphabet, no trailing
 * bits), so one object has exactly one id.
 *
 * This module imports nothing, so every layer may use it.
 */

/** Types whose objects can be fetched again by id through `node(id:)`. */
export const NODE_TYPES = [
  "Context",
  "Key",
  "Session",
  "Turn",
  "Memory",
  "Document",
  "DocumentChunk",
  "DecisionTrace",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/**
 * Types with a global id that are not Nodes: an audit's row about a key (a point-in-time
 * report, refetched with its report) and a live event (gone once delivered).
 */
export const ID_ONLY_TYPES = ["AuditKey", "MemoryEvent"] as const;
export type IdType = NodeType | (typeof ID_ONLY_TYPES)[number];

const ID_TYPES: ReadonlySet<string> = new Set<string>([...NODE_TYPES, ...ID_ONLY_TYPES]);

/** Longest global id accepted: a local record id is at most 1,600 characters (db/ids.ts), plus type and Context. */
export const MAX_GLOBAL_ID_CHARS = 2_400;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A Context id as the control plane makes them (and nothing with a separator in it). */
const CONTEXT_PART = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What a global id names. `local` is "" for a Context (its id is `contextId`). */
export interface GlobalId {
  type: IdType;
  contextId: string;
  local: string;
}

/** The global id of an object of `type` with local id `local` in Context `contextId`. */
export function globalId(type: Exclude<IdType, "Context">, contextId: string, local: string): string {
  return Buffer.from(`${type}:${contextId}:${local}`, "utf8").toString("base64url");
}

/** The global id of a Context. */
export function contextGlobalId(contextId: string): string {
  return Buffer.from(`Context:${contextId}`, "utf8").toString("base64url");
}

/**
 * What a global id names, or null for anything that is not the canonical spelling of one
 * (garbage, a local id, a truncated or re-padded id, an unknown type). Never throws: ids are
 * client input, and an id that names nothing is simply unknown.
 */
export function decodeGlobalId(id: unknown): GlobalId | null {
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_GLOBAL_ID_CHARS || !BASE64URL.test(id)) return null;
  const bytes = Buffer.from(id, "base64url");
  // Canonical only: Node's decoder ignores trailing bits, so "QQ" and "QR" would both be "A".
  if (bytes.toString("base64url") !== id) return null;
  const text = bytes.toString("utf8");
  if (Buffer.from(text, "utf8").compare(bytes) !== 0) return null; // not valid UTF-8
  const first = text.indexOf(":");
  if (first < 1) return null;
  const type = text.slice(0, first);
  if (!ID_TYPES.has(type)) return null;
  const rest = text.slice(first + 1);
  if (type === "Context") {
    return CONTEXT_PART.test(rest) ? { type: "Context", contextId: rest, local: "" } : null;
  }
  const second = rest.indexOf(":");
  if (second < 1) return null;
  const contextId = rest.slice(0, second);
  const local = rest.slice(second + 1);
  if (!CONTEXT_PART.test(contextId) || local.length === 0) return null;
  return { type: type as IdType, contextId, local };
}

/**
 * The local id that `id` names when it is a global id of `type` in Context `contextId`;
 * null otherwise (another type, another Context, not a global id).
 */
export function localIdOf(id: unknown, type: Exclude<IdType, "Context">, contextId: string): string | null {
  const g = decodeGlobalId(id);
  return g && g.type === type && g.contextId === contextId ? g.local : null;
}

/**
 * A Context named by an argument: its global id, or its own id as created (`tenant-alpha`),
 * which management clients and the CLI use. Anything else comes back unchanged, to be refused
 * by the lookup like any unknown Context. (No global id can be mistaken for a Context's own id:
 * global ids of Contexts start with "Q29udGV4dD", which has capitals, and Context ids have none.)
 */
export function contextIdOf(idOrName: string): string {
  const g = decodeGlobalId(idOrName);
  return g?.type === "Context" ? g.contextId : idOrName;
}
