/**
 * The fuzzer's own scope algebra (DESIGN §3), written independently of src/scope so that the
 * model does not inherit the gateway's bugs. A scope is a map dimension → value.
 */
export type Scope = Readonly<Record<string, string>>;

const DIM = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_DIMS = 8;
const MAX_VALUE_CODE_POINTS = 128;

/** Outcome of validating a requested scope against a key's floor. */
export type ScopeResolution = { effective: Scope } | { code: "BAD_USER_INPUT" | "FORBIDDEN" };

/**
 * True when `value` is a well-formed scope: an object of at most 8 dims named like
 * `[a-z][a-z0-9_]{0,31}`, each value a non-empty string of at most 128 printable characters
 * that the database cannot alter (no control characters, lone surrogates or noncharacters),
 * in Unicode NFC, without invisible format characters (other than ZWJ/ZWNJ) and without
 * white space at either end (README, "How the floor is enforced": values are compared as given).
 */
export function isWellFormedScope(value: unknown): value is Scope {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_DIMS) return false;
  return entries.every(([dim, v]) => DIM.test(dim) && isWellFormedValue(v));
}

function isWellFormedValue(v: unknown): boolean {
  if (typeof v !== "string" || v.length === 0) return false;
  if (/^\s|\s$/u.test(v) || /(?![\u200C\u200D])\p{Cf}/u.test(v)) return false;
  if (!/[\uD800-\uDFFF]/.test(v) && v.normalize("NFC") !== v) return false;
  let points = 0;
  for (let i = 0; i < v.length; i++) {
    const unit = v.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = v.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false; // lone high surrogate
      const cp = ((unit - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      if ((cp & 0xfffe) === 0xfffe) return false; // plane noncharacter U+xFFFE / U+xFFFF
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false; // lone low surrogate
    } else if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) {
      return false; // C0, DEL, C1
    } else if ((unit >= 0xfdd0 && unit <= 0xfdef) || unit === 0xfffe || unit === 0xffff) {
      return false; // noncharacters
    }
    points++;
  }
  return points <= MAX_VALUE_CODE_POINTS;
}

/**
 * Effective scope E = F ∪ R of a request. A malformed R is BAD_USER_INPUT; R naming a floor
 * dimension with another value is FORBIDDEN; no R (undefined/null) means E = F.
 */
export function resolveScope(floor: Scope, requested: unknown): ScopeResolution {
  if (requested === undefined || requested === null) return { effective: floor };
  if (!isWellFormedScope(requested)) return { code: "BAD_USER_INPUT" };
  for (const [dim, value] of Object.entries(floor)) {
    if (Object.hasOwn(requested, dim) && requested[dim] !== value) return { code: "FORBIDDEN" };
  }
  return { effective: { ...requested, ...floor } };
}

/** S ⊆ E: every tag of the record's scope is in E (the agent's list rule). */
export function isSubset(s: Scope, e: Scope): boolean {
  return Object.entries(s).every(([d, v]) => Object.hasOwn(e, d) && e[d] === v);
}

/** S does not contradict E: each dim of E is absent from S or equal (the supervisor's subtree rule). */
export function isInSubtree(s: Scope, e: Scope): boolean {
  return Object.entries(e).every(([d, v]) => !Object.hasOwn(s, d) || s[d] === v);
}

/** S carries every tag of U: the record is "at or under" U. */
export function carries(s: Scope, u: Scope): boolean {
  return isSubset(u, s);
}

export function sameScope(a: Scope, b: Scope): boolean {
  return isSubset(a, b) && isSubset(b, a);
}

/** Canonical text of a scope, for messages and map keys. */
export function showScope(s: unknown): string {
  if (s === undefined) return "none";
  if (s === null || typeof s !== "object" || Array.isArray(s)) return JSON.stringify(s) ?? String(s);
  const entries = Object.entries(s as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([d, v]) => `${d}:${JSON.stringify(v)}`).join(",")}}`;
}
