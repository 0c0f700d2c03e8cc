import v8 from "node:v8";
import type { SurrealSession } from "surrealdb";
import type { StoredContext } from "../domain/models.js";
import { scopeOfKey } from "../domain/scope.js";
import { TermBlock } from "../recall/termBlock.js";
import type { CachedRow, PersistedSnapshot, SnapshotLabel } from "./corpusCache.js";
import { bySeq, corpusColumns, corpusRowsOf, mergeBySeq } from "./corpusRows.js";
import { partitionLocks } from "./partitions.js";
import { WRITE_GATE } from "./executor/tenantQueries.js";
import { runTransaction, TransactionThrow } from "./transactions.js";
import { toPlain } from "./values.js";
import { shared } from "./writeLocks.js";

/**
 * Persisted corpus snapshots: a partition's recall view (the corpus cache's rows, corpusCache.ts)
 * kept in the Context's own database, so a cold recall (after an eviction or a restart, on any
 * replica) reads a few `corpus_segment` rows per partition instead of every record: at 50,000
 * records, 25 rows of ~0.8 MB instead of 50,000 rows each paying the table's PERMISSIONS clause.
 *
 * Validity (migration 14 in tenantSchema.ts). A snapshot is labelled with its partition's
 * `created` time, `version` and `rewrites` (= version − appends) as read *before* its rows were.
 * It is used only while the partition has the same `created` and `rewrites`: since the label, the
 * partition changed by appends alone, and each append transaction logged the ULIDs it added at
 * the version it bumped to (`partition_log`), so the records missing from the snapshot are those
 * the log rows past its version name, whatever order concurrent writers committed in. A record
 * appended between the label and the read is in both and is kept once. Any other change
 * (delete, rewrite, retention, redaction) raises `rewrites`; in its own transaction
 * (PartitionRegistry.changed) it either removes the data segments whose seq range (the header's
 * `bounds`) holds a record it deleted or rewrote, takes those records' ULIDs out of the log and
 * moves the header to the new `rewrites` (the missing segments are holes, whose ranges a load
 * reads from the table), or, when it cannot name its records, drops the snapshot and the log.
 * Either way nothing of a deleted record outlives it here. Writing a snapshot at version v
 * compacts the log up to v and records v as the log's floor: a view older than the floor
 * (another replica's cached one) reloads the snapshot instead.
 *
 * Who may read what. Segments carry their partition's scope and the partition's PERMISSIONS
 * clause (layer 3) and are read on the caller's own session with the view's predicate (layer 2),
 * exactly like the records: a caller reads the snapshot of a partition it may read, whole,
 * because a partition's records all share its scope. Only the gateway's root session writes
 * them; a record user's change may only move a header's `rewrites` and `holes` and delete
 * segments, where it may write (migration 15).
 */

/** Most rows per data segment. */
export const SEGMENT_ROWS = 2_000;
/**
 * Most term entries (a row's distinct terms) per data segment, so a segment of long texts stays
 * small too: ≤ ~2 MB and ~10–30 ms to encode or decode, whatever the rows hold (one row of 32,000
 * characters can have thousands). A row is never split: a segment holds at least one.
 */
export const SEGMENT_ENTRIES = 100_000;
/**
 * Partitions with fewer rows are not snapshotted (scanning them costs about what reading a
 * snapshot does). Low, because a supervisor's recall loads every partition of its subtree: 1,000
 * users' partitions of 50 memories each load in ~1 s from snapshots and ~4 s by scans
 * (BENCHMARKS.md). A partition's first snapshot is written once this many rows were appended to
 * it in a process (CorpusSnapshotWriter.appended), so its append log stays about that short.
 */
export const SNAPSHOT_MIN_ROWS = 50;
/**
 * A persisted snapshot is brought up to date every this many rows appended to its partition in
 * one process (and at a load that finds it this far behind): a cold load then reads at most ~this
 * many records past it (~80–150 µs each). Appends rewrite only the last data segment and add new
 * ones, so keeping up costs about SEGMENT_ROWS / TAIL_REFRESH_ROWS rows written per row appended,
 * whatever the partition's size.
 */
export const TAIL_REFRESH_ROWS = 500;
/**
 * Bytes format of a data segment: Node's structured serializer (v8.serialize) of a
 * SegmentColumns (the rows column by column, their term maps as one TermBlock). Tagged with the
 * V8 version, so a snapshot written by another Node is ignored (and rewritten) rather than read in
 * a format this one may not share.
 */
