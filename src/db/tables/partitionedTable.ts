import { RecordId } from "surrealdb";
import type { DeleteRule, RecordView } from "../../domain/access.js";
import type { CachedRow, CorpusEntry } from "../corpusCache.js";
import { corpusColumns, corpusRow, mergeBySeq } from "../corpusRows.js";
import { type Fragment, Predicates } from "../executor/predicates.js";
import {
  AFTER_EVERY_ULID,
  BEFORE_EVERY_ULID,
  decodeRecordKey,
  decodeRecordKeys,
  firstUlidAt,
  windowBounds,
  windowBoundsBackward,
} from "../ids.js";
import { MAX_ULID } from "ulid";
import { partitionLocks, rangeTargets } from "../partitions.js";
import {
  type DecodedSnapshot,
  decodeSnapshot,
  logFloorField,
  SNAPSHOT_MIN_ROWS,
  TAIL_REFRESH_ROWS,
  snapshotUsable,
  type StoredSegment,
} from "../corpusSnapshots.js";
import { transactionResult } from "../transactions.js";
import { isRecallable, PartitionRegistry, type PartitionStamp } from "./partitionRegistry.js";
import type { TableContext } from "./tableContext.js";

/**
 * Loads of a partition's corpus before it is scanned: with its cached view, then its persisted
 * snapshot, then a scan (a retry follows a log compaction under the load; see loadCorpus).
 */
const MAX_LOAD_ATTEMPTS = 3;

/** The smallest ULID of all (time 0): the floor of backward windows in a partition without a recorded first ULID. */
const EPOCH_ULID = firstUlidAt(0);

export type PartitionedTableName = "memory" | "document" | "chunk" | "session" | "decision_trace";

/** What indexing computes for a text (see services/tenant/indexer.ts). */
export type RecallableFieldsOnly = Omit<RecallableFields, "text">;

/** Fields every new recallable record carries (memory, chunk). */
export interface RecallableFields {
  text: string;
  terms: Record<string, number>;
  len: number;
  emb: Uint8Array | null;
  embModel: string | null;
}

/** The stored columns of a row's recallable fields (terms as JSON text; absent embeddings left out). */
export function recallableColumns(f: RecallableFieldsOnly) {
  return { terms: JSON.stringify(f.terms), len: f.len, emb: f.emb ?? undefined, emb_model: f.embModel ?? undefined };
}

/** A model with the ulid that orders it inside its partition (the page cursor). */
export type Paged<M> = M & { ulid: string };

/** What one page reads: `size` rows from `position` on (exclusive), in `direction`. */
export interface PageRequest {
  /** Rows wanted (the page reads one more, to know whether the list goes on). */
  size: number;
  /** The cursor's position (a ULID), not included; null: the list's start (ASC) or end (DESC). */
  position: string | null;
  /** ASC: the rows after `position`, ascending; DESC: the rows before it, descending. */
  direction: "ASC" | "DESC";
}

/** A page as read: the rows in the direction read, whether more follow, and whether any row lies at or behind the position. */
export interface Scan<T> {
  items: T[];
  /** More rows follow the page in its direction. */
  more: boolean;
  /** A row lies at or behind `position` (false without a position). */
  behind: boolean;
}

/**
 * Reads and deletes shared by the partitioned tables. Every list first asks which partitions
 * the view may read, then scans only those key ranges, with the layer-2 predicate on top and
 * SurrealDB's permissions underneath; reads by id go straight to the records.
 */
export class PartitionedTable<M> {
  constructor(
    protected readonly t: TableContext,
    readonly table: PartitionedTableName,
    protected readonly fields: string,
    readonly model: (row: any) => M,
  ) {}

  /** Records that a committed write put `[partition, ulid]` keys into this table (newestUlids.ts). */
  protected noteWritten(keys: Iterable<readonly [string, string]>): void {
    this.t.newestUlids.noteWritten(this.t.actor.contextId, this.table, keys);
  }

  /** Tells the snapshot keeper of records (partition key, ULID) of recallable `table` just appended (committed). */
  protected noteAppended(table: "memory" | "chunk", keys: Iterable<readonly [string, string]>): void {
    const counts = new Map<string, number>();
    for (const [key] of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [key, n] of counts) this.t.snapshots?.appended(table, key, n);
  }

