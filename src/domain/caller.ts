import type { KeyModel, StoredContext } from "./models.js";
import { EMPTY_SCOPE, type Scope } from "./scope.js";

/** The authenticated caller of one request. */
export type Caller =
  | { kind: "ANONYMOUS" }
  | { kind: "MANAGEMENT" }
  | { kind: "CONTEXT_KEY"; key: KeyModel; context: StoredContext; fingerprint: string };

/** The key's floor; {} for the management key (it has none) and for anonymous callers. */
export const floorOf = (caller: Caller): Scope => (caller.kind === "CONTEXT_KEY" ? caller.key.scopeFloor : EMPTY_SCOPE);
