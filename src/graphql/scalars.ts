import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { BadUserInputError } from "../domain/errors.js";
import { parseScope } from "../domain/scope.js";

/** A GraphQL literal as a JS value (objects are built with own properties only). */
function literalToJs(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literalToJs(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalToJs(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return undefined;
  }
}

/** `{org: "alpha"}` as a literal or a JSON object in variables; validated by the scope algebra. */
export const ScopeScalar = new GraphQLScalarType({
  name: "Scope",
  serialize: (v) => v,
  parseValue: (v) => parseScope(v),
  parseLiteral: (node, vars) => parseScope(literalToJs(node, vars)),
});

export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (node, vars) => literalToJs(node, vars),
});

/**
 * RFC 3339 date-times with a four-digit year (0000–9999): what clients, the database and
 * ISO-8601 basic interchange agree on. Extended years such as "+275760-09-13T00:00:00Z"
 * parse in JavaScript but overflow the database's datetime, so they are refused here.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

function dateTime(value: unknown): string {
  if (typeof value !== "string" || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new BadUserInputError(
      "DateTime must be an RFC 3339 date-time with a four-digit year, e.g. 2026-11-29T12:00:00Z",
    );
  }
  return new Date(value).toISOString();
}

export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  serialize: (v) => (v instanceof Date ? v.toISOString() : v),
  parseValue: dateTime,
  parseLiteral: (node) => dateTime(node.kind === Kind.STRING ? node.value : undefined),
});
