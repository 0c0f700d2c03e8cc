/**
 * Relay's `node(id:)` and `nodes(ids:)`, and federation's entity references: a global id is
 * decoded (domain/globalIds.ts) and looked up through exactly the service and visibility rule of
 * the typed field that shows that type, so `node(id:)` can never show more than the typed fields:
 *
 * | type | as | who |
 * |---|---|---|
 * | Context, Key | `context(id:)`, `keys(contextId:)` | the management key (anyone else: null) |
 * | Session, Memory, Document | `session(id:)`, `memory(id:)`, `document(id:)` (the by-id rule) | the id's Context's callers |
 * | DocumentChunk | `Document.chunks` (its document's by-id rule) | 〃 |
 * | Turn | `Session.turns` (its session's by-id rule) | 〃 |
 * | DecisionTrace | `decisionTraces` (at or under the floor) | 〃 |
 *
 * Everything that names nothing for the caller (another tenant's or Context's id, a type it may
 * not read, a forged or malformed id, an id of a type that is no Node) is null: no error tells
 * one case from another.
 */
import { isTenantCaller } from "../../domain/caller.js";
import { BadUserInputError } from "../../domain/errors.js";
import { decodeGlobalId, type GlobalId, NODE_TYPES, type NodeType } from "../../domain/globalIds.js";
import type {
  ChunkModel,
  ContextModel,
  DecisionTraceModel,
  DocumentModel,
  KeyModel,
  MemoryModel,
  SessionModel,
  TurnModel,
} from "../../domain/models.js";
import type { RequestContext } from "../requestContext.js";
import { orNull } from "./connections.js";

/** Most ids one `nodes` call takes. */
export const MAX_NODES = 100;

const NODE_TYPE_SET: ReadonlySet<string> = new Set(NODE_TYPES);
const isNodeType = (type: string): type is NodeType => NODE_TYPE_SET.has(type);

/** The models of the Node types. */
type NodeModel =
  | ContextModel
  | KeyModel
  | SessionModel
  | TurnModel
  | MemoryModel
  | DocumentModel
  | ChunkModel
  | DecisionTraceModel;

/** A Node as resolved: the type's model, tagged with its GraphQL type for `Node.__resolveType`. */
export type NodeValue = NodeModel & { __typename: NodeType };

/**
 * The object `id` names for this caller, or null. `expected`: only objects of this type (an
 * entity reference names its type). Errors: only what the services raise for reasons other than
 * visibility (e.g. the database being down), never anything about the id itself.
 */
export async function resolveNode(ctx: RequestContext, id: unknown, expected?: NodeType): Promise<NodeValue | null> {
  const g = decodeGlobalId(id);
  if (!g || !isNodeType(g.type) || (expected && g.type !== expected)) return null;
  const type = g.type;
  const value = await orNull(() => load(ctx, g, type));
  return value ? { ...value, __typename: type } : null;
}

/** `nodes(ids:)`: each id as `node(id:)` answers it, in order. Errors: BAD_USER_INPUT beyond MAX_NODES ids. */
export function resolveNodes(ctx: RequestContext, ids: readonly string[]): Promise<Array<NodeValue | null>> {
  if (ids.length > MAX_NODES) throw new BadUserInputError(`at most ${MAX_NODES} ids per nodes call`, "ids");
  return Promise.all(ids.map((id) => resolveNode(ctx, id)));
}

async function load(ctx: RequestContext, g: GlobalId, type: NodeType): Promise<NodeModel | null> {
  const { caller } = ctx;
  if (type === "Context") {
    return caller.kind === "MANAGEMENT" ? ((await ctx.contexts.getMany([g.contextId]))[0] ?? null) : null;
  }
  if (type === "Key") {
    return caller.kind === "MANAGEMENT"
      ? ((await keysOf(ctx, g.contextId)).find((k) => k.id === g.local) ?? null)
      : null;
  }
  // Tenant records: a tenant credential's own Context only; the management key's any (an unknown one: NOT_FOUND, so null).
  if (caller.kind === "ANONYMOUS" || (isTenantCaller(caller) && caller.context.id !== g.contextId)) return null;
  const api = ctx.tenant(g.contextId);
  switch (type) {
    case "Session":
      return api.sessions.get(g.local);
    case "Memory":
      return api.memories.get(g.local);
    case "Document":
      return api.documents.get(g.local);
    case "DocumentChunk":
      return api.documents.chunk(g.local);
    case "Turn":
      return api.sessions.turn(g.local);
    case "DecisionTrace":
      return api.usage.trace(g.local);
  }
}

/** A Context's keys, read once per request however many Key ids name it. */
const keyLists = new WeakMap<RequestContext, Map<string, Promise<KeyModel[]>>>();
function keysOf(ctx: RequestContext, contextId: string): Promise<KeyModel[]> {
  const lists = keyLists.get(ctx) ?? new Map<string, Promise<KeyModel[]>>();
  keyLists.set(ctx, lists);
  const list = lists.get(contextId) ?? ctx.keys.list(contextId);
  lists.set(contextId, list);
  return list;
}
