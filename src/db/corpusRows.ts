import { scopeKey } from "../domain/scope.js";
import { embeddingFromBytes } from "../recall/localEmbedding.js";
import { readStoredTerms } from "../recall/text.js";
import type { CachedRow } from "./corpusCache.js";
import { decodeRecordKey } from "./ids.js";

/**
 * The corpus view of a recallable record (corpusCache.ts): what a scan, an append-log read or the
 * snapshot writer selects, and how a selected row becomes a CachedRow. One definition, so a
 * partition loaded by a tenant's session and one refreshed on the root session hold the same rows.
 */

/** The columns to SELECT from `table` (memory or chunk) for corpusRow. */
export function corpusColumns(table: string): string {
  return `id, scope, len, terms, emb, emb_model, created_at, owner, ${table === "memory" ? "session" : "NONE AS session"}`;
}

/**
 * A selected record (corpusColumns) as the corpus holds it, with its partition key; null when its
 * scope is not its partition's (such a row belongs to no partition's view).
 */
export function corpusRow(r: any): { key: string; row: CachedRow } | null {
  const [key, seq] = decodeRecordKey(r.id) ?? [];
  if (key === undefined || seq === undefined || key !== scopeKey(r.scope ?? {})) return null;
  const { version, terms } = parseTerms(r.terms);
  return {
    key,
    row: {
      id: r.id,
      seq,
      len: r.len,
      terms,
      analyzer: version,
      vector: r.emb ? embeddingFromBytes(r.emb) : null,
      embModel: r.emb_model ?? null,
      createdAt: r.created_at,
      sessionId: r.session ?? null,
      owner: r.owner ?? null,
    },
  };
}

/** The CachedRows of partition `key` among selected records (corpusColumns), in the order read. */
export function corpusRowsOf(key: string, selected: readonly unknown[]): CachedRow[] {
  const rows: CachedRow[] = [];
  for (const r of selected) {
    const row = corpusRow(r);
    if (row && row.key === key) rows.push(row.row);
  }
  return rows;
}

/** Orders rows by seq (their ULID), oldest first: the order of a partition's corpus. */
export function bySeq(a: CachedRow, b: CachedRow): number {
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/**
 * `base` (in seq order, as a scan or snapshot returns it) with `more` merged in by seq; a row of
 * `more` already in `base` (appended between a snapshot's label and its read), or twice in
 * `more`, is kept once.
 * Sorts `more` in place.
 */
export function mergeBySeq(base: readonly CachedRow[], more: CachedRow[]): readonly CachedRow[] {
  if (more.length === 0) return base;
  more.sort(bySeq);
  // Only base rows at or after the first added seq can be the same record (seq is the record's ULID):
  // on a hot partition that is the newest few, not the whole base.
  let lo = 0;
  for (let hi = base.length; lo < hi; ) {
    const mid = (lo + hi) >>> 1;
    if (base[mid]!.seq < more[0]!.seq) lo = mid + 1;
    else hi = mid;
  }
  const known = new Set<string>();
  for (let j = lo; j < base.length; j++) known.add(base[j]!.id);
  // A record read twice in `more` (a hole's range and the log) is adjacent to itself after the sort.
  const added = more.filter((r, i) => !known.has(r.id) && (i === 0 || more[i - 1]!.id !== r.id));
  const out: CachedRow[] = [];
  let i = 0;
  for (const r of base) {
    while (i < added.length && added[i]!.seq < r.seq) out.push(added[i++]!);
    out.push(r);
  }
  while (i < added.length) out.push(added[i++]!);
  return out;
}

/** Term frequencies as stored (a JSON string) and the analyzer version tagged in them; anything unreadable counts as no terms. */
function parseTerms(raw: unknown): { version: number; terms: Record<string, number> } {
  let parsed: unknown = null;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : null;
  } catch {
    // unreadable: no terms
  }
  return readStoredTerms(
    parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {},
  );
}
