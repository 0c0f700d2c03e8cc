import { NotFoundError } from "../../domain/errors.js";
import type { Page, SessionModel, TurnModel } from "../../domain/models.js";

/** A Relay connection of a page whose items carry their cursors (services/tenant/inputs.ts). */
export function connection<T extends { cursor: string }>(page: Page<T>) {
  const edges = page.items.map((node) => ({ node, cursor: node.cursor }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** `Session.turns` as its resolver answers it: the page, and the session its `totalCount` counts. */
export type TurnConnectionModel = ReturnType<typeof connection<TurnModel & { cursor: string }>> & {
  session: SessionModel;
};

/** Single-item lookups answer null for what the caller cannot see, like a missing record (no existence oracle). */
export async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