  /** Record ids of well-formed public ids (others cannot name a record and are dropped). */
  protected recordIds(ids: readonly string[]): RecordId[] {
    return decodeRecordKeys([...new Set(ids)]).map(({ key }) => new RecordId(this.table, key));
  }

  /** The records among `ids` that the view admits; unknown and invisible ids are simply absent. */
  async byIds(ids: readonly string[], view: RecordView): Promise<M[]> {
    const targets = this.recordIds(ids);
    if (targets.length === 0) return [];
    const p = this.t.predicates.view(view);
    const [rows] = await this.t.q.run(`SELECT ${this.fields} FROM $targets WHERE ${p.where}`, { ...p.vars, targets });
    return (rows ?? []).map(this.model);
  }

  /**
   * One page across the view's partitions in creation order (`req.direction` ASC: the rows after
   * `req.position`, oldest first; DESC: the rows before it, newest first), merged here from each
   * partition's nearest size+1 rows. A key-range scan with LIMIT reads its whole range under
   * record-user permissions (PERF-FINDINGS §1), so each partition is probed in growing windows
   * away from the position (`windowBounds` forward, `windowBoundsBackward` backward) inside one
   * statement, which stops at the first window holding size+1 rows: the cost follows the page,
   * not the partition, in both directions. With a position, a second probe of the same kind
   * tells whether any row lies at or behind it (Relay's hasPreviousPage of a forward page, or
   * hasNextPage of a backward one); it stops at its first row. `filter` narrows the rows on top
   * of the view (decision traces' filter). One round trip for all partitions (plus the registry
   * read that tells where each partition starts, when the process does not remember it).
   */
  async page(
    view: RecordView,
    req: PageRequest,
    filter: { where: string; vars: Record<string, unknown> } | null = null,
  ): Promise<Scan<Paged<M>>> {
    const starts = await this.firstPageStarts(view);
    if (starts.length === 0) return { items: [], more: false, behind: false };
    const { newestUlids, actor } = this.t;
    const p = this.t.predicates.view(view);
    const where = filter ? `${p.where} AND ${filter.where}` : p.where;
    const now = Date.now();
    const asc = req.direction === "ASC";
    const vars: Record<string, unknown> = {
      ...p.vars,
      ...filter?.vars,
      pos: req.position ?? undefined,
      top: req.position ?? AFTER_EVERY_ULID,
      limit: req.size + 1,
      last: MAX_ULID,
      bottom: BEFORE_EVERY_ULID,
    };
    const fields = `${this.fields}, record::id(id)[1] AS ulid`;
    const main = starts.map(({ key, first: floor }, i) => {
      vars[`p${i}`] = key;
      if (asc) {
        // A partition registered before it recorded its first ULID is read whole (one window).
        const from = req.position ?? floor;
        vars[`b${i}`] = from ? windowBounds(from, now) : [MAX_ULID];
        return `RETURN (FOR $hi IN $b${i} {
          LET $rows = (SELECT ${fields} FROM ${this.table}:[$p${i}, $pos]>..=[$p${i}, $hi] WHERE ${where} LIMIT $limit);
          IF array::len($rows) >= $limit OR $hi = $last { RETURN $rows };
        });`;
      }
      // From the end: probe down from the newest row this process knows in the partition (the first window
      // stays open above it, see newestUlids.ts), else from now. Without a recorded first ULID: a page from
      // the end reads the partition whole, like a forward first page does; a page from a cursor still
      // probes windows (down to the epoch), so it stays O(page).
      const from = req.position ?? newestUlids.get(actor.contextId, this.table, key) ?? null;
      vars[`b${i}`] = floor || from ? windowBoundsBackward(from, floor ?? EPOCH_ULID, now) : [BEFORE_EVERY_ULID];
      return `RETURN (FOR $lo IN $b${i} {
        LET $rows = (SELECT ${fields} FROM ${this.table}:[$p${i}, $lo]..[$p${i}, $top] WHERE ${where} ORDER BY id DESC LIMIT $limit);
        IF array::len($rows) >= $limit OR $lo = $bottom { RETURN $rows };
      });`;
    });
    // Rows at or behind the position: at or below it for an ASC page, at or above it for a DESC one.
    const behind =
      req.position === null
        ? []
        : starts.map(({ first: floor }, i) => {
            if (asc) {
              vars[`e${i}`] = windowBoundsBackward(req.position, floor ?? EPOCH_ULID, now);
              return `RETURN (FOR $lo IN $e${i} {
                LET $hit = (SELECT VALUE id FROM ${this.table}:[$p${i}, $lo]..=[$p${i}, $pos] WHERE ${where} LIMIT 1);
                IF array::len($hit) > 0 OR $lo = $bottom { RETURN array::len($hit) > 0 };
              });`;
            }
            vars[`e${i}`] = windowBounds(req.position!, now);
            return `RETURN (FOR $hi IN $e${i} {
              LET $hit = (SELECT VALUE id FROM ${this.table}:[$p${i}, $pos]..=[$p${i}, $hi] WHERE ${where} LIMIT 1);
              IF array::len($hit) > 0 OR $hi = $last { RETURN array::len($hit) > 0 };
            });`;
          });
    const results = await this.t.q.run([...main, ...behind].join("\n"), vars);
    starts.forEach(({ key }, i) => {
      const rows = results[i];
      if (Array.isArray(rows) && rows.length > 0) {
        const newest = asc ? rows.at(-1).ulid : rows[0].ulid;
        newestUlids.note(actor.contextId, this.table, key, newest);
      }
    });
    const order = asc ? 1 : -1;
    const merged = results
      .slice(0, main.length)
      .flatMap((r) => (Array.isArray(r) ? r : []))
      .sort((a: any, b: any) => (a.ulid < b.ulid ? -order : a.ulid > b.ulid ? order : 0));
    return {
      items: merged.slice(0, req.size).map((r: any) => ({ ...this.model(r), ulid: r.ulid as string })),
      more: merged.length > req.size,
      behind: results.slice(main.length).some((r) => r === true),
    };
  }

