import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, startTestGateway, type TestGateway } from "./harness.js";

/**
 * Issue 10 (5): a client's own mistake is answered with a specific code, never
 * INTERNAL_SERVER_ERROR, and stores nothing. Each row is one malformed request of a class the
 * issue named (federation representations, persisted queries, nesting, numbers, dates, cursors,
 * subscriptions over POST, malformed bodies); the expected code is the one an Apollo or graphql-js
 * user would look for.
 */
describe("a client's mistakes get their own code and store nothing", () => {
  let t: TestGateway;
  let key: string;
  let sessionId: string;

  const post = async (body: unknown): Promise<{ status: number; codes: string[]; data: unknown }> => {
    const res = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const json = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }>; data?: unknown };
    return { status: res.status, codes: (json.errors ?? []).map((e) => e.extensions?.code ?? "NONE"), data: json.data };
  };
  const memoryCount = async () =>
    (await t.gql(key, `{ memories(first: 100) { edges { node { id } } } }`)).data.memories.edges.length;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(`mutation { createContext(input: { id: "mistakes", namespace: "m", database: "m" }) { id } }`);
    key = await createKey(t, "mistakes", "agent", "AGENT", { org: "acme" });
    sessionId = (await t.gql(key, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
  });
  afterAll(() => t.close());

  const entities = (representations: unknown) => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
    variables: { r: representations },
  });
  let nestedArray: unknown = "x";
  for (let i = 0; i < 200; i++) nestedArray = [nestedArray];
  let nestedLiteral = '"x"';
  for (let i = 0; i < 100; i++) nestedLiteral = `[${nestedLiteral}]`;
  let deepObject: Record<string, unknown> = {};
  for (let i = 0; i < 600; i++) deepObject = { a: deepObject };
  const remember = `mutation($m: JSON) { remember(input: { text: "x", metadata: $m }) { id } }`;

  const cases: Array<[string, () => unknown, string]> = [
    ["_entities with an empty representation", () => entities([{}]), "BAD_USER_INPUT"],
    [
      "_entities literal {}",
      () => ({ query: `{ _entities(representations: [{}]) { __typename } }` }),
      "BAD_USER_INPUT",
    ],
    ["_entities with an unknown __typename", () => entities([{ __typename: "Nope", id: "x" }]), "BAD_USER_INPUT"],
    [
      "_entities with a __typename of a non-entity",
      () => entities([{ __typename: "Query", id: "x" }]),
      "BAD_USER_INPUT",
    ],
    ["_entities with a string representation", () => entities(["Memory"]), "BAD_USER_INPUT"],
    ["_entities with a numeric id", () => entities([{ __typename: "Memory", id: 5 }]), "BAD_USER_INPUT"],
    [
      "a persisted-query extension with version 2",
      () => ({ query: "{ __typename }", extensions: { persistedQuery: { version: 2, sha256Hash: "abc" } } }),
      "BAD_REQUEST",
    ],
    [
      "a persisted-query hash that does not match the query",
      () => ({ query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "abc" } } }),
      "BAD_REQUEST",
    ],
    [
      "an unknown persisted query",
      () => ({ extensions: { persistedQuery: { version: 1, sha256Hash: "a".repeat(64) } } }),
      "PERSISTED_QUERY_NOT_FOUND",
    ],
    ["metadata nested 600 levels", () => ({ query: remember, variables: { m: deepObject } }), "BAD_USER_INPUT"],
    [
      "metadata {n: 1e19} as a literal",
      () => '{"query":"mutation { remember(input: { text: \\"x\\", metadata: {n: 1e19} }) { id } }"}',
      "BAD_USER_INPUT",
    ],
    [
      "metadata {n: 1e19} in variables",
      () => `{"query":${JSON.stringify(remember)},"variables":{"m":{"n":1e19}}}`,
      "BAD_USER_INPUT",
    ],
    ["metadata as 200 nested arrays", () => ({ query: remember, variables: { m: nestedArray } }), "BAD_USER_INPUT"],
    [
      "ids as 200 nested arrays",
      () => ({
        query: `mutation($i: ForgetInput!) { forget(input: $i) { count } }`,
        variables: { i: { ids: nestedArray } },
      }),
      "BAD_USER_INPUT",
    ],
    [
      "ids as 100 nested array literals",
      () => ({ query: `mutation { forget(input: { ids: ${nestedLiteral} }) { count } }` }),
      "GRAPHQL_VALIDATION_FAILED",
    ],
    [
      "a turns cursor that is a huge number",
      () => ({
        query: `query($s: ID!) { session(id: $s) { turns(after: "MTAwMDAwMDAwMDAwMDAwMDAwMA") { edges { node { seq } } } } }`,
        variables: { s: sessionId },
      }),
      "BAD_USER_INPUT",
    ],
    [
      "tokenUsage since year +275760",
      () => ({ query: `{ tokenUsage(since: "+275760-09-13T00:00:00.000Z") { totalTokens } }` }),
      "BAD_USER_INPUT",
    ],
    ["a subscription over POST", () => ({ query: `subscription { memoryEvents { kind } }` }), "BAD_REQUEST"],
    ["a query that is not a string", () => ({ query: 5 }), "BAD_REQUEST"],
    ["variables that are a list", () => ({ query: "{ __typename }", variables: [1] }), "BAD_REQUEST"],
  ];

  it.each(cases)("%s", async (_name, body, code) => {
    const before = await memoryCount();
    const res = await post(body());
    expect(res.codes).not.toContain("INTERNAL_SERVER_ERROR");
    expect(res.codes).toContain(code);
    expect(res.status).toBeLessThan(500);
    expect(await memoryCount()).toBe(before);
  });
});
