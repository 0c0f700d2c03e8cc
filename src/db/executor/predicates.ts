import type { Actor, DeleteRule, RecordView } from "../../domain/access.js";
import { carriesFloor, scopeTags, type Scope } from "../../domain/scope.js";
import { outsideFloor } from "./tenantQueries.js";

/** A WHERE fragment and the variables it binds. */
export interface Fragment {
  where: string;
  vars: Record<string, unknown>;
}

/**
 * "The row exists". Every tenant table sets `created_at` on create. A read by id that names a
 * missing record meets NONE, and on SurrealDB 3.0.2 evaluates the WHERE (and the projection)
 * against it: without this guard a NONE-safe predicate would admit the missing record and a
 * projection such as record::id(id) would fail. It also keeps "every row" from being a
 * constant WHERE, which fails over a list of ids naming a missing record ("Specify a database").
 */
const EXISTS = "created_at != NONE";
const EVERY_ROW: Fragment = { where: EXISTS, vars: {} };

/**
 * Layer 2 of DESIGN §4: the SurrealQL form of the access rules, added to every read and delete
 * by the table modules. Fragments are NONE-safe (`?? []`): a read by an unknown id meets a
 * missing record and must find nothing, not fail. Variable names carry the fragment's prefix
 * so a read predicate and a delete guard can share one statement.
 *
 * `enabled` is false only in the layer tests (DESIGN §4: each layer alone must hold).
 */
export class Predicates {
  constructor(
    private readonly actor: Actor,
    readonly enabled: boolean,
  ) {}

  /** The rows a view admits (existing rows only, even with the layer switched off). */
  view(view: RecordView, prefix = "v"): Fragment {
    const f = this.viewOnly(view, prefix);
    return f === EVERY_ROW ? f : { where: `${EXISTS} AND ${f.where}`, vars: f.vars };
  }

  private viewOnly(view: RecordView, prefix: string): Fragment {
    if (!this.enabled) return EVERY_ROW;
    const tags = `$${prefix}_tags`;
    switch (view.kind) {
      case "all":
        return EVERY_ROW;
      case "subset":
        return { where: `(tags ?? []) ALLINSIDE ${tags}`, vars: { [`${prefix}_tags`]: scopeTags(view.scope) } };
      case "subtree":
        return {
          where: `array::len(array::intersect(dims ?? [], $${prefix}_dims)) = array::len(array::intersect(tags ?? [], ${tags}))`,
          vars: { [`${prefix}_tags`]: scopeTags(view.scope), [`${prefix}_dims`]: Object.keys(view.scope) },
        };
      case "under":
        return { where: `(tags ?? []) CONTAINSALL ${tags}`, vars: { [`${prefix}_tags`]: scopeTags(view.scope) } };
      case "reachable":
        return {
          where: `((tags ?? []) ALLINSIDE ${tags} OR (owner = $${prefix}_owner AND (tags ?? []) CONTAINSALL ${tags}))`,
          vars: { [`${prefix}_tags`]: scopeTags(view.floor), [`${prefix}_owner`]: view.owner },
        };
    }
  }

  /** The rows a delete rule lets the caller remove. */
  deletable(rule: DeleteRule, prefix = "d"): Fragment {
    if (!this.enabled) return EVERY_ROW;
    const own = rule.owner === null ? "" : ` AND owner = $${prefix}_owner`;
    return {
      where: `(tags ?? []) CONTAINSALL $${prefix}_tags${own}`,
      vars: {
        [`${prefix}_tags`]: scopeTags(rule.under),
        ...(rule.owner === null ? {} : { [`${prefix}_owner`]: rule.owner }),
      },
    };
  }

  /** Every write is stamped with a scope carrying the floor. Errors: FORBIDDEN. */
  assertWritable(scope: Scope): void {
    if (this.enabled && !carriesFloor(scope, this.actor.floor)) throw outsideFloor();
  }

  /** `a AND b AND …` of fragments, merging their variables. */
  static and(...parts: Fragment[]): Fragment {
    return { where: parts.map((p) => p.where).join(" AND "), vars: Object.assign({}, ...parts.map((p) => p.vars)) };
  }
}
