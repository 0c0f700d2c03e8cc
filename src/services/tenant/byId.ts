import type { ScopedExecutor } from "../../db/executor/scopedExecutor.js";
import type { PartitionedTable } from "../../db/tables/partitionedTable.js";
import type { TenantBinding } from "./binding.js";

/**
 * A record by id as the caller may read it by id (the by-id rule of domain/access.ts), batched
 * per request per table: null for an unknown, malformed, empty or invisible id alike.
 */
export function loadById<M extends { id: string }>(
  binding: TenantBinding,
  table: "memory" | "session" | "document",
  id: string,
  tableOf: (exec: ScopedExecutor) => PartitionedTable<M>,
): Promise<M | null> {
  if (id === "") return Promise.resolve(null); // DataLoader keys must be non-empty; "" names nothing
  return binding
    .loader<M | null>(table, async (ids) => {
      const found = await tableOf(await binding.executor()).byIds(ids, binding.access.byId());
      const byId = new Map(found.map((m) => [m.id, m]));
      return ids.map((i) => byId.get(i) ?? null);
    })
    .load(id);
}
