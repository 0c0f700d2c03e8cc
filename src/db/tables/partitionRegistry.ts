import type { RecordView } from "../../domain/access.js";
import { partitionsOf, subsetKeys } from "../partitions.js";
import type { Predicates } from "../executor/predicates.js";
import type { TenantQueries } from "../executor/tenantQueries.js";
import type { Scope } from "../../domain/scope.js";

/**
 * The records a non-append change deleted or, with `rewritten`, rewrote (they still exist), per
 * recallable table (a SurrealQL expression for an array of their record ids), or "all" when it
 * cannot name them (see PartitionRegistry.changed).
 */
export type ChangedRows = (Partial<Record<"memory" | "chunk", string>> & { rewritten?: boolean }) | "all";

/** The tables whose partitions have corpus snapshots and append logs. */
const RECALLABLE = ["memory", "chunk"] as const;

/** Whether `table` is one of RECALLABLE (its partitions have corpus snapshots and append logs). */
export function isRecallable(table: string): table is (typeof RECALLABLE)[number] {
  return (RECALLABLE as readonly string[]).includes(table);
}

/**
 * Most records one change follows segment by segment (PartitionRegistry.bumpEach): a forget of
 * up to this many keeps the rest of each snapshot; a larger one drops the snapshots it touches.
 */
const MAX_FOLLOWED_ROWS = 100;

/** Up to this many sub-scopes (|E| ≤ 3) are range-scanned without asking the registry. */
const MAX_UNCHECKED_SUBSETS = 8;

/**
 * A partition's change stamp: its row's creation time and version (see corpusCache.ts), with
 * the parts a persisted snapshot is checked against (corpusSnapshots.ts): `created` (the
 * creation time as text), `version`, `rewrites` = version − appends (changes that were not
 * appends), and how far each append log was compacted.
 */
export interface PartitionStamp {
  key: string;
  stamp: string;
  created: string;
  version: number;
  rewrites: number;
  /** Per logged table: the append log was compacted up to this version (a view older than it cannot be completed from it). */
  logFloors: { memory: number; chunk: number };
}

/**
 * The `partition` table: one row per scope key in use, with the same PERMISSIONS as the
 * records, so a caller's session lists only partitions inside its floor. Writes of recallable
 * records bump the row's `version` in their own transaction, which keys the corpus cache.
 */
export class PartitionRegistry {
  constructor(
    private readonly q: TenantQueries,
    private readonly predicates: Predicates,
  ) {}

  /**
   * SQL that registers `$partitions` (partitionsOf) inside a write transaction. With `logged`
   * (the recallable table the transaction appends to) it also bumps each partition's version
   * and `appends`, and logs the appended ULIDs at the new version in `partition_log`, which is
   * how a corpus snapshot taken before finds them (corpusSnapshots.ts).
   */
  static register(logged: "memory" | "chunk" | null): string {
    // A new partition also enters the lookups supervisors use (one row per tag, and its dimension set:
    // UPSERT, because record::exists does not see a row created earlier in the same transaction).
    const create = `CREATE $r SET scope = $p.scope, version = 1, appends = 1, first = $p.first;
      FOR $t IN $p.tags { CREATE type::record('partition_tag', [$t, $p.key]) SET scope = $p.scope; };
      UPSERT type::record('partition_dimset', [$p.dimset])`;
    const body = logged
      ? `IF record::exists($r) { UPDATE $r SET version += 1, appends = (appends ?? 0) + 1 } ELSE { ${create} };
         LET $v = (SELECT VALUE version FROM ONLY $r);
         CREATE type::record('partition_log', ['${logged}', $p.key, $v]) SET scope = $p.scope, ulids = $p.appended`
      : `IF !record::exists($r) { ${create} }`;
    return `FOR $p IN $partitions { LET $r = type::record('partition', $p.key); ${body}; };`;
  }

