/**
 * Validation of tenant-plane arguments: the client's own mistakes become BAD_USER_INPUT naming
 * the field, before any work is done. Ids are opaque: one that cannot name a record is simply
 * unknown (null / NOT_FOUND / count 0), exactly like a record the caller may not see.
 */
import { createHash } from "node:crypto";
import type { RecordView } from "../../domain/access.js";
import { BadUserInputError } from "../../domain/errors.js";
import type { Page } from "../../domain/models.js";
import type { PageRequest, Scan } from "../../db/tables/partitionedTable.js";
import { scopeKey } from "../../domain/scope.js";
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

/**
 * Cursors name a position in one list (`list`: which field and which view of it), so a cursor
 * taken from another list (another field, scope or tenant) is refused with BAD_USER_INPUT
 * instead of silently paging from a foreign position. The tag is a short digest of the list's
 * identity, not a secret: a cursor carries no data the page itself does not show.
 */
export function listCursor(list: string) {
  const tag = createHash("sha256").update(list).digest("base64url").slice(0, 10);
  return {
    encode: (position: string | number): string => Buffer.from(`${position}~${tag}`).toString("base64url"),
    /** The position `after` names in this list; null for no cursor. Errors: BAD_USER_INPUT. */
    decode(after: string | null | undefined, field = "after"): string | null {
      if (after === null || after === undefined || after === "") return null;
      const [position, given, ...rest] = Buffer.from(after, "base64url").toString().split("~");
      if (rest.length > 0 || given !== tag || !position) {
        throw new BadUserInputError(`${field} is not a cursor of this list`, field);
      }
      return position;
    },
  };
}

export type ListCursor = ReturnType<typeof listCursor>;

/** A page whose items carry their own cursors. */
export function withCursors<T>(page: Page<T>, cursorOf: (item: T) => string): Page<T & { cursor: string }> {
  return { ...page, items: page.items.map((item) => ({ ...item, cursor: cursorOf(item) })) };
}

/** The identity of a list read through `view` (see listCursor). */
export function listIdentity(field: string, view: RecordView): string {
  return `${field}|${view.kind}|${"scope" in view ? scopeKey(view.scope) : ""}|${"owner" in view ? view.owner : ""}`;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A ulid position of a list (see listCursor); null for no cursor. Errors: BAD_USER_INPUT naming `field`. */
export function ulidPosition(list: ListCursor, cursor: string | null | undefined, field = "after"): string | null {
  const position = list.decode(cursor, field);
  if (position !== null && !ULID.test(position))
    throw new BadUserInputError(`${field} is not a cursor of this list`, field);
  return position;
}

/** A turn-sequence position (a non-negative safe integer); null for no cursor. Errors: BAD_USER_INPUT naming `field`. */
export function seqPosition(list: ListCursor, cursor: string | null | undefined, field = "after"): number | null {
  const position = list.decode(cursor, field);
  if (position === null) return null;
  const seq = /^\d{1,15}$/.test(position) ? Number(position) : Number.NaN;
  if (!Number.isSafeInteger(seq)) throw new BadUserInputError(`${field} is not a cursor of this list`, field);
  return seq;
}

/** Relay connection arguments of every list (README: Relay and typed clients). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  orderBy?: { direction?: "ASC" | "DESC" | null } | null;
}

/**
 * How one Relay page reads its list: `size` items from `position` (exclusive) in storage
 * `direction` (ASC: ascending creation order). `backward` pages (last/before) read away from
 * their cursor towards the list's start and are turned around before they are shown.
 */
export interface PagePlan<P> {
  size: number;
  position: P | null;
  direction: "ASC" | "DESC";
  backward: boolean;
}

/**
 * The plan of a page from its arguments: first/after pages forward (the default, `first` 20),
 * last/before backward (`before` alone: `last` 20), in `orderBy`'s direction or the list's
 * default. Mixing the two (first with last or before, last with after) is BAD_USER_INPUT: the
 * Relay spec leaves it optional, and no client needs it.
 */
export function pagePlan<P>(
  args: PageArgs,
  defaultDirection: "ASC" | "DESC",
  position: (cursor: string | null | undefined, field: "after" | "before") => P | null,
): PagePlan<P> {
  const given = (v: unknown) => v !== null && v !== undefined;
  const backward = given(args.last) || given(args.before);
  if (given(args.first) && backward) {
    const field = given(args.last) ? "last" : "before";
    throw new BadUserInputError(
      `first cannot be combined with ${field}: page forward with first/after or backward with last/before`,
      field,
    );
  }
  if (backward && given(args.after)) {
    throw new BadUserInputError(
      "after cannot be combined with last or before: page backward with last/before",
      "after",
    );
  }
  const order = args.orderBy?.direction ?? defaultDirection;
  return {
    size: backward ? pageSize(args.last, "last") : pageSize(args.first, "first"),
    position: backward ? position(args.before, "before") : position(args.after, "after"),
    // A backward page reads against the list's order.
    direction: (order === "ASC") !== backward ? "ASC" : "DESC",
    backward,
  };
}

/** The Relay page of what a plan read (`scan`: items in the direction read). */
export function relayPage<T>(plan: PagePlan<unknown>, scan: Scan<T>): Page<T> {
  return plan.backward
    ? { items: [...scan.items].reverse(), hasNextPage: scan.behind, hasPreviousPage: scan.more }
    : { items: scan.items, hasNextPage: scan.more, hasPreviousPage: scan.behind };
}

/**
 * One page of a partitioned list read through `view`: validates the page arguments (cursors
 * must be of this very list), reads, and gives each item its cursor. `defaultDirection` is the
 * list's order when `orderBy` is not given.
 */
export async function pagedList<T extends { ulid: string }>(
  field: string,
  view: RecordView,
  args: PageArgs,
  defaultDirection: "ASC" | "DESC",
  read: (req: PageRequest) => Promise<Scan<T>>,
): Promise<Page<T & { cursor: string }>> {
  const list = listCursor(listIdentity(field, view));
  const plan = pagePlan(args, defaultDirection, (cursor, f) => ulidPosition(list, cursor, f));
  const scan = await read({ size: plan.size, position: plan.position, direction: plan.direction });
  return withCursors(relayPage(plan, scan), (item) => list.encode(item.ulid));
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
