import {
  buildSchema as buildSdl,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from "graphql";
import { describe, expect, it } from "vitest";
import { buildSchema } from "../src/graphql/schema.js";

/** Types that graphql-js (introspection) or @apollo/subgraph (federation) add: not ours to describe. */
const INJECTED_TYPES = new Set(["_Service", "_Entity", "_Any", "_FieldSet", "link__Import", "link__Purpose"]);
const isInjectedType = (name: string) =>
  name.startsWith("__") || INJECTED_TYPES.has(name) || name.startsWith("federation__") || name.startsWith("link__");
/** Root fields federation adds. */
const INJECTED_FIELDS = new Set(["Query._service", "Query._entities"]);

/**
 * Every type, field, argument, input field and enum value of `schema` without a description,
 * e.g. ["Memory.text", "Query.memories(first:)", "Role.USER"].
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const need = (path: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInjectedType(type.name) || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const path = `${type.name}.${field.name}`;
        if (INJECTED_FIELDS.has(path)) continue;
        need(path, field.description);
        for (const arg of field.args) need(`${path}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) need(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

describe("the schema documents itself", () => {
  const schema = buildSchema({ shield: false });

  it("every type, field, argument, input field and enum value of the running schema has a description", () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it("the walk finds what is missing (types, fields, arguments, input fields, enum values)", () => {
    const sdl = `
      "described" type Query { "described" a(x: Int): Int b: Int }
      type Bare { "described" c: Int }
      "described" input In { d: Int }
      "described" enum E { "described" ONE TWO }
      scalar S
    `;
    expect(undescribed(buildSdl(sdl))).toEqual(["Bare", "E.TWO", "In.d", "Query.a(x:)", "Query.b", "S"]);
  });

  it("scalars point to their specifications", () => {
    const specifiedBy = (name: string) => schema.getType(name)?.toConfig() as { specifiedByURL?: string };
    expect(specifiedBy("DateTime").specifiedByURL).toBe("https://www.rfc-editor.org/rfc/rfc3339");
    expect(specifiedBy("JSON").specifiedByURL).toBe("https://www.rfc-editor.org/rfc/rfc8259");
    expect(specifiedBy("Scope").specifiedByURL).toBe("README.md#scopes");
  });
});
