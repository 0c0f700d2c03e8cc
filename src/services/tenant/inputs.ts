/**
 * Validation of tenant-plane arguments: the client's own mistakes become BAD_USER_INPUT naming
 * the field, before any work is done. Ids are opaque: one that cannot name a record is simply
 * unknown (null / NOT_FOUND / count 0), exactly like a record the caller may not see.
 */
import { BadUserInputError } from "../../domain/errors.js";
import { storageAlteration, storageAlterationIn } from "../../domain/text.js";

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
/** Longest memory text, turn content or question, in UTF-16 code units. */
export const MAX_TEXT = 32_000;
/** Largest metadata object, as JSON characters. */
export const MAX_METADATA_CHARS = 16_000;
/** Deepest nesting of metadata (objects and arrays): deeper input is refused, not stored. */
export const MAX_METADATA_DEPTH = 32;

/** A page size: 1–MAX_PAGE, default DEFAULT_PAGE. */
export function pageSize(first: number | null | undefined, field = "first"): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new BadUserInputError(`${field} must be 1–${MAX_PAGE}`, field);
  }
  return first;
}

export const encodeCursor = (value: string | number) => Buffer.from(String(value)).toString("base64url");

/** A ulid cursor (as encodeCursor made it) or null; anything else is the client's mistake. */
export function ulidCursor(after: string | null | undefined, field = "after"): string | null {
  if (after === null || after === undefined || after === "") return null;
  const value = Buffer.from(after, "base64url").toString();
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(value))
    throw new BadUserInputError(`${field} is not a cursor of this list`, field);
  return value;
}

/** A turn-sequence cursor (a positive safe integer) or 0. */
export function seqCursor(after: string | null | undefined, field = "after"): number {
  if (after === null || after === undefined || after === "") return 0;
  const value = Buffer.from(after, "base64url").toString();
  const seq = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw new BadUserInputError(`${field} is not a cursor of this list`, field);
  return seq;
}

/** Text that will be stored: non-empty when required, within the size limit, and exactly storable. */
export function storableText(value: string, field: string, opts: { max?: number; allowEmpty?: boolean } = {}): string {
  const max = opts.max ?? MAX_TEXT;
  if (!opts.allowEmpty && value.trim().length === 0) throw new BadUserInputError(`${field} must not be empty`, field);
  if (value.length > max) throw new BadUserInputError(`${field} is longer than ${max} characters`, field);
  const problem = storageAlteration(value);
  if (problem) throw new BadUserInputError(`${field} ${problem}`, field);
  return value;
}

/**
 * Metadata: a JSON object of at most MAX_METADATA_CHARS, nested at most MAX_METADATA_DEPTH,
 * whose numbers are finite and, when integral, exact in a double (|n| ≤ 2^53 − 1: larger
 * integers do not survive storage), and whose strings are exactly storable.
 */
export function metadataOf(value: unknown, field = "metadata"): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value))
    throw new BadUserInputError(`${field} must be a JSON object`, field);
  const stack: Array<[unknown, number, string]> = [[value, 1, field]];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop()!;
    if (typeof v === "number" && (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v)))) {
      throw new BadUserInputError(`${path} is a number outside ±(2^53 − 1) that storage cannot keep exactly`, field);
    }
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_METADATA_DEPTH)
      throw new BadUserInputError(`${field} is nested deeper than ${MAX_METADATA_DEPTH} levels`, field);
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) stack.push([x, depth + 1, `${path}.${k}`]);
  }
  if (JSON.stringify(value).length > MAX_METADATA_CHARS) {
    throw new BadUserInputError(`${field} is larger than ${MAX_METADATA_CHARS / 1000} kB`, field);
  }
  const problem = storageAlterationIn(value, field);
  if (problem) throw new BadUserInputError(problem, field);
  return value as Record<string, unknown>;
}
