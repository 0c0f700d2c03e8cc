import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { applyMiddleware } from "graphql-middleware";
import { isObjectType, type GraphQLSchema } from "graphql";
import { DateTimeScalar, JSONScalar, ScopeScalar } from "./scalars.js";
import { controlResolvers } from "./resolvers/control.js";
import { tenantResolvers } from "./resolvers/tenant.js";
import { permissions, rules } from "./permissions.js";

const SCHEMA_DIR = fileURLToPath(new URL("../../schema/", import.meta.url));

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".graphql")).sort().map((f) => readFileSync(join(SCHEMA_DIR, f), "utf8"));
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

export function buildSchema(options: { shield: boolean } = { shield: true }): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [{ Scope: ScopeScalar, JSON: JSONScalar, DateTime: DateTimeScalar }, controlResolvers as any, tenantResolvers as any],
  });
  const missing = fieldsWithoutRule(schema);
  if (missing.length) throw new Error(`fields without a permission rule: ${missing.join(", ")}`);
  return options.shield ? applyMiddleware(schema, permissions) : schema;
}
