import { monotonicFactory } from "ulid";
import { carriesFloor, type Scope } from "../scope/scope.js";

/**
 * Scope partitions. Memories, documents and chunks are keyed `table:[scopeKey, ulid]`, where
 * scopeKey is the canonical form of the record's scope. SurrealDB stores records in id order,
 * so everything one scope owns is a contiguous key range: a caller's reads become range scans
 * of the few partitions it may see, and cost grows with what the tenant owns, not with the
 * Context (issue 3). The `partition` table lists the scope keys in use, guarded by the same
 * PERMISSIONS as the records, so supervisors can enumerate their subtree.
 */

/** Canonical key of a scope: JSON of its entries sorted by dimension. Unambiguous for any values. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify(Object.entries(scope).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The scope a key stands for (the inverse of scopeKey). */
export function scopeOfKey(key: string): Scope {
  return Object.fromEntries(JSON.parse(key));
}

/** The keys whose scope carries every tag of `scope`: partitions "at or under" it. */
export function keysUnder(keys: readonly string[], scope: Scope): string[] {
  return keys.filter((k) => carriesFloor(scopeOfKey(k), scope));
}

/** Every scope key visible under the subset rule: the 2^|E| sub-scopes of the effective scope. */
export function subsetKeys(effective: Scope): string[] {
  const entries = Object.entries(effective);
  const keys: string[] = [];
  for (let mask = 0; mask < 1 << entries.length; mask++) {
    keys.push(scopeKey(Object.fromEntries(entries.filter((_, i) => mask & (1 << i)))));
  }
  return keys;
}

/** SurrealQL target covering one partition of a table; `param` names the variable holding the key. */
export const partitionRange = (table: string, param: string) => `${table}:[$${param}, NONE]..=[$${param}, ..]`;

/** The same range starting strictly after a ulid held in `afterParam`. */
export const partitionRangeAfter = (table: string, param: string, afterParam: string) =>
  `${table}:[$${param}, $${afterParam}]>..=[$${param}, ..]`;

/** Binds partition keys to variables p0..pn and returns the comma-separated range targets. */
export function rangeTargets(table: string, keys: readonly string[]): { from: string; vars: Record<string, string> } {
  const vars: Record<string, string> = {};
  const targets = keys.map((k, i) => {
    vars[`p${i}`] = k;
    return partitionRange(table, `p${i}`);
  });
  return { from: targets.join(", "), vars };
}

const nextUlid = monotonicFactory();
/** Time-ordered, monotonic within this process; the second half of every partitioned id. */
export const newUlid = (): string => nextUlid();

/**
 * Public ids of partitioned records are opaque: base64url of the [scopeKey, ulid] pair. Callers
 * cannot forge a useful one: every read still passes the visibility predicate and permissions.
 */
export function encodePartitionedId(parts: readonly [string, string]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** The [scopeKey, ulid] pairs of the well-formed ids among `ids` (others cannot name a record). */
export function decodePartitionedIds(ids: readonly string[]): Array<[string, string]> {
  return ids.map(decodePartitionedId).filter((p): p is [string, string] => p !== null);
}

export function decodePartitionedId(id: string): [string, string] | null {
  if (id.length > 1600 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  try {
    const parts = JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
    if (
      Array.isArray(parts) &&
      parts.length === 2 &&
      typeof parts[0] === "string" &&
      /^[0-9A-HJKMNP-TV-Z]{26}$/.test(parts[1])
    ) {
      return [parts[0], parts[1]];
    }
  } catch {
    // fall through: not one of ours
  }
  return null;
}
