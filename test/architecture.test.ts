import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { fieldsWithoutRule, loadTypeDefs } from "../src/graphql/schema.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("architecture rules", () => {
  it("every field of every object type has an explicit permission rule", () => {
    const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
    expect(fieldsWithoutRule(schema)).toEqual([]);
  });

  it("a new root field without a rule is detected (and buildSchema would refuse to start)", () => {
    const schema = makeExecutableSchema({ typeDefs: [...loadTypeDefs(), "extend type Query { leak: String }"] });
    expect(fieldsWithoutRule(schema)).toEqual(["Query.leak"]);
  });

  it("only src/db imports the SurrealDB SDK", () => {
    const offenders = sourceFiles("src")
      .filter((f) => !f.startsWith(join("src", "db")))
      .filter((f) => /from\s+["'](surrealdb|@surrealdb\/node)["']/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