  /**
   * The view's partitions and where a first page starts probing each: the remembered first
   * ULIDs, and one registry read only when a partition is not remembered (see firstUlids.ts).
   */
  private async firstPageStarts(view: RecordView): Promise<Array<{ key: string; first: string | null }>> {
    const { firstUlids, actor } = this.t;
    const keys = await this.t.registry.keys(view);
    const known = keys.map((key) => ({ key, first: firstUlids.get(actor.contextId, key) }));
    if (known.every((k) => k.first !== undefined)) return known.map((k) => ({ key: k.key, first: k.first ?? null }));
    const read = new Map((await this.t.registry.starts(view)).map((s) => [s.key, s.first]));
    return keys.map((key) => {
      const first = read.get(key) ?? null;
      firstUlids.set(actor.contextId, key, first);
      return { key, first };
    });
  }

  /**
   * Deletes the rows among `ids` that the view admits and the rule lets the caller delete, in
   * one transaction that bumps their partitions; returns the ids that went.
   */
  async deleteIds(ids: readonly string[], view: RecordView, rule: DeleteRule, dryRun = false): Promise<string[]> {
    const targets = this.recordIds(ids);
    if (targets.length === 0) return [];
    const p = Predicates.and(this.t.predicates.view(view), this.t.predicates.deletable(rule));
    if (dryRun) {
      const [rows] = await this.t.q.run(`SELECT VALUE id FROM $targets WHERE ${p.where}`, { ...p.vars, targets });
      return rows ?? [];
    }
    const results = await this.t.q.transaction(
      `BEGIN;
       LET $gone = (DELETE $targets WHERE ${p.where} RETURN BEFORE);
       ${PartitionRegistry.bumpGone(this.table)}
       RETURN $gone.id;
       COMMIT;`,
      { ...p.vars, targets },
      { locks: partitionLocks(keysOfIds(ids), true) },
    );
    return transactionResult<string[]>(results) ?? [];
  }