  /**
   * `changed` for each partition key `keys` evaluates to (a SurrealQL expression), inside a write
   * transaction; `changedRows` names the records it deleted or rewrote (see `changed`). Those are
   * grouped by partition once, and only when at most MAX_FOLLOWED_ROWS: SurrealQL evaluates a
   * closure per element (~15 µs each on 3.0.2), so per-record work for a large change would cost
   * seconds; a larger change drops the snapshots of the partitions it touches instead.
   */
  static bumpEach(keys: string, changedRows: ChangedRows): string {
    if (changedRows === "all") return `FOR $k IN ${keys} { ${PartitionRegistry.changed("$k", "all")} };`;
    const followed = RECALLABLE.map((t) => {
      const ids = changedRows[t];
      if (!ids) return `LET $followed_${t} = {};`; // none of this table changed: every partition's list is empty
      return `LET $changed_${t} = ${ids};
      LET $followed_${t} = IF array::len($changed_${t}) > ${MAX_FOLLOWED_ROWS} { NONE } ELSE {
        object::from_entries(array::map(
          (SELECT k, array::group(s) AS seqs FROM array::map($changed_${t}, |$i| { k: record::id($i)[0], s: record::id($i)[1] }) GROUP BY k),
          |$g| [$g.k, $g.seqs]))
      };`;
    }).join("\n      ");
    const how = changedRows.rewritten ? "followed, kept" : "followed";
    return `${followed}
      FOR $k IN ${keys} { ${PartitionRegistry.changed("$k", how)} };`;
  }

  /**
   * `changed` for the partitions of the records of `table` in `$gone` (a DELETE … RETURN BEFORE): a
   * delete that removed nothing from a partition leaves its version, cache and snapshot alone, so
   * a caller cannot make another key's partitions reload by deleting what it may not delete.
   */
  static bumpGone(table: string): string {
    const rows: ChangedRows = isRecallable(table) ? { [table]: "$gone.id" } : {};
    return PartitionRegistry.bumpEach("array::distinct(array::map($gone, |$r| record::id($r.id)[0]))", rows);
  }

  /**
   * SQL statements for one non-append change of partition `key` (a SurrealQL expression): its
   * version goes up by one and its `appends` stays, so `rewrites` (version − appends) goes up,
   * which invalidates every cached view of it. Its persisted corpus snapshots (corpusSnapshots.ts)
   * either follow or go:
   * - "followed" (inside `bumpEach`, whose `$followed_<table>` maps each partition key to the
   *   seqs of its records the change deleted or rewrote): a snapshot that was valid loses exactly
   *   the data segments whose seq range holds one of them, in this transaction, and takes the new
   *   `rewrites`; deleted records' ULIDs leave the append log ("followed, kept": rewritten ones
   *   stay, so one appended since the snapshot is still read, as it is now). A load reads the
   *   records of those ranges instead (a few thousand at most), and nothing of a deleted or
   *   rewritten record outlives it there.
   * - "all" (the change cannot name its records, or named too many), or a snapshot that was not
   *   valid anyway: the snapshot and the append log behind it are dropped whole.
   */
  static changed(key: string, how: "all" | "followed" | "followed, kept"): string {
    const dropAll = (t: string) =>
      `DELETE corpus_segment:['${t}', ${key}, NONE]..=['${t}', ${key}, ..];
        DELETE partition_log:['${t}', ${key}, NONE]..=['${t}', ${key}, ..];`;
    if (how === "all") {
      return `UPDATE type::record('partition', ${key}) SET version += 1;
      ${RECALLABLE.map(dropAll).join("\n      ")}`;
    }
    // Plain objects first: on 3.0.2 an IF whose condition reads a field through a record id fails.
    const follow = (t: (typeof RECALLABLE)[number]) =>
      `LET $h = (SELECT rewrites, parts, bounds FROM type::record('corpus_segment', ['${t}', ${key}, -1]))[0];
        LET $seqs = IF $followed_${t} = NONE { NONE } ELSE { $followed_${t}[${key}] ?? [] };
        IF $seqs != NONE AND $h != NONE AND $h.rewrites = $rw AND $h.bounds != NONE {
          LET $hit = array::filter(array::range(0, $h.parts), |$n| array::any($seqs, |$x| $x >= $h.bounds[$n][0] AND $x <= $h.bounds[$n][1]));
          FOR $s IN $hit { DELETE type::record('corpus_segment', ['${t}', ${key}, $s]); };
          UPDATE type::record('corpus_segment', ['${t}', ${key}, -1]) SET rewrites += 1, holes = array::union(holes ?? [], $hit);
          ${
            how === "followed, kept"
              ? "" // rewritten records still exist: a log that names them reads them as they are now
              : `IF array::len($seqs) > 0 {
            UPDATE partition_log:['${t}', ${key}, NONE]..=['${t}', ${key}, ..] SET ulids = array::complement(ulids, $seqs)
              WHERE array::len(array::intersect(ulids, $seqs)) > 0;
          };`
          }
        } ELSE { ${dropAll(t)} };`;
    return `LET $pv = (SELECT version, appends FROM type::record('partition', ${key}))[0];
      LET $rw = $pv.version - ($pv.appends ?? 0);
      ${RECALLABLE.map(follow).join("\n      ")}
      UPDATE type::record('partition', ${key}) SET version += 1;`;
  }

