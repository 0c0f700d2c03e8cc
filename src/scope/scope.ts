/**
 * Scope algebra (DESIGN §3). Pure functions: no I/O, no GraphQL.
 * A scope is a small map dimension → value; the floor of a key is the minimum
 * scope it always carries.
 */
export type Scope = Readonly<Record<string, string>>;

export const MAX_DIMS = 8;
export const MAX_VALUE_LENGTH = 128;
const DIM_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
// Printable: no control characters (C0, DEL, C1). Any other Unicode is fine.
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f]+$/u;

export class ScopeSyntaxError extends Error {}
export class ScopeViolation extends Error {}

/** Validates an untrusted value and returns it as a frozen Scope. */
export function parseScope(value: unknown): Scope {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ScopeSyntaxError("scope must be an object of dimension to string value");
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_DIMS) throw new ScopeSyntaxError(`scope has more than ${MAX_DIMS} dimensions`);
  const out: Record<string, string> = {};
  for (const [dim, v] of entries) {
    if (!DIM_PATTERN.test(dim)) throw new ScopeSyntaxError(`invalid scope dimension name "${dim.slice(0, 40)}"`);
    if (typeof v !== "string" || v.length === 0 || [...v].length > MAX_VALUE_LENGTH || !PRINTABLE.test(v)) {
      throw new ScopeSyntaxError(`scope value of "${dim}" must be 1–${MAX_VALUE_LENGTH} printable characters`);
    }
    out[dim] = v;
  }
  return Object.freeze(out);
}

/**
 * Effective scope E = floor F merged with requested R. R may add dimensions
 * (narrow) but never change a floor dimension (move sideways or broaden).
 */
export function effectiveScope(floor: Scope, requested?: Scope | null): Scope {
  if (!requested) return floor;
  for (const [dim, value] of Object.entries(floor)) {
    if (dim in requested && requested[dim] !== value) {
      throw new ScopeViolation(`scope dimension "${dim}" is fixed by the key's floor`);
    }
  }
  return Object.freeze({ ...requested, ...floor });
}

/** Agent visibility: a record scope S is visible at E iff S ⊆ E. */
export function isVisibleAt(recordScope: Scope, effective: Scope): boolean {
  return Object.entries(recordScope).every(([d, v]) => effective[d] === v);
}

/** Supervisor visibility: the record's scope does not contradict E (the subtree under E). */
export function isInSubtree(recordScope: Scope, effective: Scope): boolean {
  return Object.entries(effective).every(([d, v]) => !(d in recordScope) || recordScope[d] === v);
}

/** A write at scope S is allowed for floor F iff S carries every floor tag. */
export function carriesFloor(recordScope: Scope, floor: Scope): boolean {
  return Object.entries(floor).every(([d, v]) => recordScope[d] === v);
}

/** "dim=value" tags, the form the database indexes and permission clauses compare. */
export function scopeTags(scope: Scope): string[] {
  return Object.entries(scope).map(([d, v]) => `${d}=${v}`);
}