  /**
   * Up to `limit` recallable rows of one partition (memory, chunk) after ulid `after` whose
   * stored index is out of date: terms written by an analyzer older than `analyzer` (untagged
   * maps are version 1), or a vector of another model than `model` (null: the model stores no
   * vector, so only the analyzer counts). For `reindex`; the management key's session.
   */
  async staleIndexed(
    partition: string,
    after: string | null,
    limit: number,
    analyzer: number,
    model: string | null,
  ): Promise<Array<StaleRow & { ulid: string }>> {
    const p = this.t.predicates.view({ kind: "all" });
    const [rows] = await this.t.q.run(
      `SELECT id, text, scope, record::id(id)[1] AS ulid FROM ${this.table}:[$k, $after]>..=[$k, ..]
       WHERE ${p.where} AND (!string::contains(terms, $tag) ${model === null ? "" : "OR emb_model != $model"}) LIMIT $limit`,
      { ...p.vars, k: partition, after: after ?? undefined, tag: `"#v":${analyzer}`, model: model ?? undefined, limit },
    );
    return rows ?? [];
  }

  /** Writes new index fields for rows (one transaction) and bumps their partitions so caches refresh. */
  async rewriteIndexed(rows: ReadonlyArray<{ id: string } & RecallableFieldsOnly>): Promise<number> {
    const targets = rows.flatMap((r) => {
      const key = decodeRecordKey(r.id);
      return key
        ? [
            {
              id: new RecordId(this.table, key),
              ...recallableColumns(r),
            },
          ]
        : [];
    });
    if (targets.length === 0) return 0;
    const results = await this.t.q.transaction(
      `BEGIN;
       FOR $r IN $rows { UPDATE $r.id SET terms = $r.terms, len = $r.len, emb = $r.emb, emb_model = $r.emb_model; };
       ${PartitionRegistry.bumpEach("$bump", isRecallable(this.table) ? { [this.table]: "$rows.id", rewritten: true } : "all")}
       RETURN array::len($rows);
       COMMIT;`,
      { rows: targets, bump: keysOfIds(rows.map((r) => r.id)) },
      // UPDATE never recreates a row a redaction or forget removed meanwhile; the lock orders the bump.
      { locks: partitionLocks(keysOfIds(rows.map((r) => r.id)), true) },
    );
    return transactionResult<number>(results) ?? 0;
  }

  /**
   * The scoring view of every row in `partitions`, for the recall tiers and session listings.
   * Partitions whose stamp is unchanged come from the corpus cache. The others are loaded on the
   * caller's session with the partition-level predicate of `view` (loadCorpus), then cached. A
   * row whose scope does not match its partition key is dropped, so a cached partition holds
   * exactly the records of that scope, whoever asked first. Row-level rules (ownership) apply after.
   */
  async corpus(partitions: readonly PartitionStamp[], view: RecordView): Promise<CachedRow[]> {
    const cache = this.t.corpusCache;
    const contextId = this.t.actor.contextId;
    const rows: CachedRow[] = [];
    const missing: PartitionStamp[] = [];
    for (const p of partitions) {
      const cached = cache.get(contextId, this.table, p.key, p.stamp);
      if (cached) appendAll(rows, cached);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const loaded = await this.loadCorpus(missing, view);
      for (const m of missing) {
        const entry = loaded.get(m.key)!;
        cache.set(contextId, this.table, m.key, entry);
        appendAll(rows, entry.rows);
      }
    }
    return rows;
  }

