/**
 * Public ids of tenant records. Records are keyed by arrays whose first element is the scope
 * key of their partition (`memory:[scopeKey, ulid]`, `turn:[scopeKey, sessionUlid, seq]`);
 * clients see them as opaque base64url of that array. Nothing forged this way is useful: every
 * read still passes the visibility predicate and the table permissions.
 */
import { monotonicFactory } from "ulid";

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
