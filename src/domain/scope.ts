/**
 * Scope algebra (DESIGN §3). Pure functions: no I/O, no GraphQL.
 *
 * A scope is a small map dimension → value; the floor of a key is the minimum scope it always
 * carries. Scopes are frozen objects without a prototype, and every lookup goes through
 * `Object.hasOwn`, so a dimension called `constructor` or `toString` is an ordinary key.
 */
import { BadUserInputError, ForbiddenError } from "./errors.js";

export type Scope = Readonly<Record<string, string>>;

export const MAX_DIMS = 8;
export const MAX_VALUE_LENGTH = 128;
/** Scope dimension names: the one pattern every module uses. */
export const DIMENSION_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Code points a scope value may not contain: controls (Cc), surrogates (Cs: a lone one becomes
 * U+FFFD in storage), noncharacters (U+FDD0–FDEF and U+xFFFE/xFFFF of every plane), and format
 * characters (Cf: invisible, bidi overrides, U+FEFF) except ZWNJ/ZWJ, which emoji and some
 * scripts need. Two values that differ only in these would print alike in an audit or collapse
 * in storage, so they are refused instead (in the manner of PRECIS, RFC 8264).
 */
const DISALLOWED =
  /[\p{Cc}\p{Cs}\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]|(?![\u200C\u200D])\p{Cf}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A scope that is malformed: BAD_USER_INPUT. */
export class ScopeSyntaxError extends BadUserInputError {}
/** A requested scope outside the key's floor (sideways or broader): FORBIDDEN. */
export class ScopeViolation extends ForbiddenError {}

/** `scope[dim]` for own keys only (never an inherited `Object.prototype` member). */
export function scopeValue(scope: Scope, dim: string): string | undefined {
  return Object.hasOwn(scope, dim) ? scope[dim] : undefined;
}

/** A frozen, prototype-free scope from validated entries. */
function freeze(entries: Iterable<readonly [string, string]>): Scope {
  const out = Object.create(null) as Record<string, string>;
  for (const [d, v] of entries) out[d] = v;
  return Object.freeze(out);
}

export const EMPTY_SCOPE: Scope = freeze([]);

/**
 * Why a scope value is refused, or null. Values are compared exactly as given, and only their
 * Unicode NFC form is accepted: "café" typed as e + U+0301 is refused rather than silently
 * made equal to (or different from) the precomposed "café".
 */
export function scopeValueProblem(value: string): string | null {
  if (value.length === 0) return "must not be empty";
  if (LONE_SURROGATE.test(value)) return "contains a lone UTF-16 surrogate";
  if ([...value].length > MAX_VALUE_LENGTH) return `is longer than ${MAX_VALUE_LENGTH} characters`;
  if (DISALLOWED.test(value)) return "contains a control, format or noncharacter code point";
  if (/^\s|\s$/u.test(value)) return "starts or ends with white space";
  if (value.normalize("NFC") !== value) return "is not in Unicode normalization form C (NFC)";
  return null;
}

/** Validates an untrusted value and returns it as a frozen Scope. Errors: ScopeSyntaxError. */
export function parseScope(value: unknown, field = "scope"): Scope {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ScopeSyntaxError(`${field} must be an object of dimension to string value`, field);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_DIMS) throw new ScopeSyntaxError(`${field} has more than ${MAX_DIMS} dimensions`, field);
  const out: Array<[string, string]> = [];
  for (const [dim, v] of entries) {
    if (!DIMENSION_PATTERN.test(dim)) {
      throw new ScopeSyntaxError(`invalid scope dimension name "${dim.slice(0, 40)}" in ${field}`, field);
    }
    if (typeof v !== "string") throw new ScopeSyntaxError(`${field}.${dim} must be a string`, field);
    const problem = scopeValueProblem(v);
    if (problem) throw new ScopeSyntaxError(`${field}.${dim} ${problem}`, field);
    out.push([dim, v]);
  }
  return freeze(out);
}

/**
 * Effective scope E = floor F merged with requested R. R may add dimensions (narrow) but never
 * change a floor dimension (move sideways or broaden). Errors: ScopeViolation.
 */
export function effectiveScope(floor: Scope, requested?: Scope | null): Scope {
  if (!requested) return floor;
  for (const [dim, value] of Object.entries(floor)) {
    const asked = scopeValue(requested, dim);
    if (asked !== undefined && asked !== value) {
      throw new ScopeViolation(`scope dimension "${dim}" is fixed by the key's floor`);
    }
  }
  return freeze([...Object.entries(requested), ...Object.entries(floor)]);
}

/** Agent visibility (the subset rule): a record scope S is visible at E iff S ⊆ E. */
export function isVisibleAt(recordScope: Scope, effective: Scope): boolean {
  return Object.entries(recordScope).every(([d, v]) => scopeValue(effective, d) === v);
}

/** Supervisor visibility (the subtree rule): S does not contradict E. */
export function isInSubtree(recordScope: Scope, effective: Scope): boolean {
  return Object.entries(effective).every(([d, v]) => {
    const own = scopeValue(recordScope, d);
    return own === undefined || own === v;
  });
}

/** "At or under": S carries every tag of `scope` (the write rule for a floor, and forget/redact by scope). */
export function carriesFloor(recordScope: Scope, scope: Scope): boolean {
  return Object.entries(scope).every(([d, v]) => scopeValue(recordScope, d) === v);
}

/** "dim=value" tags, the form the database derives from a record's scope and permission clauses compare. */
export function scopeTags(scope: Scope): string[] {
  return Object.entries(scope).map(([d, v]) => `${d}=${v}`);
}

/** Canonical key of a scope: JSON of its entries sorted by dimension. Unambiguous for any values. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify(Object.entries(scope).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The scope a canonical key stands for (the inverse of scopeKey); null for anything else. */
export function scopeOfKey(key: string): Scope | null {
  try {
    const entries: unknown = JSON.parse(key);
    if (!Array.isArray(entries)) return null;
    if (
      !entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && typeof e[1] === "string")
    )
      return null;
    return freeze(entries as Array<[string, string]>);
  } catch {
    return null;
  }
}

/** A scope read back from storage (already validated when written): prototype-free and frozen. */
export function storedScope(value: unknown): Scope {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return EMPTY_SCOPE;
  return freeze(
    Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}
