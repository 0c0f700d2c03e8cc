/**
 * Public ids of tenant records. Records are keyed by arrays whose first element is the scope
 * key of their partition (`memory:[scopeKey, ulid]`, `turn:[scopeKey, sessionUlid, seq]`);
 * clients see them as opaque base64url of that array. Nothing forged this way is useful: every
 * read still passes the visibility predicate and the table permissions.
 */
import { decodeTime, encodeTime, MAX_ULID, monotonicFactory } from "ulid";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const MAX_ID_CHARS = 1600;

/** `[scopeKey, ulid]` of a partitioned record (memory, document, chunk, session, decision_trace). */
export type RecordKey = [scopeKey: string, ulid: string];
/** `[scopeKey, sessionUlid, seq]` of a turn: the session's partition, the session, the turn number. */
export type TurnKey = [scopeKey: string, sessionUlid: string, seq: number];

export function encodeRecordKey(parts: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

function decode(id: string): unknown[] | null {
  if (id.length > MAX_ID_CHARS || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
    return Array.isArray(parts) ? parts : null;
  } catch {
    return null; // not one of ours
  }
}

/** The key of a partitioned record's public id, or null for anything that cannot name one. */
export function decodeRecordKey(id: string): RecordKey | null {
  const p = decode(id);
  if (p?.length === 2 && typeof p[0] === "string" && typeof p[1] === "string" && ULID.test(p[1])) return [p[0], p[1]];
  return null;
}

/** The key of a turn's public id, or null. */
export function decodeTurnKey(id: string): TurnKey | null {
  const p = decode(id);
  if (p?.length === 3 && typeof p[0] === "string" && typeof p[1] === "string" && ULID.test(p[1])) {
    const seq = p[2];
    if (typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 1) return [p[0], p[1], seq];
  }
  return null;
}

/** The well-formed keys among `ids`, with the ids they came from. */
export function decodeRecordKeys(ids: readonly string[]): Array<{ id: string; key: RecordKey }> {
  return ids.flatMap((id) => {
    const key = decodeRecordKey(id);
    return key ? [{ id, key }] : [];
  });
}

/** The partition (scope key) of a public id, or null. */
export const partitionOf = (id: string): string | null => decodeRecordKey(id)?.[0] ?? null;

const nextUlid = monotonicFactory();
/** Time-ordered, monotonic within this process; the second element of every partitioned key. */
export const newUlid = (): string => nextUlid();

/** The greatest ULID of millisecond `ms` (its time part, then the largest randomness). */
export const lastUlidAt = (ms: number): string => `${encodeTime(Math.max(0, Math.floor(ms)), 10)}ZZZZZZZZZZZZZZZZ`;

/** The smallest ULID of millisecond `ms` (its time part, then zero randomness). */
export const firstUlidAt = (ms: number): string => `${encodeTime(Math.max(0, Math.floor(ms)), 10)}0000000000000000`;

/** Below every ULID: the lowest bound of a backward probe (the start of every partition's key range). */
export const BEFORE_EVERY_ULID = "";
/** Above every ULID (whose first character is at most "7"): the open end of a backward page from a list's end. */
export const AFTER_EVERY_ULID = "~";

/** The creation time (ms since the epoch) a ULID encodes. */
export const ulidTime = (ulid: string): number => decodeTime(ulid);

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID as the 128-bit number it spells. */
function ulidValue(ulid: string): bigint {
  let n = 0n;
  for (const ch of ulid) n = n * 32n + BigInt(CROCKFORD.indexOf(ch));
  return n;
}

/** The ULID spelling of a 128-bit number. */
function ulidOf(value: bigint): string {
  let out = "";
  let n = value;
  for (let i = 0; i < 26; i++) {
    out = CROCKFORD[Number(n % 32n)]! + out;
    n /= 32n;
  }
  return out;
}

/** Rows a page asks for first in ULID steps: ULIDs made in one millisecond by one process are consecutive numbers. */
const FIRST_STEP = 64n;
/** Steps grow ×4 inside the starting millisecond, up to the largest batch one write makes (rememberMany: 5,000)… */
const STEP_GROWTH = 4n;
const LAST_STEP = 16_384n;
/** …then windows of whole milliseconds grow ×2, from this many. */
const FIRST_WINDOW_MS = 2;

/**
 * Upper bounds (ULIDs, ascending) of the windows a page probes after `from` (the cursor, or the
 * partition's first ULID), ending with MAX_ULID (the end of every key range). A key-range scan
 * reads every row of its range under record-user permissions, so a page reads the windows in
 * turn and stops at the first holding a page: it touches at most a few times the rows of the
 * smallest sufficient window, whatever the partition's size.
 * - Rows written together (one transaction, one millisecond) have consecutive ULIDs (the
 *   monotonic factory increments the random part), so the first windows count ULID steps:
 *   64, 256, 1,024, 4,096, 16,384 while they stay inside `from`'s millisecond.
 * - After that, windows end at whole milliseconds: 2, 4, 8 … ms after `from`, up to a day
 *   past `nowMs`. A tenant writing once a minute costs ~16 empty probes more than a dense one.
 */
export function windowBounds(from: string, nowMs = Date.now()): string[] {
  const bounds: string[] = [];
  const fromMs = decodeTime(from);
  const endOfMs = lastUlidAt(fromMs);
  const start = ulidValue(from);
  for (let step = FIRST_STEP; step <= LAST_STEP; step *= STEP_GROWTH) {
    const bound = ulidOf(start + step);
    if (bound >= endOfMs) break;
    bounds.push(bound);
  }
  const horizon = nowMs + 86_400_000;
  for (let w = FIRST_WINDOW_MS; fromMs + w < horizon; w *= 2) bounds.push(lastUlidAt(fromMs + w));
  bounds.push(MAX_ULID);
  return bounds;
}

/**
 * Lower bounds (ULIDs, descending) of the windows a backward probe reads below `from` (a cursor;
 * null for the list's end), ending with BEFORE_EVERY_ULID: the mirror of `windowBounds`, so a
 * backward page or a DESC page costs what a forward one does, whatever the partition's size.
 * - Below a cursor, the first windows count ULID steps down inside the cursor's millisecond
 *   (64, 256, … 16,384: a bulk write's rows are consecutive), then whole milliseconds: 2, 4, 8 …
 *   ms before it.
 * - From the end, windows start at `nowMs` and are open above it (rows stamped a little in the
 *   future by a replica's clock are in the first window): 2, 4, 8 … ms before now. The newest
 *   millisecond is read whole, so the first backward page of a partition whose last write was a
 *   bulk batch reads that batch (at most SCOPEGATE_REMEMBER_MANY_MAX rows); pages after it have a
 *   cursor and step through the batch.
 * - Windows stop at `floor`, the partition's first ULID: nothing lies below it but what a
 *   skewed replica clock put there, which the last, unbounded window still reads.
 */
export function windowBoundsBackward(from: string | null, floor: string, nowMs = Date.now()): string[] {
  const bounds: string[] = [];
  const floorMs = decodeTime(floor);
  let topMs = from === null ? Math.max(Math.floor(nowMs), floorMs) : floorMs;
  // A cursor below the floor's millisecond has nothing under it but what a skewed clock put there: one window.
  if (from !== null && decodeTime(from) >= floorMs) {
    topMs = decodeTime(from);
    const startOfMs = ulidValue(firstUlidAt(topMs));
    const start = ulidValue(from);
    for (let step = FIRST_STEP; step <= LAST_STEP; step *= STEP_GROWTH) {
      if (start - step <= startOfMs) break;
      bounds.push(ulidOf(start - step));
    }
  }
  for (let w = FIRST_WINDOW_MS; topMs - w > floorMs; w *= 2) bounds.push(firstUlidAt(topMs - w));
  bounds.push(BEFORE_EVERY_ULID);
  return bounds;
}
