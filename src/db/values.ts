import { DateTime, RecordId } from "surrealdb";
import { encodeRecordKey } from "./ids.js";

/**
 * Turns SDK values (RecordId, DateTime, bytes) into plain JSON-able data for the services.
 * Objects are rebuilt with own data properties only: a stored key such as `__proto__` (user
 * metadata may hold one) stays an ordinary key and never becomes the object's prototype.
 */
export function toPlain(value: unknown): any {
  if (value instanceof RecordId) {
    const id = value.id;
    return Array.isArray(id) ? encodeRecordKey(id as Array<string | number>) : String(id);
  }
  if (value instanceof DateTime) return value.toDate().toISOString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value); // SurrealDB `bytes`
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

export const recordId = (table: string, id: string | Array<string | number>) => new RecordId(table, id);
