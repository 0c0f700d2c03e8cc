import { NotFoundError } from "../../domain/errors.js";
import type { Page } from "../../domain/models.js";
import { encodeCursor } from "../../services/tenant/inputs.js";

/** A Relay connection of a page; partitioned records page by their time-ordered ulid. */
export function connection<T extends { ulid: string }>(page: Page<T>) {
  const edges = page.items.map((node) => ({ node, cursor: encodeCursor(node.ulid) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Single-item lookups answer null for what the caller cannot see, like a missing record (no existence oracle). */
export async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