  /**
   * The `$partitions` variable for a write at these scopes; `appended` lists the records
   * ([partition key, ULID]) of the logged table it adds (see register).
   */
  static partitionsOf(
    written: ReadonlyArray<{ scope: Scope; ulid: string }>,
    appended: ReadonlyArray<readonly [string, string]> = [],
  ) {
    const ulidsByKey = new Map<string, string[]>();
    for (const [key, ulid] of appended) {
      const list = ulidsByKey.get(key);
      if (list) list.push(ulid);
      else ulidsByKey.set(key, [ulid]);
    }
    return partitionsOf(written).map((p) => ({ ...p, appended: ulidsByKey.get(p.key) ?? [] }));
  }

  /** Under the subset rule the visible keys are known up front: the sub-scopes of E. Else null. */
  private candidates(view: RecordView): string[] | null {
    return view.kind === "subset" && this.predicates.enabled ? subsetKeys(view.scope) : null;
  }

  /**
   * Rows of the registry the caller may see, among `candidates` when given. Subtree and
   * "under" views with a scope read only the partitions that can match: those carrying one tag
   * of the scope (a `partition_tag` key range) and, for a subtree, those lacking that tag's
   * dimension altogether (by `dimset`, indexed). Another tenant's partitions are never read.
   */
  private async rows(projection: string, view: RecordView, candidates: string[] | null): Promise<any[]> {
    const p = this.predicates.view(view);
    const lookup = this.lookup(view);
    const from = candidates
      ? "array::map($keys, |$k| type::record('partition', $k))"
      : lookup
        ? "array::concat(array::map($tagged, |$k| type::record('partition', $k)), $lacking)"
        : "partition";
    const prelude = lookup
      ? `LET $tagged = (SELECT VALUE record::id(id)[1] FROM partition_tag:[$t0, NONE]..=[$t0, ..]);
         LET $lacking = ${lookup.subtree ? "(SELECT VALUE id FROM partition WHERE dimset IN array::filter((SELECT VALUE record::id(id)[0] FROM partition_dimset), |$s| !(string::split($s, ',') CONTAINS $d0)))" : "[]"};`
      : "";
    const results = await this.q.run(`${prelude} SELECT ${projection} FROM ${from} WHERE ${p.where};`, {
      ...p.vars,
      keys: candidates ?? undefined,
      t0: lookup?.tag,
      d0: lookup?.dim,
    });
    return results.at(-1) ?? [];
  }

  /** The tag (and its dimension) whose lookups cover a subtree or "under" view; null = read the whole registry. */
  private lookup(view: RecordView): { tag: string; dim: string; subtree: boolean } | null {
    if (!this.predicates.enabled || (view.kind !== "subtree" && view.kind !== "under")) return null;
    const dim = Object.keys(view.scope).sort()[0];
    if (dim === undefined) return null;
    return { tag: `${dim}=${view.scope[dim]}`, dim, subtree: view.kind === "subtree" };
  }

  /**
   * Scope keys a view may read. Agents: the sub-scopes of E (few: scanned without asking).
   * Supervisors, `under` and the management key: the registry rows the view admits.
   */
  async keys(view: RecordView): Promise<string[]> {
    const candidates = this.candidates(view);
    if (candidates && candidates.length <= MAX_UNCHECKED_SUBSETS) return candidates;
    return this.rows("VALUE record::id(id)", view, candidates);
  }

  /** Visible partitions with the first ULID written to each (null for rows registered without one): where a first page starts probing. */
  async starts(view: RecordView): Promise<Array<{ key: string; first: string | null }>> {
    const rows = await this.rows("record::id(id) AS key, first", view, this.candidates(view));
    return (rows as Array<{ key: string; first?: string }>).map((r) => ({ key: r.key, first: r.first ?? null }));
  }

  /** Visible partitions with their change stamps, read on the caller's own session (layers 2 and 3 apply). */
  stamps(view: RecordView): Promise<PartitionStamp[]> {
    const projection =
      "record::id(id) AS key, string::concat(<string> created_at, '#', <string> version) AS stamp, <string> created_at AS created, version, version - (appends ?? 0) AS rewrites, { memory: log_floor_memory ?? 0, chunk: log_floor_chunk ?? 0 } AS logFloors";
    return this.rows(projection, view, this.candidates(view));
  }
}
