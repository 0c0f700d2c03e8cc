import { mayDelete, type RecordView } from "../../domain/access.js";
import { BadUserInputError, NotFoundError } from "../../domain/errors.js";
import type { MemoryModel, SessionModel } from "../../domain/models.js";
import { scopeOfKey, type Scope } from "../../domain/scope.js";
import { partitionOf } from "../../db/ids.js";
import type { TenantBinding } from "./binding.js";
import { loadById } from "./byId.js";
import { indexerFor } from "./indexer.js";
import { metadataOf, type PageArgs, pagedList, storableText } from "./inputs.js";
import { checkQuery, rankRecords } from "./retrieval.js";
import { loadSession } from "./sessions.js";

/** Most ids one forget call takes. */
export const MAX_FORGET_IDS = 1000;

export interface RememberItem {
  text: string;
  metadata?: unknown;
  /** Overrides the call's scope for this item. */
  scope?: Scope | null;
}

/** A memory by id as its caller may read it (null: unknown or invisible), batched per request. */
export function loadMemory(binding: TenantBinding, id: string): Promise<MemoryModel | null> {
  return loadById(binding, "memory", id, (exec) => exec.memories);
}

/**
 * Stores memories in one transaction: every item is validated, analyzed and embedded first,
 * then all are stored or none (DESIGN §7). With `linkToFirst`, the items after the first are
 * facts extracted from it (`source`). Errors: BAD_USER_INPUT naming the item, FORBIDDEN (a
 * scope outside the floor), NOT_FOUND (a session the caller cannot read), and the request's
 * abort reason when it timed out before the write started (then nothing is stored).
 */
export async function storeMemories(
  binding: TenantBinding,
  input: { items: readonly RememberItem[]; scope?: Scope | null; sessionId?: string | null },
  opts: { linkToFirst?: boolean } = {},
): Promise<MemoryModel[]> {
  const max = binding.limits.rememberManyMax;
  if (input.items.length === 0) throw new BadUserInputError("items must not be empty", "items");
  if (input.items.length > max) throw new BadUserInputError(`at most ${max} items per call`, "items");
  const many = input.items.length > 1;
  const items = input.items.map((item, i) => {
    const at = (field: string) => (many ? `items[${i}].${field}` : field);
    return {
      text: storableText(item.text, at("text")),
      metadata: metadataOf(item.metadata, at("metadata")),
      scope: binding.access.write(item.scope ?? input.scope),
    };
  });
  const sessionId = input.sessionId ?? null;
  if (sessionId !== null && !(await loadSession(binding, sessionId))) throw new NotFoundError("session");
  const indexer = await indexerFor(binding, binding.access.write(input.scope));
  const indexed = await indexer.index(items.map((m) => m.text));
  // A request that timed out by now stores nothing: the transaction checks the signal before it starts.
  return (await binding.executor()).memories.create(
    items.map((m, i) => ({ ...m, ...indexed[i]!, sessionId })),
    { ...opts, signal: binding.signal },
  );
}

/** Memories, as one request's caller sees them in one Context. */
export class MemoryService {
  constructor(private readonly binding: TenantBinding) {}

  /** One memory: a batch of one. */
  async remember(input: {
    text: string;
    scope?: Scope | null;
    sessionId?: string | null;
    metadata?: unknown;
  }): Promise<MemoryModel> {
    const [made] = await storeMemories(this.binding, {
      items: [{ text: input.text, metadata: input.metadata }],
      scope: input.scope,
      sessionId: input.sessionId,
    });
    return made!;
  }

  rememberMany(input: {
    items: readonly RememberItem[];
    scope?: Scope | null;
    sessionId?: string | null;
  }): Promise<MemoryModel[]> {
    return storeMemories(this.binding, input);
  }

  /** One memory by id. Errors: NOT_FOUND. */
  async get(id: string): Promise<MemoryModel> {
    const found = await loadMemory(this.binding, id);
    if (!found) throw new NotFoundError("memory");
    return found;
  }

