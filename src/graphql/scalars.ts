import { GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { badInput } from "../errors.js";
import { parseScopeInput } from "../services/scopeRules.js";

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
  parseValue: parseScopeInput,
  parseLiteral: (node, vars) => parseScopeInput(literalToJs(node, vars)),
});

export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (node, vars) => literalToJs(node, vars),
});

function dateTime(value: unknown): string {
  if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
    throw badInput("DateTime must be an ISO-8601 string");
  return new Date(value).toISOString();
}

export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  serialize: (v) => (v instanceof Date ? v.toISOString() : v),
  parseValue: dateTime,
  parseLiteral: (node) => dateTime(node.kind === Kind.STRING ? node.value : undefined),
});
