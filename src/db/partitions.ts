/**
 * Scope partitions. Tenant records are keyed `table:[scopeKey, …]`, where scopeKey is the
 * canonical form of the record's scope (`domain/scope.ts`). SurrealDB stores records in id
 * order, so everything one scope owns is a contiguous key range: a caller's reads become range
 * scans of the few partitions it may see, and cost grows with what the tenant owns, not with
 * the Context. The `partition` table lists the scope keys in use, guarded by the same
 * PERMISSIONS as the records, so supervisors can enumerate their subtree.
 */
import { carriesFloor, scopeKey, scopeOfKey, scopeTags, type Scope } from "../domain/scope.js";
import type { LockRequest } from "./writeLocks.js";

/** The keys whose scope carries every tag of `scope`: partitions "at or under" it. */
export function keysUnder(keys: readonly string[], scope: Scope): string[] {
  return keys.filter((k) => {
    const s = scopeOfKey(k);
    return s !== null && carriesFloor(s, scope);
  });
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

/** Binds partition keys to variables p0..pn and returns the comma-separated range targets. */
export function rangeTargets(table: string, keys: readonly string[]): { from: string; vars: Record<string, string> } {
  const vars: Record<string, string> = {};
  const targets = keys.map((k, i) => {
    vars[`p${i}`] = k;
    return partitionRange(table, `p${i}`);
  });
  return { from: targets.join(", "), vars };
}

/**
 * Each partition key once, with its scope and the smallest ULID this write puts there: the rows a
 * write registers in its transaction. `first` is where a first page of a new partition starts
 * probing (see ids.ts `windowBounds`).
 */
export function partitionsOf(
  written: ReadonlyArray<{ scope: Scope; ulid: string }>,
): Array<{ key: string; scope: Scope; first: string; tags: string[]; dimset: string }> {
  const byKey = new Map<string, { key: string; scope: Scope; first: string; tags: string[]; dimset: string }>();
  for (const { scope, ulid } of written) {
    const key = scopeKey(scope);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { key, scope, first: ulid, tags: scopeTags(scope), dimset: dimsetOf(scope) });
    else if (ulid < seen.first) seen.first = ulid;
  }
  return [...byKey.values()];
}

/** A scope's dimension names, sorted and comma-joined: the registry's `dimset` (as the database computes it). */
export function dimsetOf(scope: Scope): string {
  return Object.keys(scope).sort().join(",");
}

/** The `partition_tag` record keys of a partition: one per tag of its scope. */
export function partitionTagKeys(key: string): Array<[string, string]> {
  const scope = scopeOfKey(key);
  return scope ? scopeTags(scope).map((t) => [t, key] as [string, string]) : [];
}

/** The scope a partition's records are written at, from its key ([] when the key is not a scope's). */
export function writtenAt(partitionKey: string): Scope[] {
  const scope = scopeOfKey(partitionKey);
  return scope ? [scope] : [];
}

/**
 * Locks on partition rows (writeLocks.ts): exclusive for transactions that create or bump the
 * row or delete inside its range (writes and deletes of records, retention, redaction), shared
 * for those that only add to a record of it (a session's turns and its end).
 */
export function partitionLocks(keys: Iterable<string>, exclusive: boolean): LockRequest[] {
  return [...new Set(keys)].map((key) => ({ name: `partition:${key}`, exclusive }));
}

/** The exclusive lock on one session row (its turn counter and end), keyed by its partition and ULID. */
export const sessionLock = (key: readonly [string, string]): LockRequest => ({
  name: `session:${JSON.stringify(key)}`,
  exclusive: true,
});