  /**
   * Fresh corpus entries of `partitions`, in at most two round trips. Each starts from a base
   * that is valid but may trail (corpusSnapshots.ts): the cached entry of an older stamp, else
   * the persisted snapshot (one statement reads those of every partition), and adds the records
   * appended since (named by the partition's append log); a partition with neither is scanned whole.
   * Holes of a snapshot (segments a delete or rewrite removed) are read by their seq ranges.
   * Tails, holes and scans go in one query. A partition of SNAPSHOT_MIN_ROWS rows or more whose
   * persisted snapshot is missing, has holes, or trails (by up to TAIL_REFRESH_ROWS rows, fewer for
   * a small one) is refreshed in the background on the root session (CorpusSnapshotWriter).
   */
  private async loadCorpus(
    partitions: readonly PartitionStamp[],
    view: RecordView,
    attempt = 0,
  ): Promise<Map<string, CorpusEntry>> {
    const p = this.t.predicates.view(view);
    const persisted = isRecallable(this.table);
    const cache = this.t.corpusCache;
    const bases = new Map<string, CorpusEntry>();
    // A retry (the log was compacted under a load) skips the cached view, then the snapshot too.
    for (const m of attempt === 0 ? partitions : []) {
      const known = cache.latest(this.t.actor.contextId, this.table, m.key);
      if (known && snapshotUsable(known.label, m, this.logFloor(m))) bases.set(m.key, known);
    }
    cache.countLoads(this.table, "cached", bases.size);
    const unknown = partitions.filter((m) => !bases.has(m.key));
    // Snapshots with holes (data segments a delete or rewrite removed): their ranges are read from the table.
    const holed = new Map<string, DecodedSnapshot>();
    if (persisted && unknown.length > 0 && attempt < MAX_LOAD_ATTEMPTS - 1) {
      for (const [key, s] of await this.readSnapshots(unknown, p)) {
        bases.set(key, { stamp: "", label: s.label, rows: s.rows, persisted: s.persisted });
        if (s.holes.length > 0) holed.set(key, s);
        cache.countLoads(this.table, "snapshot", 1);
      }
    }
    const scanned = partitions.filter((m) => !bases.has(m.key));
    cache.countLoads(this.table, "scanned", scanned.length);
    const trailing = partitions.filter((m) => {
      const base = bases.get(m.key);
      return base !== undefined && base.label.version < m.version;
    });
    const columns = corpusColumns(this.table);
    const statements: string[] = [];
    const rowStatements: number[] = [];
    const vars: Record<string, unknown> = { ...p.vars };
    if (scanned.length > 0) {
      const ranges = rangeTargets(
        this.table,
        scanned.map((m) => m.key),
      );
      Object.assign(vars, ranges.vars);
      rowStatements.push(statements.push(`SELECT ${columns} FROM ${ranges.from} WHERE ${p.where};`) - 1);
    }
    if (holed.size > 0) {
      const targets = [...holed].flatMap(([key, s], i) =>
        s.holes.map((h, j) => {
          Object.assign(vars, { [`hk${i}`]: key, [`ha${i}_${j}`]: h.first, [`hb${i}_${j}`]: h.last });
          return `${this.table}:[$hk${i}, $ha${i}_${j}]..=[$hk${i}, $hb${i}_${j}]`;
        }),
      );
      rowStatements.push(statements.push(`SELECT ${columns} FROM ${targets.join(", ")} WHERE ${p.where};`) - 1);
    }
    if (trailing.length > 0) vars.lt = this.table;
    const floorStatements = trailing.map((m, i) => {
      vars[`tk${i}`] = m.key;
      vars[`tv${i}`] = bases.get(m.key)!.label.version;
      // The log rows past the base's version name the records appended since (see register); then
      // the log's floor, read after them: above the base's version, a snapshot write compacted
      // entries this read needed (between the stamps and now), and the partition is loaded again.
      rowStatements.push(
        statements.push(`SELECT ${columns} FROM array::map(
          array::flatten((SELECT VALUE ulids FROM partition_log:[$lt, $tk${i}, $tv${i}]>..=[$lt, $tk${i}, ..] WHERE ${p.where})),
          |$u| type::record($lt, [$tk${i}, $u]))
        WHERE ${p.where};`) - 1,
      );
      return (
        statements.push(
          `RETURN (SELECT VALUE ${logFloorField(this.table)} ?? 0 FROM type::record('partition', $tk${i}))[0] ?? 0;`,
        ) - 1
      );
    });
    const results = statements.length > 0 ? await this.t.q.run(statements.join("\n"), vars) : [];
    const found = new Map<string, CachedRow[]>(partitions.map((m) => [m.key, []]));
    for (const at of rowStatements) {
      for (const r of (results[at] ?? []) as any[]) {
        const row = corpusRow(r);
        if (row) found.get(row.key)?.push(row.row);
      }
    }
    const compacted = trailing.filter(
      (m, i) => Number(results[floorStatements[i]!] ?? 0) > bases.get(m.key)!.label.version,
    );
    const out =
      compacted.length > 0 ? await this.loadCorpus(compacted, view, attempt + 1) : new Map<string, CorpusEntry>();
    for (const m of partitions) {
      if (out.has(m.key)) continue;
      const base = bases.get(m.key);
      const rows = base ? mergeBySeq(base.rows, found.get(m.key)!) : found.get(m.key)!;
      const entry: CorpusEntry = {
        stamp: m.stamp,
        label: { created: m.created, version: m.version, rewrites: m.rewrites },
        rows,
        persisted: base?.persisted ?? null,
      };
      const behind = rows.length - (entry.persisted?.rows ?? 0);
      const holes = holed.get(m.key);
      // A small snapshot is refreshed sooner: its log's rows would soon outnumber its own.
      const refreshAt = Math.min(TAIL_REFRESH_ROWS, Math.max(SNAPSHOT_MIN_ROWS, entry.persisted?.rows ?? 0));
      if (persisted && rows.length >= SNAPSHOT_MIN_ROWS && (!entry.persisted || holes || behind >= refreshAt)) {
        // None usable, or holes: write the rows this load holds (after the intact segments). Behind: extend what is stored.
        const intact = holes && { previous: holes.label, ...holes.intact };
        this.t.snapshots?.refresh(
          this.table,
          m.key,
          entry.persisted && !holes ? null : { label: entry.label, rows, intact },
        );
        // What will be stored if the refresh lands (so the next loads do not ask again).
        entry.persisted = { label: entry.label, rows: rows.length, lastSeq: rows.at(-1)!.seq };
      }
      out.set(m.key, entry);
    }
    return out;
  }

