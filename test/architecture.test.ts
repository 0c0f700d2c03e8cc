import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { fieldsWithoutRule, loadTypeDefs } from "../src/graphql/schema.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Which top-level parts of src/ each part may import (besides itself and npm packages). */
const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  lib: [],
  domain: ["lib"],
  recall: ["lib", "domain"],
  documents: ["lib", "domain"],
  providers: ["lib", "domain", "recall", "documents", "log.ts"],
  db: ["lib", "domain", "recall"],
  auth: ["lib", "domain", "db"],
  compute: ["lib", "domain", "recall", "documents", "log.ts"],
  services: ["lib", "domain", "db", "auth", "recall", "documents", "providers", "compute", "log.ts"],
  jobs: ["lib", "domain", "db", "services", "log.ts"],
  generated: ["domain", "services", "graphql"],
  graphql: ["lib", "domain", "services", "generated", "log.ts"],
  http: ["lib", "domain", "services", "graphql", "compute", "log.ts", "gateway.ts"],
  cli: ["main.ts"],
};
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*["'](\.[^"']+)["']/g;

/** "file → specifier" for every relative import that runs against ALLOWED_IMPORTS (the composition root may import anything). */
function layerViolations(files: ReadonlyArray<{ path: string; text: string }>): string[] {
  const partOf = (file: string) => relative("src", file).split(/[\\/]/)[0]!;
  const offenders: string[] = [];
  for (const { path, text } of files) {
    const part = partOf(path);
    const rule = ALLOWED_IMPORTS[part];
    if (!rule) continue;
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = partOf(normalize(join(dirname(path), m[1]!)).replace(/\.js$/, ".ts"));
      if (target !== part && !rule.includes(target)) offenders.push(`${path} → ${m[1]}`);
    }
  }
  return offenders;
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

  it("imports flow one way: domain ← db ← services ← graphql/http, with pure modules below them", () => {
    const files = sourceFiles("src").map((path) => ({ path, text: readFileSync(path, "utf8") }));
    expect(layerViolations(files)).toEqual([]);
  });

  it("the layer check notices an upward import", () => {
    expect(
      layerViolations([
        { path: join("src", "db", "x.ts"), text: 'import type { TenantApi } from "../services/tenant/api.js";' },
        { path: join("src", "domain", "y.ts"), text: 'export const z = await import("../db/ids.js");' },
      ]),
    ).toEqual([
      `${join("src", "db", "x.ts")} → ../services/tenant/api.js`,
      `${join("src", "domain", "y.ts")} → ../db/ids.js`,
    ]);
  });

  it("only src/db imports the SurrealDB SDK", () => {
    const offenders = sourceFiles("src")
      .filter((f) => !f.startsWith(join("src", "db")))
      .filter((f) => /from\s+["'](surrealdb|@surrealdb\/node)["']/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