export const SNAPSHOT_FORMAT = `v8-columns/3:${process.versions.v8}`;

/** One data segment's rows, column by column (what is serialized). */
interface SegmentColumns {
  id: string[];
  seq: string[];
  len: Int32Array;
  analyzer: Int32Array;
  vector: Array<Float32Array | null>;
  embModel: Array<string | null>;
  createdAt: string[];
  sessionId: Array<string | null>;
  owner: Array<string | null>;
  terms: { dictionary: string[]; terms: Int32Array; freqs: Float64Array; starts: Int32Array };
}

/**
 * A row decoded from a snapshot: its term map stays in the segment's TermBlock (buildCorpusIndex
 * reads it there) and is built as an object only when something asks for `terms`.
 */
class SnapshotRow implements CachedRow {
  constructor(
    readonly id: string,
    readonly seq: string,
    readonly len: number,
    readonly analyzer: number,
    readonly vector: Float32Array | null,
    readonly embModel: string | null,
    readonly createdAt: string,
    readonly sessionId: string | null,
    readonly owner: string | null,
    readonly termBlock: TermBlock,
    readonly termRow: number,
  ) {}

  get terms(): Record<string, number> {
    return this.termBlock.termsOf(this.termRow);
  }
}

/** The bytes of one data segment. */
export function encodeSegment(rows: readonly CachedRow[]): ArrayBuffer {
  const block = TermBlock.of(rows.map((r) => r.terms));
  const columns: SegmentColumns = {
    id: rows.map((r) => r.id),
    seq: rows.map((r) => r.seq),
    len: Int32Array.from(rows, (r) => r.len),
    analyzer: Int32Array.from(rows, (r) => r.analyzer),
    vector: rows.map((r) => r.vector),
    embModel: rows.map((r) => r.embModel),
    createdAt: rows.map((r) => r.createdAt),
    sessionId: rows.map((r) => r.sessionId),
    owner: rows.map((r) => r.owner),
    terms: { dictionary: [...block.dictionary], terms: block.terms, freqs: block.freqs, starts: block.starts },
  };
  return new Uint8Array(v8.serialize(columns)).buffer;
}

/** The rows of one data segment's bytes, or null when they are not a well-formed segment. */
export function decodeSegment(bytes: Buffer): CachedRow[] | null {
  let c: SegmentColumns;
  try {
    c = v8.deserialize(bytes) as SegmentColumns;
  } catch {
    return null;
  }
  if (typeof c !== "object" || c === null || !Array.isArray(c.id) || typeof c.terms !== "object" || !c.terms)
    return null;
  const n = c.id.length;
  const block = new TermBlock(c.terms.dictionary, c.terms.terms, c.terms.freqs, c.terms.starts);
  if (!TermBlock.isBlock(block) || block.rows !== n) return null;
  const strings = (xs: unknown, nullable: boolean) =>
    Array.isArray(xs) && xs.length === n && xs.every((x) => typeof x === "string" || (nullable && x === null));
  if (!strings(c.id, false) || !strings(c.seq, false) || !strings(c.createdAt, false)) return null;
  if (!strings(c.embModel, true) || !strings(c.sessionId, true) || !strings(c.owner, true)) return null;
  if (
    !(c.len instanceof Int32Array && c.analyzer instanceof Int32Array && c.len.length === n && c.analyzer.length === n)
  )
    return null;
  if (
    !Array.isArray(c.vector) ||
    c.vector.length !== n ||
    !c.vector.every((v) => v === null || v instanceof Float32Array)
  )
    return null;
  const rows: CachedRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = new SnapshotRow(
      c.id[i]!,
      c.seq[i]!,
      c.len[i]!,
      c.analyzer[i]!,
      c.vector[i]!,
      c.embModel[i]!,
      c.createdAt[i]!,
      c.sessionId[i]!,
      c.owner[i]!,
      block,
      i,
    );
  }
  return rows;
}

/** The header row's index: `corpus_segment:[table, key, -1]`; data segments are 0, 1, … */
const HEADER = -1;

/** One data segment's seq range (inclusive) and row count, as the header lists them: [first seq, last seq, rows]. */
export type SegmentBound = [string, string, number];

