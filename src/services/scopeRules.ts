import { badInput, forbidden } from "../errors.js";
import { effectiveScope, parseScope, ScopeSyntaxError, ScopeViolation, type Scope } from "../scope/scope.js";

/**
 * The scope algebra's failures as client errors (DESIGN §7): malformed scope →
 * BAD_USER_INPUT, a request outside the floor → FORBIDDEN. The one place that mapping lives.
 */
export function parseScopeInput(value: unknown): Scope {
  try {
    return parseScope(value);
  } catch (e) {
    if (e instanceof ScopeSyntaxError) throw badInput(e.message);
    throw e;
  }
}

export function scopeWithinFloor(floor: Scope, requested: Scope | null): Scope {
  try {
    return effectiveScope(floor, requested);
  } catch (e) {
    if (e instanceof ScopeViolation) throw forbidden(e.message);
    throw e;
  }
}