  /** How far this table's append log of partition `m` was compacted (see corpusSnapshots.ts). */
  private logFloor(m: PartitionStamp): number {
    return this.table === "chunk" ? m.logFloors.chunk : m.logFloors.memory;
  }

  /** The usable persisted snapshots of `partitions` (one statement over their segment ranges). */
  private async readSnapshots(
    partitions: readonly PartitionStamp[],
    p: Fragment,
  ): Promise<Map<string, DecodedSnapshot>> {
    const vars: Record<string, unknown> = { ...p.vars, st: this.table };
    const from = partitions
      .map((m, i) => {
        vars[`sk${i}`] = m.key;
        return `corpus_segment:[$st, $sk${i}, NONE]..=[$st, $sk${i}, ..]`;
      })
      .join(", ");
    const [found] = await this.t.q.run(
      `SELECT record::id(id)[1] AS key, record::id(id)[2] AS index, rows, created, version, rewrites, parts, format, last_seq, bounds, data FROM ${from} WHERE ${p.where}`,
      vars,
    );
    const byKey = new Map<string, StoredSegment[]>();
    for (const s of (found ?? []) as StoredSegment[]) {
      const list = byKey.get(s.key);
      if (list) list.push(s);
      else byKey.set(s.key, [s]);
    }
    const out = new Map<string, DecodedSnapshot>();
    for (const m of partitions) {
      const decoded = byKey.has(m.key) ? await decodeSnapshot(byKey.get(m.key)!) : null;
      if (decoded && snapshotUsable(decoded.label, m, this.logFloor(m))) out.set(m.key, decoded);
    }
    return out;
  }
}

/** Appends `more` to `out` one by one: `out.push(...more)` overflows the stack past ~120,000 rows. */
function appendAll<T>(out: T[], more: readonly T[]): void {
  for (const x of more) out.push(x);
}

/** The partitions (scope keys) of public ids, each once. */
export function keysOfIds(ids: readonly string[]): string[] {
  return [...new Set(decodeRecordKeys(ids).map(({ key }) => key[0]))];
}

/** A recallable row whose stored index is out of date (see PartitionedTable.staleIndexed). */
export interface StaleRow {
  id: string;
  text: string;
  scope: Record<string, string>;
}
