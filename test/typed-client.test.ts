/**
 * Typed clients: GraphQL Code Generator's client preset, configured as the README tells frontend
 * teams, generates types for a few operations against the SDL printed from the running schema,
 * and `tsc --strict` compiles code that uses them: `Scope` is a record of strings, `DateTime` a
 * string `new Date()` takes, `JSON` a JSON value, enums string unions, and a Node's fields are
 * reached by narrowing on `__typename`. A second file with type errors must not compile, so the
 * types are real (not `any`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import { clientSchemaSdl } from "../src/graphql/clientSchema.js";

const require = createRequire(import.meta.url);
const TSC = require.resolve("typescript/bin/tsc");
const DIR = resolve("test-artifacts/typed-client");

/** The README's scalar map (README: "Relay and typed clients"). */
const SCALARS = {
  Scope: "Record<string, string>",
  DateTime: "string",
  JSON: "string | number | boolean | null | { [key: string]: unknown } | unknown[]",
};

const OPERATIONS = `
import { graphql } from "../gql";

export const MemoryItem = graphql(\`
  fragment MemoryItem on Memory { id text scope createdAt metadata }
\`);

export const NodeQuery = graphql(\`
  query NodeQuery($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Memory { ...MemoryItem session { id } }
      ... on Session {
        scope
        endedAt
        turns(last: 5) { totalCount edges { cursor node { seq role content createdAt } } pageInfo { hasPreviousPage startCursor } }
      }
      ... on DecisionTrace { model totalTokens createdAt outcome }
    }
  }
\`);

export const MemoriesPage = graphql(\`
  query MemoriesPage($first: Int, $after: String, $orderBy: ListOrder, $scope: Scope) {
    memories(first: $first, after: $after, orderBy: $orderBy, scope: $scope) {
      edges { cursor node { ...MemoryItem } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
\`);

export const Remember = graphql(\`
  mutation Remember($input: RememberInput!) { remember(input: $input) { id scope createdAt } }
\`);
`;

const USE = `
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import { type FragmentType, useFragment } from "../gql";
import { MemoriesPage, MemoryItem, NodeQuery, Remember } from "./operations";

/** What a frontend does with a node: narrow on __typename, then use its fields with their real types. */
export function describeNode(result: ResultOf<typeof NodeQuery>): string {
  const node = result.node;
  if (!node) return "gone";
  if (node.__typename === "Memory") {
    const memory = useFragment(MemoryItem, node);
    const org: string | undefined = memory.scope.org;
    const when: Date = new Date(memory.createdAt);
    const meta = memory.metadata;
    const tag = meta !== null && typeof meta === "object" && !Array.isArray(meta) ? meta.tag : undefined;
    return \`\${org ?? "-"} \${when.toISOString()} \${memory.text} \${String(tag)} \${node.session?.id ?? ""}\`;
  }
  if (node.__typename === "Session") {
    const newest = node.turns.edges.at(-1)?.node;
    const role: "USER" | "ASSISTANT" | "SYSTEM" | "TOOL" | undefined = newest?.role;
    const total: number = node.turns.totalCount;
    const ended: Date | null = node.endedAt ? new Date(node.endedAt) : null;
    return \`\${Object.keys(node.scope).join(",")} \${total} \${role} \${ended?.getTime()} \${node.turns.pageInfo.startCursor}\`;
  }
  if (node.__typename === "DecisionTrace") return \`\${node.model} \${node.totalTokens + 1} \${node.outcome}\`;
  return node.id;
}

export function texts(page: ResultOf<typeof MemoriesPage>, masked: FragmentType<typeof MemoryItem>[] = []): string[] {
  const next: string | null = page.memories.pageInfo.hasNextPage ? page.memories.pageInfo.endCursor : null;
  return [...page.memories.edges.map((e) => useFragment(MemoryItem, e.node).text), ...masked.map((m) => useFragment(MemoryItem, m).id), String(next)];
}

export const newestFirst: VariablesOf<typeof MemoriesPage> = {
  first: 20,
  orderBy: { field: "CREATED_AT", direction: "DESC" },
  scope: { user: "bob" },
};

export const remember: VariablesOf<typeof Remember> = { input: { text: "Bob prefers tea", scope: { user: "bob" }, metadata: { tag: 1 } } };
export const createdAt = (r: ResultOf<typeof Remember>): number => new Date(r.remember.createdAt).getTime() + r.remember.scope.org!.length;
`;

/** Each of these must be refused: a scope value is a string, a DateTime is no number, enums are closed, fragments are masked. */
const WRONG = `
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import { MemoriesPage, NodeQuery } from "./operations";

export function wrong(result: ResultOf<typeof NodeQuery>, page: ResultOf<typeof MemoriesPage>) {
  if (result.node?.__typename === "Session") {
    const n: number = result.node.scope.org!;
    const t: number = result.node.turns.edges[0]!.node.createdAt;
    return [n, t];
  }
  const masked: string = page.memories.edges[0]!.node.text;
  const order: VariablesOf<typeof MemoriesPage> = { orderBy: { field: "CREATED_AT", direction: "SIDEWAYS" } };
  const scope: VariablesOf<typeof MemoriesPage> = { scope: { user: 42 } };
  return [masked, order, scope];
}
`;

/** `tsc --strict` over `files`, as a frontend project (bundler resolution, no ambient types) would compile them. */
function tsc(name: string, files: string[]) {
  const config = join(DIR, `tsconfig.${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: "es2022",
        module: "esnext",
        moduleResolution: "bundler",
        types: [],
      },
      files,
    }),
  );
  const run = spawnSync(process.execPath, [TSC, "--strict", "-p", config], {
    cwd: DIR,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("typed clients (GraphQL Code Generator client preset)", () => {
  it("generates types that make Scope, DateTime and JSON usable, and tsc --strict compiles code using them", async () => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(join(DIR, "src"), { recursive: true });
    writeFileSync(join(DIR, "schema.graphql"), clientSchemaSdl());
    writeFileSync(join(DIR, "src", "operations.ts"), OPERATIONS);
    writeFileSync(join(DIR, "src", "use.ts"), USE);
    writeFileSync(join(DIR, "src", "wrong.ts"), WRONG);
    await generate(
      {
        schema: join(DIR, "schema.graphql"),
        documents: [join(DIR, "src", "operations.ts")],
        generates: {
          [`${join(DIR, "gql")}/`]: {
            preset: "client",
            config: { scalars: SCALARS, enumsAsTypes: true, strictScalars: true, useTypeImports: true },
          },
        },
        silent: true,
      },
      true,
    );
    const types = readFileSync(join(DIR, "gql", "graphql.ts"), "utf8");
    // The preset inlines each scalar's type where it is used.
    expect(types).toMatch(
      /scope: Record<string, string>, createdAt: string, metadata: string \| number \| boolean \| null \| \{ \[key: string\]: unknown \} \| unknown\[\] \| null/,
    );
    expect(types).not.toMatch(/\bany\b/); // no scalar left untyped

    const good = tsc("good", ["src/operations.ts", "src/use.ts"]);
    expect(good.status, good.output).toBe(0);

    const bad = tsc("wrong", ["src/operations.ts", "src/wrong.ts"]);
    expect(bad.status).not.toBe(0);
    // One error per wrong line (7, 8: scalars; 11: a masked fragment; 12: an enum; 13: a scope value), nothing else.
    const lines = [...bad.output.matchAll(/src\/wrong\.ts\((\d+),\d+\): error TS/g)].map((m) => Number(m[1]));
    expect(lines, bad.output).toEqual([7, 8, 11, 12, 13]);
  }, 120_000);
});
