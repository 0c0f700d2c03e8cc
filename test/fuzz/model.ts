/**
 * The model: every record the run created (who wrote it, where, at which scope, whether it still
 * exists) and the visibility rules of the brief, as pure functions of that state. The runner asks it
 * what each key should see, read, use and delete, and updates it from what the gateway did.
 */
import { carries, isInSubtree, isSubset, type Scope } from "./scope.js";

export type Principal = "AGENT" | "SUPERVISOR";
/** Owner label of records written by the management key. */
export const MANAGEMENT = "management";

export interface Tenant {
  name: string;
  org: string;
  contextId: string;
  pattern: "shared" | "separate";
  /** Appears in every text this tenant writes, and in no other tenant's text. */
  canary: string;
  /** Its floor should have been refused (a Unicode probe the gateway accepted). */
  invalidFloor?: boolean;
  keys: Key[];
}

export interface Key {
  /** e.g. "acme/a1"; also the owner label of what the key writes. */
  label: string;
  secret: string;
  principal: Principal;
  floor: Scope;
  tenant: Tenant;
  contextId: string;
}

/** What all tenant records share: where they live, their scope, who wrote them. */
export interface OwnedRecord {
  id: string;
  contextId: string;
  scope: Scope;
  /** Key label, or MANAGEMENT. */
  owner: string;
  /** Tenant name of the owner; null for management-written (shared) records. */
  tenant: string | null;
  /** Sort position in list order (see `positionOf`). */
  position: string;
  alive: boolean;
}

export interface MemoryRecord extends OwnedRecord {
  text: string;
  sessionId: string | null;
  sourceId: string | null;
}

export interface SessionRecord extends OwnedRecord {
  ended: boolean;
  turns: Array<{ role: string; content: string }>;
}

export interface DocumentRecord extends OwnedRecord {
  title: string;
  mimeType: string;
  content: string;
  chunkIds: string[];
}

export type RecordKind = "memory" | "session" | "document";
/** The connection fields whose cursors the model tracks. */
export type ListKind = "memories" | "sessions" | "documents";

export class Model {
  readonly tenants: Tenant[] = [];
  readonly keys: Key[] = [];
  readonly contexts: string[] = [];
  readonly memories = new Map<string, MemoryRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly documents = new Map<string, DocumentRecord>();
  /** Chunk id → document id. */
  readonly chunkDocument = new Map<string, string>();
  /** Bumped whenever a tenant sends a write that could change its recall corpus. */
  private readonly versions = new Map<string, number>();
  /** Cursors the gateway handed out: cursor → list kind and the position it stands for. */
  readonly cursors = new Map<string, { list: ListKind; position: string; key: string; view: string }>();
  /** Last probe recall per "key|mode": the hits and scores, and the tenant's version then. */
  readonly probes = new Map<string, { version: number; hits: string }>();
  private created = 0;

  /** Position of a new memory or document: creation order (the lists are in time order). */
  nextPosition(): string {
    this.created += 1;
    return String(this.created).padStart(10, "0");
  }

  table(kind: RecordKind): Map<string, OwnedRecord> {
    return kind === "memory" ? this.memories : kind === "session" ? this.sessions : this.documents;
  }

  record(kind: RecordKind, id: string): OwnedRecord | undefined {
    return this.table(kind).get(id);
  }

  tenantVersion(tenant: string): number {
    return this.versions.get(tenant) ?? 0;
  }

  bumpTenant(tenant: string): void {
    this.versions.set(tenant, this.tenantVersion(tenant) + 1);
  }

  /** `view` names the list's effective scope: a cursor belongs to one list (field and scope). */
  noteCursor(cursor: string, list: ListKind, position: string, key: string, view: string): void {
    if (this.cursors.size >= 4000) this.cursors.delete(this.cursors.keys().next().value!);
    this.cursors.set(cursor, { list, position, key, view });
  }

  // ---- the rules ------------------------------------------------------------------------------

  /** Lists and recall at effective scope E: agents S ⊆ E, supervisors the subtree under E. */
  listVisible(key: Key, effective: Scope, rec: OwnedRecord): boolean {
    if (!rec.alive || rec.contextId !== key.contextId) return false;
    return key.principal === "AGENT" ? isSubset(rec.scope, effective) : isInSubtree(rec.scope, effective);
  }

  /**
   * By-id reads: agents S ⊆ F, or their own record at a scope carrying F (ownership);
   * supervisors the subtree under F.
   */
  readableById(key: Key, rec: OwnedRecord | undefined): boolean {
    if (!rec?.alive || rec.contextId !== key.contextId) return false;
    if (key.principal === "SUPERVISOR") return isInSubtree(rec.scope, key.floor);
    return isSubset(rec.scope, key.floor) || (rec.owner === key.label && carries(rec.scope, key.floor));
  }

  /** True when only the ownership clause makes `rec` readable by id (S ⊄ F). */
  readableOnlyAsOwner(key: Key, rec: OwnedRecord | undefined): boolean {
    return (
      this.readableById(key, rec) && key.principal === "AGENT" && rec !== undefined && !isSubset(rec.scope, key.floor)
    );
  }

  /** Deletes: records carrying F; agents only their own. */
  deletable(key: Key, rec: OwnedRecord | undefined): boolean {
    if (!rec?.alive || rec.contextId !== key.contextId || !carries(rec.scope, key.floor)) return false;
    return key.principal === "SUPERVISOR" || rec.owner === key.label;
  }

  /** Sessions take turns and end only by their owner. */
  ownsSession(key: Key, session: SessionRecord | undefined): boolean {
    return session !== undefined && session.contextId === key.contextId && session.owner === key.label;
  }

  /** A record the key's tenant must never see: another tenant's, or from another Context. */
  isForeign(key: Key, rec: OwnedRecord): boolean {
    return rec.contextId !== key.contextId || (rec.tenant !== null && rec.tenant !== key.tenant.name);
  }

  /** Every live record of `kind` the key should list at effective scope E. */
  expectedList(kind: RecordKind, key: Key, effective: Scope): OwnedRecord[] {
    return [...this.table(kind).values()].filter((r) => this.listVisible(key, effective, r));
  }

  /** Live memories the key may delete whose scope carries every tag of `under` (forget by scope). */
  forgettableUnder(key: Key, under: Scope): MemoryRecord[] {
    return [...this.memories.values()].filter((m) => this.deletable(key, m) && carries(m.scope, under));
  }

  /** Live memories extracted from `sourceId`. */
  derivedOf(sourceId: string): MemoryRecord[] {
    return [...this.memories.values()].filter((m) => m.alive && m.sourceId === sourceId);
  }

  /** The live document a chunk belongs to. */
  documentOfChunk(chunkId: string): DocumentRecord | undefined {
    const id = this.chunkDocument.get(chunkId);
    return id ? this.documents.get(id) : undefined;
  }

  /** Live records of `kind` in a Context, for audits. */
  liveIn(kind: RecordKind, contextId: string): OwnedRecord[] {
    return [...this.table(kind).values()].filter((r) => r.alive && r.contextId === contextId);
  }

  tenantByCanary(text: string): Tenant | undefined {
    return this.tenants.find((t) => text.includes(t.canary));
  }
}
