import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { isObjectType, type GraphQLSchema } from "graphql";
import { DateTimeScalar, JSONScalar, ScopeScalar } from "./scalars.js";
import { controlResolvers } from "./resolvers/control.js";
import { tenantResolvers } from "./resolvers/tenant.js";
import { checkRepresentations, entityResolvers } from "./resolvers/entities.js";
import { permissions, rules } from "./permissions.js";

const SCHEMA_DIR = fileURLToPath(new URL("../../schema/", import.meta.url));
const FEDERATION_SDL = join(SCHEMA_DIR, "federation", "subgraph.graphql");

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith(".graphql"))
    .sort()
    .map((f) => readFileSync(join(SCHEMA_DIR, f), "utf8"));
}

/**
 * Object fields without a permission rule, e.g. ["Query.newField"]. Secure by default:
 * buildSchema refuses to start while this list is not empty.
 */
export function fieldsWithoutRule(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const typeRules = (rules as Record<string, unknown>)[type.name];
    for (const field of Object.keys(type.getFields())) {
      const covered = typeRules && typeof typeRules === "object" && ("*" in typeRules || field in typeRules);
      if (!covered) missing.push(`${type.name}.${field}`);
    }
  }
  return missing;
}

/**
 * The executable schema, which is also a Federation 2 subgraph: `_service` and `_entities` go
 * through the shield like every field, and entity references resolve through the same tenant
 * services (the scoped executor with the caller's key), so another tenant's entity is null.
 */
export function buildSchema(options: { shield: boolean } = { shield: true }): GraphQLSchema {
  const typeDefs = parse([...loadTypeDefs(), readFileSync(FEDERATION_SDL, "utf8")].join("\n"));
  const resolvers = mergeResolvers([
    { Scope: ScopeScalar, JSON: JSONScalar, DateTime: DateTimeScalar },
    controlResolvers,
    tenantResolvers,
    entityResolvers,
  ]);
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as any }]);
  guardEntities(schema);
  const missing = fieldsWithoutRule(schema);
  if (missing.length) throw new Error(`fields without a permission rule: ${missing.join(", ")}`);
  return options.shield ? applyMiddleware(schema, permissions) : schema;
}

/** Field-level merge of resolver maps (each map owns different fields of a type). */
function mergeResolvers(maps: ReadonlyArray<Record<string, any>>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const previous = out[type];
      out[type] = isPlainResolverMap(previous) && isPlainResolverMap(fields) ? { ...previous, ...fields } : fields;
    }
  }
  return out;
}

/** Scalars are class instances (GraphQLScalarType); resolver maps are plain objects. */
const isPlainResolverMap = (v: unknown) =>
  v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

/** Wraps `Query._entities` so malformed representations answer BAD_USER_INPUT (see checkRepresentations). */
function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (!field || !resolve) return;
  field.resolve = (source, args, context, info) => {
    checkRepresentations((args as { representations?: unknown }).representations);
    return resolve(source, args, context, info);
  };
}