/** One `corpus_segment` row as read back: the header (index -1) or a data segment. */
export interface StoredSegment {
  key: string;
  index: number;
  rows: number;
  created?: string;
  version?: number;
  rewrites?: number;
  parts?: number;
  format?: string;
  last_seq?: string;
  bounds?: unknown;
  data?: unknown;
}

/** The partition row's field that says how far `table`'s append log was compacted. */
export function logFloorField(table: string): "log_floor_chunk" | "log_floor_memory" {
  return table === "chunk" ? "log_floor_chunk" : "log_floor_memory";
}

/**
 * Whether a partition, at `current`, may use a view labelled `label` and read the rest from its
 * append log, which was compacted up to version `logFloor`.
 */
export function snapshotUsable(label: SnapshotLabel, current: SnapshotLabel, logFloor: number): boolean {
  return (
    label.created === current.created &&
    label.rewrites === current.rewrites &&
    label.version <= current.version &&
    label.version >= logFloor
  );
}

/** A persisted snapshot as decoded (decodeSnapshot). */
export interface DecodedSnapshot {
  label: SnapshotLabel;
  /** The rows of the data segments present, in seq order. */
  rows: CachedRow[];
  persisted: PersistedSnapshot;
  /** Seq ranges (inclusive) of the data segments a delete or rewrite removed: their records are read from the table. */
  holes: Array<{ first: string; last: string }>;
  /** The leading data segments before the first hole and the last segment: what a rewrite may keep as stored. */
  intact: { bounds: SegmentBound[]; rows: number };
}

/** The header's segment bounds when well formed (one per data segment, in increasing seq order), else null. */
function boundsOf(raw: unknown, parts: number): SegmentBound[] | null {
  if (!Array.isArray(raw) || raw.length !== parts) return null;
  let previous = "";
  for (const b of raw) {
    if (!Array.isArray(b) || b.length !== 3) return null;
    const [first, last, rows] = b as unknown[];
    if (typeof first !== "string" || typeof last !== "string" || typeof rows !== "number") return null;
    if (first <= previous || last < first || rows < 1) return null;
    previous = last;
  }
  return raw as SegmentBound[];
}

/**
 * One partition's snapshot from its stored rows (any order), or null when they are not one
 * snapshot in this process's format: no header, bounds or row counts that do not add up, bytes
 * that do not decode to the rows the header says. A data segment that is absent (a change
 * removed it: PartitionRegistry.changed) is a hole, read from the table by its seq range. Null
 * means "scan instead", never an error. Data segments past the header's `parts` (left by a
 * shorter rewrite) are ignored. Yields to the event loop between segments.
 */
export async function decodeSnapshot(stored: readonly StoredSegment[]): Promise<DecodedSnapshot | null> {
  const header = stored.find((s) => s.index === HEADER);
  if (!header || header.format !== SNAPSHOT_FORMAT) return null;
  const { created, version, rewrites, parts, last_seq: lastSeq } = header;
  if (typeof created !== "string" || typeof version !== "number" || typeof rewrites !== "number") return null;
  if (typeof parts !== "number" || typeof lastSeq !== "string") return null;
  const bounds = boundsOf(header.bounds, parts);
  if (!bounds || bounds.at(-1)?.[1] !== lastSeq || bounds.reduce((n, b) => n + b[2], 0) !== header.rows) return null;
  const data = new Map(stored.filter((s) => s.index >= 0 && s.index < parts).map((s) => [s.index, s]));
  const rows: CachedRow[] = [];
  const holes: DecodedSnapshot["holes"] = [];
  // Up to the first hole, and never the last segment: a rewrite fills that one up before adding more.
  let intact = parts - 1;
  for (let i = 0; i < parts; i++) {
    const [first, last] = bounds[i]!;
    const segment = data.get(i);
    if (!segment) {
      holes.push({ first, last });
      intact = Math.min(intact, i);
      continue;
    }
    if (rows.length > 0) await new Promise((resolve) => setImmediate(resolve));
    const decoded = decodeBounded(segment.data, bounds[i]!);
    if (!decoded) return null;
    for (const r of decoded) rows.push(r);
  }
  const label = { created, version, rewrites };
  const kept = bounds.slice(0, intact);
  return {
    label,
    rows,
    persisted: { label, rows: header.rows as number, lastSeq },
    holes,
    intact: { bounds: kept, rows: kept.reduce((n, b) => n + b[2], 0) },
  };
}

