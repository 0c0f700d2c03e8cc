import { NotFoundError } from "../../domain/errors.js";
import type { Page } from "../../domain/models.js";
/** A Relay connection of a page whose items carry their cursors (services/tenant/inputs.ts). */
export function connection<T extends { cursor: string }>(page: Page<T>) {
  const edges = page.items.map((node) => ({ node, cursor: node.cursor }));
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
