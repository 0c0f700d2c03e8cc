import { DateTime, RecordId } from "surrealdb";
import { encodePartitionedId } from "./partitions.js";

/** Turns SDK values (RecordId, DateTime) into plain JSON-able data for the services. */
export function toPlain(value: unknown): any {
  if (value instanceof RecordId) {
    const id = value.id;
    return Array.isArray(id) ? encodePartitionedId(id as [string, string]) : String(id);
  }
  if (value instanceof DateTime) return value.toDate().toISOString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value); // SurrealDB `bytes`
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

export const recordId = (table: string, id: string) => new RecordId(table, id);
