/**
 * Relay's own compiler accepts the schema: fragments with `@connection` (forward, backward and
 * both ways) and `@refetchable` (on Query and on Node types, so through `node(id:)`) compile
 * against the SDL printed from the running schema, with Relay's check that every `id` field
 * outside Node is an `ID`, and every custom scalar mapped to a TypeScript type.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { clientSchemaSdl } from "../src/graphql/clientSchema.js";

const require = createRequire(import.meta.url);
const COMPILER = require.resolve("relay-compiler/cli.js");
const ROOT = resolve("test-artifacts/relay-compiler");

const FRAGMENTS = `
import { graphql } from "relay-runtime";

export const memories = graphql\`
  fragment App_memories on Query
  @refetchable(queryName: "AppMemoriesPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    scope: { type: "Scope" }
    order: { type: "ListOrder", defaultValue: { field: CREATED_AT, direction: DESC } }
  ) {
    memories(first: $count, after: $cursor, scope: $scope, orderBy: $order) @connection(key: "App_memories", filters: ["scope", "orderBy"]) {
      edges { node { id text scope createdAt metadata } }
    }
  }
\`;

export const turns = graphql\`
  fragment App_session on Session
  @refetchable(queryName: "AppSessionTurnsPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int" }
    after: { type: "String" }
    last: { type: "Int", defaultValue: 20 }
    before: { type: "String" }
  ) {
    id
    scope
    endedAt
    turns(first: $first, after: $after, last: $last, before: $before) @connection(key: "App_session_turns") {
      totalCount
      edges { node { id seq role content createdAt } }
    }
  }
\`;

export const traces = graphql\`
  fragment App_traces on Query
  @refetchable(queryName: "AppTracesPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }) {
    decisionTraces(last: $count, before: $cursor) @connection(key: "App_decisionTraces") {
      edges { node { id createdAt model totalTokens session { id } } }
    }
  }
\`;

export const document = graphql\`
  fragment App_document on Document @refetchable(queryName: "AppDocumentRefetchQuery") {
    id
    title
    chunks { id position text }
  }
\`;

export const context = graphql\`
  fragment App_context on Context @refetchable(queryName: "AppContextRefetchQuery") {
    id
    name
    keys { id keyId name scopeFloor }
  }
\`;

export const query = graphql\`
  query AppQuery($sessionId: ID!, $documentId: ID!) {
    ...App_memories
    ...App_traces
    session(id: $sessionId) { ...App_session }
    node(id: $documentId) { ...App_document @alias }
    me { kind contextId scopeFloor }
  }
\`;

export const remember = graphql\`
  mutation AppRememberMutation($input: RememberInput!, $connections: [ID!]!) {
    remember(input: $input) @appendNode(connections: $connections, edgeTypeName: "MemoryEdge") { id text scope createdAt }
  }
\`;
`;

/** Compiles `source` (App.ts) against `schema` in a fresh project; the compiler's exit status and output. */
function compile(name: string, source: string, schema: string) {
  const dir = join(ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src", "__generated__"), { recursive: true });
  writeFileSync(join(dir, "schema.graphql"), schema);
  writeFileSync(join(dir, "src", "App.ts"), source);
  writeFileSync(
    join(dir, "relay.config.json"),
    JSON.stringify({
      src: "./src",
      schema: "./schema.graphql",
      language: "typescript",
      artifactDirectory: "./src/__generated__",
      noSourceControl: true,
      requireCustomScalarTypes: true,
      customScalarTypes: { Scope: "Record<string, string>", DateTime: "string", JSON: "unknown" },
      // Relay's check that `id` fields of types that are not Nodes (AuditKey, MemoryEvent) are IDs too.
      schemaConfig: { nonNodeIdFields: { allowedIdTypes: {} } },
    }),
  );
  const run = spawnSync(process.execPath, [COMPILER], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}`, dir };
}

describe("relay-compiler", () => {
  const schema = clientSchemaSdl();

  it("compiles connections both ways, refetchable fragments on Query and Node types, and a mutation", () => {
    const { status, output, dir } = compile("ok", FRAGMENTS, schema);
    expect(status, output).toBe(0);
    const artifact = (f: string) => readFileSync(join(dir, "src", "__generated__", f), "utf8");
    // @refetchable on a Node type goes through node(id:).
    expect(artifact("AppSessionTurnsPaginationQuery.graphql.ts")).toMatch(/node\(id: \$id\)/);
    // The scalars are typed, not unknown.
    const memories = artifact("App_memories.graphql.ts");
    expect(memories).toMatch(/readonly scope: Record<string, string>;/);
    expect(memories).toMatch(/readonly createdAt: string;/);
    expect(artifact("App_session.graphql.ts")).toMatch(/readonly totalCount: number;/);
  });

  it("fails on what Relay cannot page (so the test above can fail)", () => {
    const broken = FRAGMENTS.replace(
      "export const query",
      `export const bad = graphql\`
        fragment App_bad on Session { memories(first: 3) @connection(key: "App_bad_memories") { id } }
      \`;
      export const query`,
    );
    const { status, output } = compile("broken", broken, schema);
    expect(status).not.toBe(0);
    expect(output).toMatch(/connection/i);
  });
});