/** The rows of a stored data segment's bytes when they are exactly the rows its header bound says, else null. */
function decodeBounded(data: unknown, [first, last, count]: SegmentBound): CachedRow[] | null {
  const bytes = toBytes(data);
  const decoded = bytes ? decodeSegment(bytes) : null;
  if (!decoded || decoded.length !== count || decoded[0]!.seq !== first || decoded.at(-1)!.seq !== last) return null;
  return decoded;
}

function toBytes(data: unknown): Buffer | null {
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** Term entries of one row (see SEGMENT_ENTRIES). */
function entriesOf(row: CachedRow): number {
  const { termBlock, termRow } = row;
  if (termBlock && termRow !== undefined) return termBlock.starts[termRow + 1]! - termBlock.starts[termRow]!;
  let n = 0;
  for (const t in row.terms) if (Object.hasOwn(row.terms, t)) n++;
  return n;
}

/** Where the next segment starting at row `from` ends (exclusive): SEGMENT_ROWS rows or SEGMENT_ENTRIES entries, at least one row. */
export function segmentEnd(rows: readonly CachedRow[], from: number): number {
  let end = from;
  let entries = 0;
  while (end < rows.length && end - from < SEGMENT_ROWS) {
    entries += entriesOf(rows[end]!);
    if (entries > SEGMENT_ENTRIES && end > from) break;
    end++;
  }
  return end;
}

/** A partition's stamp as the snapshot writer reads it on the root session, with its log floor. */
interface PartitionState extends SnapshotLabel {
  floor: number;
}

/** A header row as read back (see StoredSegment), its label in parts. */
interface HeaderState extends SnapshotLabel {
  parts: number;
  rows: number;
  format: string;
  last_seq: string;
  bounds: unknown;
  /** Data segments a change removed since this header was written (PartitionRegistry.changed). */
  holes?: number[];
}

/**
 * A partition's rows (in seq order) at `label`, as a load built them, for a refresh to write.
 * `intact`: the stored snapshot's leading data segments they begin with (its label and their
 * bounds), kept as stored if that snapshot is still the stored one.
 */
export interface KnownRows {
  label: SnapshotLabel;
  rows: readonly CachedRow[];
  intact?: { previous: SnapshotLabel; bounds: SegmentBound[]; rows: number };
}

/** What one write stores: data segments from index `keep` on, encoded from `rows`, under `label`. */
interface SnapshotWrite {
  ctx: StoredContext;
  table: string;
  key: string;
  scope: Record<string, string>;
  label: SnapshotLabel;
  /** Data segments 0 … keep−1 stay as stored (they belong to `previous`); these are their bounds. */
  kept: SegmentBound[];
  /**
   * The stored header this write builds on (its segments kept, or the log read past its
   * version), or null for a write of rows a load holds: the transaction lands only while that
   * header is still the one stored (a compaction in between would have taken rows from the log).
   */
  previous: SnapshotLabel | null;
  /** Rows (in seq order) of segments keep, keep+1, … */
  rows: readonly CachedRow[];
}

/** The root-session access the writer needs (TenantSessions.onRoot). */
export interface RootAccess {
  onRoot<T>(ctx: StoredContext, work: (session: SurrealSession) => Promise<T>): Promise<T>;
}

/**
 * Thrown inside the write transaction when the partition (or the header the kept segments
 * belong to) moved on since the label. (On 3.0.2 an IF whose condition reads a field through a
 * record id fails with "Specify a database to use", hence the SELECTs into plain objects first.)
 */
const STALE = "scopegate:snapshot-stale";

/** Partitions whose appends are being counted at once (see CorpusSnapshotWriter.appended); past it the counts restart. */
const MAX_COUNTED_PARTITIONS = 10_000;

/**
 * Keeps persisted snapshots up to date in the background, on the Context's root session, at
 * most one refresh at a time per partition (a request never waits for one).
 *
 * A refresh starts from what is stored. When the header is still valid for the partition (same
 * `created` and `rewrites`, not behind the log's floor), it reads the records the append log
 * names past the header's version and the last data segment, and rewrites that segment and adds
 * new ones (with holes: from the first hole on, its range read from the table): its cost follows
 * the rows appended, not the partition's size. Otherwise it writes the whole snapshot from a scan
 * of the partition on the root session, if it has SNAPSHOT_MIN_ROWS rows. Refreshes are started
 * by appends (once SNAPSHOT_MIN_ROWS rows were appended to a partition in this process, then every
 * TAIL_REFRESH_ROWS), so a partition that only grows has a snapshot trailing by less than that
 * even if no recall ever loaded it, and by loads that find the snapshot behind (another process
 * appended), unusable or with holes (then from the rows the load holds).
 *
 * Encoding yields between segments, so a 50,000-row partition never holds the event loop for
 * more than one segment (SEGMENT_ENTRIES: ~10–30 ms). A write lands only if, inside its
 * transaction and holding the partition's lock, the partition still has the label's `created`
 * and `rewrites`, no newer snapshot of them is stored (the log behind a newer one is compacted
 * already), and, when it builds on a stored header (keeps its segments or read its log), that
 * header is still the stored one; else it is dropped, and the next trigger starts over. Failures are counted, never thrown: a
 * missing snapshot costs a scan, nothing else.
 */
export class CorpusSnapshotWriter {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Rows appended in this process per partition since its last refresh started (absent: none started; see `appended`). */
  private readonly appendedSince = new Map<string, number>();
  written = 0;
  /** Data segments encoded and written (a write that keeps leading segments writes fewer). */
  segmentsWritten = 0;
  /** Partitions read whole on the root session to write their first snapshot. */
  scanned = 0;
  stale = 0;
  failed = 0;
  /** The last write failure other than a stale label (for tests and diagnostics). */
  lastError: unknown = null;

  constructor(private readonly root: RootAccess) {}

  /**
   * Brings the snapshot of `table`'s partition `key` in `ctx` up to date in the background (see
   * the class). `known`: the partition's rows from a load that could not use what is stored as
   * it is (none, unreadable, another label, or with holes), written with no further read. Does
   * nothing when a refresh of that partition is already under way.
   */
  refresh(ctx: StoredContext, table: string, key: string, known: KnownRows | null = null): void {
    const name = partitionName(ctx, table, key);
    const scope = scopeOfKey(key);
    if (this.inFlight.has(name) || !scope) return;
    this.appendedSince.set(name, 0); // refreshed in this process: the next one after TAIL_REFRESH_ROWS more
    const run = this.run(ctx, table, key, scope, known).finally(() => {
      this.inFlight.delete(name);
      // Appends counted while it ran: the refresh may have missed them; start over if there are enough.
      if ((this.appendedSince.get(name) ?? 0) >= TAIL_REFRESH_ROWS) this.refresh(ctx, table, key);
    });
    this.inFlight.set(name, run);
  }

  /**
   * Counts `rows` records appended (committed) to `table`'s partition `key` in `ctx`; refreshes
   * its snapshot once SNAPSHOT_MIN_ROWS of them came in this process, then every TAIL_REFRESH_ROWS.
   */
  appended(ctx: StoredContext, table: string, key: string, rows: number): void {
    const name = partitionName(ctx, table, key);
    const since = this.appendedSince.get(name);
    const total = (since ?? 0) + rows;
    // A partition not refreshed yet in this process may have no snapshot at all: look once it could need one.
    const threshold = since === undefined ? SNAPSHOT_MIN_ROWS : TAIL_REFRESH_ROWS;
    if (total >= threshold && !this.inFlight.has(name)) {
      this.refresh(ctx, table, key);
      return;
    }
    if (this.appendedSince.size >= MAX_COUNTED_PARTITIONS && !this.appendedSince.has(name)) this.appendedSince.clear();
    this.appendedSince.set(name, total);
  }

  /** Resolves when every refresh started so far has landed or been dropped (tests, benches, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  private async run(
    ctx: StoredContext,
    table: string,
    key: string,
    scope: Record<string, string>,
    known: KnownRows | null,
  ): Promise<void> {
    try {
      const base = { ctx, table, key, scope };
      const write = known ? fromKnown(base, known) : await this.plan(base);
      if (!write) return;
      await this.store(write);
      this.written += 1;
    } catch (err) {
      if (err instanceof TransactionThrow) this.stale += 1;
      else {
        this.failed += 1;
        this.lastError = err;
      }
    }
  }

  /**
   * What to write, from what is stored (reads on the root session): the data segments from the
   * first hole or the last one on, the records of the holes' ranges and those the log adds;
   * or, with no valid header, the whole partition. Null when up to date or too small.
   */
  private async plan(base: WriteTarget): Promise<SnapshotWrite | null> {
    const { ctx, table, key } = base;
    const [p, h] = await this.root.onRoot(ctx, async (session) => {
      const [, , state] = await session
        .query(
          `LET $p = (SELECT <string> created_at AS created, version, version - (appends ?? 0) AS rewrites, ${logFloorField(table)} ?? 0 AS floor FROM type::record('partition', $key))[0];
           LET $h = (SELECT created, version, rewrites, parts, rows, format, last_seq, bounds, holes FROM type::record('corpus_segment', [$table, $key, ${HEADER}]))[0];
           RETURN [$p, $h];`,
          { key, table },
        )
        .collect<[unknown, unknown, [PartitionState | undefined, HeaderState | undefined]]>();
      return state;
    });
    if (!p) return null; // the partition is gone
    const label: SnapshotLabel = { created: p.created, version: p.version, rewrites: p.rewrites };
    const bounds =
      h && h.format === SNAPSHOT_FORMAT && snapshotUsable(h, label, p.floor) ? boundsOf(h.bounds, h.parts) : null;
    if (h && bounds && bounds.length > 0) {
      const extended = await this.extend(base, label, h, bounds);
      if (extended !== undefined) return extended;
    }
    // None to extend: write it whole, from the records.
    const [selected] = await this.root.onRoot(ctx, (session) =>
      session
        .query(`SELECT ${corpusColumns(table)} FROM ${table}:[$key, NONE]..=[$key, ..]`, { key })
        .collect<[unknown[]]>(),
    );
    this.scanned += 1;
    const rows = corpusRowsOf(key, toPlain(selected));
    if (rows.length < SNAPSHOT_MIN_ROWS) return null;
    return { ...base, label, kept: [], previous: null, rows };
  }

  /**
   * The write that extends stored header `h` (valid at `label`) from its first hole, or from its
   * last data segment when it has none: null when the log adds nothing and there is no hole,
   * undefined when the stored segments do not read back as the header says (write it whole).
   */
  private async extend(
    base: WriteTarget,
    label: SnapshotLabel,
    h: HeaderState,
    bounds: SegmentBound[],
  ): Promise<SnapshotWrite | null | undefined> {
    const { ctx, table, key } = base;
    const holes = (h.holes ?? []).filter((i) => Number.isInteger(i) && i >= 0 && i < bounds.length);
    const from = Math.min(bounds.length - 1, ...holes);
    const vars: Record<string, unknown> = { table, key, version: h.version, from };
    const holeRanges = holes.map((i) => {
      vars[`a${i}`] = bounds[i]![0];
      vars[`b${i}`] = bounds[i]![1];
      return `${table}:[$key, $a${i}]..=[$key, $b${i}]`;
    });
    const [tail, stored, refill] = await this.root.onRoot(ctx, (session) =>
      session
        .query(
          `SELECT ${corpusColumns(table)} FROM array::map(
             array::flatten((SELECT VALUE ulids FROM partition_log:[$table, $key, $version]>..=[$table, $key, ..])),
             |$u| type::record($table, [$key, $u]));
           SELECT record::id(id)[2] AS index, rows, data FROM corpus_segment:[$table, $key, $from]..=[$table, $key, ..];
           ${holeRanges.length > 0 ? `SELECT ${corpusColumns(table)} FROM ${holeRanges.join(", ")};` : "RETURN [];"}`,
          vars,
        )
        .collect<[unknown[], Array<{ index: number; rows: number; data: unknown }>, unknown[]]>(),
    );
    const added = corpusRowsOf(key, toPlain(tail));
    if (added.length === 0 && holes.length === 0) return null;
    const body = corpusRowsOf(key, toPlain(refill));
    for (const s of stored) {
      const b = bounds[s.index];
      if (!b || holes.includes(s.index)) continue;
      const decoded = decodeBounded(s.data, b);
      if (!decoded) return undefined;
      for (const r of decoded) body.push(r);
    }
    body.sort(bySeq);
    const rows = mergeBySeq(body, added);
    const kept = bounds.slice(0, from);
    // Every row from `from` on must sort after the kept segments (a replica's clock far behind could break that).
    if (rows.length === 0 || (from > 0 && rows[0]!.seq <= kept.at(-1)![1])) return undefined;
    return { ...base, label, kept, previous: { created: h.created, version: h.version, rewrites: h.rewrites }, rows };
  }

  /** Encodes the write's data segments and stores them with the header in one transaction. */
  private async store(w: SnapshotWrite): Promise<void> {
    const { ctx, table, key, scope, label, rows } = w;
    const keep = w.kept.length;
    const segments: Array<{ i: number; rows: number; data: ArrayBuffer }> = [];
    const bounds: SegmentBound[] = [...w.kept];
    for (let from = 0, i = keep; from < rows.length; i++) {
      await new Promise((resolve) => setImmediate(resolve)); // one segment per turn of the event loop
      const end = segmentEnd(rows, from);
      segments.push({ i, rows: end - from, data: encodeSegment(rows.slice(from, end)) });
      bounds.push([rows[from]!.seq, rows[end - 1]!.seq, end - from]);
      from = end;
    }
    await this.root.onRoot(ctx, (session) =>
      runTransaction(
        session,
        `BEGIN;
         LET $p = (SELECT created_at, version, appends FROM type::record('partition', $skey))[0];
         LET $h = (SELECT created, version, rewrites, format FROM type::record('corpus_segment', [$stable, $skey, ${HEADER}]))[0];
         LET $same = $p.created_at != NONE AND (<string> $p.created_at) = $slabel.created
           AND $p.version - ($p.appends ?? 0) = $slabel.rewrites
           AND ($h = NONE OR $h.created != $slabel.created OR $h.rewrites != $slabel.rewrites OR $h.version <= $slabel.version)
           AND (!$extends OR ($h.created = $sprev.created AND $h.version = $sprev.version AND $h.rewrites = $sprev.rewrites AND $h.format = $format));
         IF !$same { THROW "${STALE}" };
         -- UPSERT, not CREATE: on 3.0.2 a CREATE of an id deleted earlier in the same transaction fails as "already exists".
         DELETE corpus_segment:[$stable, $skey, $keep]..=[$stable, $skey, ..];
         FOR $s IN $segments { UPSERT type::record('corpus_segment', [$stable, $skey, $s.i]) SET scope = $sscope, rows = $s.rows, data = $s.data; };
         UPSERT type::record('corpus_segment', [$stable, $skey, ${HEADER}]) SET scope = $sscope, created = $slabel.created,
           version = $slabel.version, rewrites = $slabel.rewrites, parts = $parts, rows = $total, format = $format,
           last_seq = $last, bounds = $bounds, holes = [];
         -- The log up to the snapshot's version is in it now: compact, and say so on the partition.
         DELETE partition_log:[$stable, $skey, NONE]..=[$stable, $skey, $slabel.version];
         UPDATE type::record('partition', $skey) SET ${logFloorField(table)} = $slabel.version;
         COMMIT;`,
        {
          skey: key,
          stable: table,
          sscope: scope,
          slabel: label,
          sprev: w.previous,
          // Built on a stored header (its segments kept, or its log read past its version): it must still be the one stored.
          extends: w.previous !== null,
          keep,
          segments,
          bounds,
          parts: bounds.length,
          total: bounds.reduce((n, b) => n + b[2], 0),
          last: bounds.at(-1)![1],
          format: SNAPSHOT_FORMAT,
        },
        // The Context's write gate, shared like every tenant write: a deleteContext (exclusive) waits for it.
        { locks: [shared(WRITE_GATE), ...partitionLocks([key], true)], markers: [STALE] },
      ),
    );
    this.segmentsWritten += segments.length;
  }
}

/** The writer's name for one partition of a table in one incarnation of a Context (a re-created Context is another). */
function partitionName(ctx: StoredContext, table: string, key: string): string {
  return `${ctx.id}\u0000${ctx.createdAt}\u0000${table}\u0000${key}`;
}

/** Where a write goes: the Context, table and partition (with its scope). */
interface WriteTarget {
  ctx: StoredContext;
  table: string;
  key: string;
  scope: Record<string, string>;
}

/** The write of rows a load holds (see KnownRows): from the first segment, or after the intact ones when the rows begin with them. */
function fromKnown(base: WriteTarget, known: KnownRows): SnapshotWrite | null {
  const { label, rows, intact } = known;
  if (rows.length < SNAPSHOT_MIN_ROWS) return null;
  const lastKept = intact?.bounds.at(-1)?.[1];
  const next = intact ? rows[intact.rows] : undefined;
  if (intact && lastKept !== undefined && next && rows[intact.rows - 1]?.seq === lastKept && next.seq > lastKept) {
    return { ...base, label, kept: intact.bounds, previous: intact.previous, rows: rows.slice(intact.rows) };
  }
  return { ...base, label, kept: [], previous: null, rows };
}