  /** A page of the list at the requested scope, oldest first unless `orderBy` says otherwise; cursors belong to this list. */
  async page(args: PageArgs & { scope?: Scope | null }) {
    const view = this.binding.access.list(args.scope);
    const exec = await this.binding.executor();
    return pagedList("memories", view, args, "ASC", (req) => exec.memories.page(view, req));
  }

  /**
   * Forget by ids (records the caller may delete), by scope (every record at or under the named
   * scope that the caller may delete: agents their own, supervisors everything under their floor)
   * or by query (the best `limit` lexical matches among the records the caller may delete).
   * `dryRun` reports what would go and deletes nothing. Unknown and invisible ids count 0.
   */
  async forget(input: {
    ids?: readonly string[] | null;
    scope?: Scope | null;
    query?: string | null;
    limit?: number | null;
    dryRun?: boolean | null;
  }): Promise<{ count: number; dryRun: boolean; ids: string[] }> {
    const modes = [input.ids, input.scope, input.query].filter((v) => v !== undefined && v !== null).length;
    if (modes !== 1) throw new BadUserInputError("forget needs exactly one of ids, scope or query");
    const dryRun = input.dryRun ?? false;
    const { access } = this.binding;
    const exec = await this.binding.executor();
    const rule = access.deletes;
    // Whatever the caller may delete lies at or under its floor (the management key: anywhere).
    const deletable: RecordView = access.isManagement ? { kind: "all" } : { kind: "under", scope: rule.under };
    let ids: string[];
    if (input.ids) {
      if (input.ids.length > MAX_FORGET_IDS)
        throw new BadUserInputError(`at most ${MAX_FORGET_IDS} ids per forget`, "ids");
      ids = await exec.memories.deleteIds(input.ids, deletable, rule, dryRun);
    } else if (input.scope) {
      ids = await exec.memories.deleteUnder(access.forgetScope(input.scope), rule, dryRun);
    } else {
      const limit = input.limit ?? 10;
      const max = this.binding.limits.recallTopKMax;
      if (!Number.isInteger(limit) || limit < 1 || limit > max)
        throw new BadUserInputError(`limit must be 1–${max}`, "limit");
      // Lexical only: deleting must not reach records that merely sit near the query in vector space.
      const ranked = await rankRecords(this.binding, {
        query: checkQuery(input.query!),
        topK: limit,
        mode: "LEXICAL",
        view: deletable,
        withChunks: false,
        sessionId: null,
        recencyHalfLifeDays: null,
        embedScope: access.write(null),
        keep: (row) => mayDelete(rule, { scope: scopeOfKey(partitionOf(row.id) ?? "") ?? {}, owner: row.owner }),
      });
      ids = await exec.memories.deleteIds(
        ranked.map((h) => h.id),
        deletable,
        rule,
        dryRun,
      );
    }
    return { count: ids.length, dryRun, ids };
  }

  /** Facts extracted from this memory (remember with infer), batched per request. */
  derived(memory: MemoryModel): Promise<MemoryModel[]> {
    return this.binding
      .loader<MemoryModel[]>("derived", async (ids) => {
        const byId = await (await this.binding.executor()).memories.derivedOf(ids, this.binding.access.byId());
        return ids.map((id) => byId.get(id) ?? []);
      })
      .load(memory.id);
  }

  /** The memory this fact was extracted from (null when gone or invisible). */
  source(memory: MemoryModel): Promise<MemoryModel | null> {
    return memory.sourceId ? loadMemory(this.binding, memory.sourceId) : Promise.resolve(null);
  }

  /** The session this memory belongs to (null when gone or invisible). */
  session(memory: MemoryModel): Promise<SessionModel | null> {
    return memory.sessionId ? loadSession(this.binding, memory.sessionId) : Promise.resolve(null);
  }
}
