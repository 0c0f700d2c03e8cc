/**
 * Violations: what the fuzzer reports when the gateway breaks a rule of the model, by kind.
 */
export const VIOLATION_KINDS = {
  "canary-leak": "a response to a key contains another tenant's canary",
  "count-includes-foreign": "a list, count or id set includes another tenant's (or Context's) record",
  "foreign-deleted": "a record of another tenant was deleted",
  "wrong-delete": "a record the key may not delete was deleted (same tenant)",
  "wrong-visible-set": "a list or by-id read differs from what the key should see",
  ownership: "a key was refused its own record written at a narrowed scope",
  "forget-scope": "forget by scope removed a different set than everything deletable at or under the scope",
  "existence-oracle": "FORBIDDEN for a record the key cannot see (reveals it exists)",
  "internal-error": "INTERNAL_SERVER_ERROR, a missing error code or HTTP 5xx",
  "score-moved": "a tenant's probe recall changed although only other tenants wrote",
  "usage-mismatch": "token usage or traces differ from the traces at or under the key's floor",
  "invalid-scope-accepted": "a malformed scope (or floor) was accepted instead of BAD_USER_INPUT",
  "wrong-outcome": "the outcome (data or error code) differs from the model's",
  "record-lost": "a record the model holds alive is gone (found by a management audit)",
  "unexpected-record": "a record exists that no successful write created (found by a management audit)",
} as const;

export type ViolationKind = keyof typeof VIOLATION_KINDS;

export interface Violation {
  kind: ViolationKind;
  /** Index of the operation (0-based); -1 during setup. */
  op: number;
  opType: string;
  key: string;
  detail: string;
}

/** Collects violations; `max` bounds memory on very long runs (counts stay exact). */
export class Violations {
  readonly list: Violation[] = [];
  readonly counts = new Map<ViolationKind, number>();

  constructor(private readonly max = 20_000) {}

  add(v: Violation): void {
    this.counts.set(v.kind, (this.counts.get(v.kind) ?? 0) + 1);
    if (this.list.length < this.max) this.list.push(v);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }
}

/** One line per violation: op index, op type, key, kind, detail. */
export function describeViolation(v: Violation): string {
  const where = v.op < 0 ? "setup" : `op #${v.op}`;
  return `${where} ${v.opType} by ${v.key}: [${v.kind}] ${v.detail}`;
}
