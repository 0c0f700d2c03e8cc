import { DateTime, RecordId } from "surrealdb";

/** Turns SDK values (RecordId, DateTime) into plain JSON-able data for the services. */
export function toPlain(value: unknown): any {
  if (value instanceof RecordId) return String(value.id);
  if (value instanceof DateTime) return value.toDate().toISOString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

export const recordId = (table: string, id: string) => new RecordId(table, id);
