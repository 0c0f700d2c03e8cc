/**
 * Who may see, write and delete which tenant records (DESIGN §3 and §5), as pure rules over an
 * actor and a record's (scope, owner). Built once per request per Context; the scoped executor
 * turns each view into its SurrealQL predicate (layer 2) and the table PERMISSIONS enforce the
 * floor underneath (layer 3). These functions are also the fuzzer's and the tests' oracle.
 */
import { ReadOnlyCredentialError, type AccessLevel } from "./credentials.js";
import { BadUserInputError } from "./errors.js";
import { carriesFloor, effectiveScope, EMPTY_SCOPE, isInSubtree, isVisibleAt, type Scope } from "./scope.js";

export type ActorPrincipal = "AGENT" | "SUPERVISOR" | "MANAGEMENT";

/** The caller as the tenant plane sees it inside one Context. */
export interface Actor {
  contextId: string;
  /**
   * The owner id of what this actor writes (TenantCaller.owner): the context key's id, also for
   * the tokens it issued; `jwt:…` for an external JWT's end user; null for the management key.
   */
  keyId: string | null;
  principal: ActorPrincipal;
  /** {} for the management key. */
  floor: Scope;
  /** READ actors may read and recall, nothing else (README: Credentials); the management key: READ_WRITE. */
  access: AccessLevel;
  /**
   * The key generation a context key or browser token authenticated with (`keyId` is the key):
   * every write transaction checks it against the key's credential row, so nothing commits for a
   * key after its revocation or rotation returned. Absent for external JWTs and the management key.
   */
  generation?: string;
}

/**
 * Which records a read may return, as data:
 * - `all`: every record (the management key without a scope);
 * - `subset`: S ⊆ scope (an agent's lists and recall at its effective scope);
 * - `subtree`: S does not contradict scope (a supervisor's, or the management key's with a scope);
 * - `under`: S carries every tag of scope (at or under it: usage, forget and redaction by scope);
 * - `reachable`: S ⊆ floor, or the record is the agent's own and carries its floor (by-id reads).
 */
export type RecordView =
  | { readonly kind: "all" }
  | { readonly kind: "subset"; readonly scope: Scope }
  | { readonly kind: "subtree"; readonly scope: Scope }
  | { readonly kind: "under"; readonly scope: Scope }
  | { readonly kind: "reachable"; readonly floor: Scope; readonly owner: string };

/** A record as the rules see it. */
export interface ScopedRecord {
  scope: Scope;
  owner: string | null;
}

/** Whether a view admits a record. */
export function viewAdmits(view: RecordView, record: ScopedRecord): boolean {
  switch (view.kind) {
    case "all":
      return true;
    case "subset":
      return isVisibleAt(record.scope, view.scope);
    case "subtree":
      return isInSubtree(record.scope, view.scope);
    case "under":
      return carriesFloor(record.scope, view.scope);
    case "reachable":
      return (
        isVisibleAt(record.scope, view.floor) || (record.owner === view.owner && carriesFloor(record.scope, view.floor))
      );
  }
}

/**
 * Which records a caller may delete: those carrying every tag of `under`, and for agents only
 * their own (`owner`). Null `owner` = any writer.
 */
export interface DeleteRule {
  readonly under: Scope;
  readonly owner: string | null;
}

export const mayDelete = (rule: DeleteRule, record: ScopedRecord): boolean =>
  carriesFloor(record.scope, rule.under) && (rule.owner === null || record.owner === rule.owner);

/**
 * The access rules of one actor (DESIGN §5):
 *
 * | | agent | supervisor | management |
 * |---|---|---|---|
 * | lists, recall at E = F ∪ R | subset(E) | subtree(E) | all, or subtree(R) |
 * | by id | reachable(F, self) | subtree(F) | all |
 * | usage, traces | under(E) | under(E) | all, or under(R) |
 * | write | stamped E | stamped E | stamped R or {} |
 * | delete | own, under F | under F | all |
 *
 * A READ actor (a READ key, token or JWT) reads like its principal but every write, delete and
 * forget is FORBIDDEN here (layer 2), besides the shield above and the table permissions below.
 */
export class AccessRules {
  constructor(readonly actor: Actor) {}

  get isManagement(): boolean {
    return this.actor.principal === "MANAGEMENT";
  }

  /** E = F ∪ R. Errors: ScopeViolation (FORBIDDEN) when R moves a floor dimension. */
  effective(requested: Scope | null | undefined): Scope {
    return effectiveScope(this.actor.floor, requested ?? null);
  }

  /** What a list, page or recall at the requested scope may return. */
  list(requested?: Scope | null): RecordView {
    if (this.isManagement) return requested ? { kind: "subtree", scope: requested } : { kind: "all" };
    const scope = this.effective(requested);
    return this.actor.principal === "SUPERVISOR" ? { kind: "subtree", scope } : { kind: "subset", scope };
  }

  /** What a read by id (or along a relationship: source, derived, chunks, a session) may return. */
  byId(): RecordView {
    if (this.isManagement) return { kind: "all" };
    if (this.actor.principal === "SUPERVISOR") return { kind: "subtree", scope: this.actor.floor };
    return { kind: "reachable", floor: this.actor.floor, owner: this.actor.keyId ?? "" };
  }

  /** What usage and decision traces cover: every call at or under E (management: everything, or under R). */
  usage(requested?: Scope | null): RecordView {
    if (this.isManagement) return requested ? { kind: "under", scope: requested } : { kind: "all" };
    return { kind: "under", scope: this.effective(requested) };
  }

  /** Errors: ReadOnlyCredentialError (FORBIDDEN) for a READ actor. */
  assertMayWrite(): void {
    if (this.actor.access !== "READ_WRITE") throw new ReadOnlyCredentialError();
  }

  /** The scope a write is stamped with. Errors: FORBIDDEN for a READ actor or outside the floor. */
  write(requested?: Scope | null): Scope {
    this.assertMayWrite();
    return this.traceScope(requested);
  }

  /**
   * The scope of a model call's decision trace: E, as for a write, but allowed to READ actors
   * too (a recall with a remote embedding model is traced and budgeted like any model call).
   */
  traceScope(requested?: Scope | null): Scope {
    if (this.isManagement) return requested ?? EMPTY_SCOPE;
    return this.effective(requested);
  }

  /** Who may delete what; applies on top of the view that found the record. Errors: FORBIDDEN for READ. */
  get deletes(): DeleteRule {
    this.assertMayWrite();
    if (this.isManagement) return { under: EMPTY_SCOPE, owner: null };
    return { under: this.actor.floor, owner: this.actor.principal === "AGENT" ? (this.actor.keyId ?? "") : null };
  }

  /** The scope "forget by scope" empties: U = F ∪ R, every deletable record at or under it. */
  forgetScope(requested: Scope): Scope {
    this.assertMayWrite();
    if (this.isManagement) {
      if (Object.keys(requested).length === 0)
        throw new BadUserInputError("forget by scope {} would remove everything: name a scope", "scope");
      return requested;
    }
    return this.effective(requested);
  }

  /** A record this actor wrote (sessions: only the owner adds turns and ends them; management owns all). */
  owns(record: ScopedRecord): boolean {
    return this.isManagement || (record.owner !== null && record.owner === this.actor.keyId);
  }
}
