import type { Scope } from "../scope/scope.js";
import type { StoredContext } from "../db/controlStore.js";
import type { KeyModel } from "../services/models.js";

/** The authenticated caller of one request. */
export type Caller =
  | { kind: "ANONYMOUS" }
  | { kind: "MANAGEMENT" }
  | { kind: "CONTEXT_KEY"; key: KeyModel; context: StoredContext; fingerprint: string };

export const floorOf = (caller: Caller): Scope => (caller.kind === "CONTEXT_KEY" ? caller.key.scopeFloor : {});
