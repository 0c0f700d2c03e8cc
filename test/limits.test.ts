import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUERY_LIMIT_MESSAGES, type QueryLimitCode } from "../src/domain/errors.js";
import { codes, createKey, startTestGateway, type TestGateway } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

/**
 * Documents whose errors graphql-js would end with a suggestion, and the code each must answer:
 * a field typo, an argument typo, an enum literal, an enum value and an input field in variables.
 */
async function suggestionProbes(t: TestGateway, secret: string): Promise<Array<[{ errors?: any[] }, string]>> {
  return [
    [await t.gql(secret, `{ memorys { edges { node { text } } } }`), "GRAPHQL_VALIDATION_FAILED"],
    [await t.gql(secret, `{ memories(frist: 2) { edges { node { text } } } }`), "GRAPHQL_VALIDATION_FAILED"],
    [
      await t.gql(secret, `mutation { addTurn(sessionId: "x", input: { role: USR, content: "hi" }) { id } }`),
      "GRAPHQL_VALIDATION_FAILED",
    ],
    [
      await t.gql(secret, `mutation($i: AddTurnInput!) { addTurn(sessionId: "x", input: $i) { id } }`, {
        i: { role: "USR", content: "hi" },
      }),
      "BAD_USER_INPUT",
    ],
    [
      await t.gql(secret, `mutation($i: RememberInput!) { remember(input: $i) { id } }`, {
        i: { text: "hi", txt: "hi" },
      }),
      "BAD_USER_INPUT",
    ],
  ];
}

describe("limits and hardening", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  let alpha: string;
  let beta: string;

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway(undefined, {
      maxDepth: 5,
      maxAliases: 3,
      maxTokens: 200,
      introspection: false,
      rateLimitPerMinute: 20,
      requestTimeoutMs: 400,
    });
    await t.mgmt(
      `mutation($c: ContextConfigInput) { createContext(input: { id: "lim", namespace: "tenants", database: "lim", config: $c }) { id } }`,
      {
        c: {
          models: { response: "openai/gpt-4o" },
          providers: { openai: "sk-limits" },
          providerUrls: { openai: api.baseUrl },
        },
      },
    );
    alpha = await createKey(t, "lim", "alpha", "AGENT", { org: "a" });
    beta = await createKey(t, "lim", "beta", "AGENT", { org: "b" });
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  const message = (r: { errors?: any[] }) => r.errors?.[0]?.message ?? "";

  it("refuses documents deeper than the limit, also through nested fragments, without echoing the limit", async () => {
    const deep = await t.gql(alpha, `{ sessions { edges { node { memories { session { memories { text } } } } } } }`);
    expect(deep.data ?? null).toBeNull();
    expect(codes(deep)).toEqual(["QUERY_TOO_DEEP"]);
    expect(message(deep)).not.toMatch(/\d/);
    const viaFragments = await t.gql(
      alpha,
      `{ sessions { ...A } } fragment A on SessionConnection { edges { ...B } } fragment B on SessionEdge { node { ...C } }
      fragment C on Session { memories { session { memories { text } } } }`,
    );
    expect(viaFragments.data ?? null).toBeNull();
    expect(codes(viaFragments)).toEqual(["QUERY_TOO_DEEP"]);
    expect((await t.gql(alpha, `{ sessions { edges { node { id } } } }`)).errors).toBeUndefined();
  });

  it("refuses too many aliases and too many tokens, without echoing the limits", async () => {
    const aliases = await t.gql(
      alpha,
      `{ a: me { kind } b: me { kind } c: me { kind } d: me { kind } e: me { kind } }`,
    );
    expect(aliases.data ?? null).toBeNull();
    expect(codes(aliases)).toEqual(["TOO_MANY_ALIASES"]);
    expect(message(aliases)).not.toMatch(/\d/);
    const tokens = await t.gql(alpha, `{ ${Array.from({ length: 250 }, () => "__typename").join(" ")} }`);
    expect(codes(tokens)).toEqual(["TOO_MANY_TOKENS"]);
    expect(message(tokens)).not.toMatch(/\d/);
  });

  it("with introspection off, refuses __schema and gives no suggestions for fields, arguments, enums or input fields", async () => {
    const schema = await t.gql(alpha, `{ __schema { types { name } } }`);
    expect(schema.data ?? null).toBeNull();
    for (const [variables, expected] of await suggestionProbes(t, alpha)) {
      expect(codes(variables), JSON.stringify(variables)).toEqual([expected]);
      expect(message(variables)).not.toMatch(/did you mean/i);
    }
  });

  it("refuses a body over the size limit before parsing it", async () => {
    const r = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${beta}` },
      body: JSON.stringify({ query: "{ me { kind } }", variables: { pad: "x".repeat(1_200_000) } }),
    });
    expect(r.status).toBe(413);
  });

  it("batching is off by default and on when configured", async () => {
    const batch = JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(
      (await fetch(t.http.url, { method: "POST", headers: { "content-type": "application/json" }, body: batch }))
        .status,
    ).toBe(400);
    const on = await startTestGateway(undefined, { batching: true });
    try {
      const r = await fetch(on.http.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: batch,
      });
      expect(await r.json()).toEqual([{ data: { __typename: "Query" } }, { data: { __typename: "Query" } }]);
    } finally {
      await on.close();
    }
  });

  it("keeps CSRF prevention on: a simple GET is refused", async () => {
    const r = await fetch(`${t.http.url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(r.status).toBe(400);
  });

  it("times a request out with a clear answer and a request id", async () => {
    api.chatDelayMs = 1500;
    const r = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${beta}` },
      body: JSON.stringify({ query: `mutation { answer(input: { question: "slow?" }) { text } }` }),
    });
    api.chatDelayMs = 0;
    expect(r.status).toBe(504);
    const body = await r.json();
    expect(body.errors[0].extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) });
  });

  it("rate-limits per key with RATE_LIMITED and retryAfter, leaving other keys alone", async () => {
    const results = [];
    for (let i = 0; i < 25; i++) {
      const r = await fetch(t.http.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${alpha}` },
        body: JSON.stringify({ query: "{ me { kind } }" }),
      });
      results.push({ status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.json() });
    }
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.errors[0].extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfter: expect.any(Number),
    });
    expect(Number(limited[0]!.retryAfter)).toBeGreaterThan(0);
    expect((await t.gql(beta, "{ me { kind } }")).data.me.kind).toBe("CONTEXT_KEY");
  });
});

describe("each document limit answers its own code, at the default limits, without its value", () => {
  let t: TestGateway;
  let open: TestGateway;
  let key: string;

  beforeAll(async () => {
    t = await startTestGateway(undefined, { introspection: false });
    await t.mgmt(`mutation { createContext(input: { id: "lim2", namespace: "tenants", database: "lim2" }) { id } }`);
    key = await createKey(t, "lim2", "agent", "AGENT", { org: "a" });
    open = await startTestGateway(undefined, { introspection: true });
  });
  afterAll(async () => {
    await t.close();
    await open.close();
  });

  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { kind }`).join(" ")} }`;
  const sessionsWithTurns = (alias: string) =>
    `${alias}: sessions(first: 50) { edges { node { id turns(first: 10) { edges { node { role content createdAt } } } } } }`;
  const nested = (levels: number) =>
    `{ memories { edges { node { ${"session { memories { ".repeat(levels)}id${" } }".repeat(levels)} } } } }`;
  const directives = (n: number) => `{ ${"__typename @include(if: true) ".repeat(n)}}`;

  /** POSTs as a legacy JSON client and as a graphql-response+json client; both must agree on the error. */
  async function refused(query: string, code: QueryLimitCode) {
    for (const accept of ["application/json", "application/graphql-response+json"]) {
      const r = await fetch(t.http.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept, authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      // GraphQL over HTTP: 200 for legacy JSON clients, 400 for the newer media type.
      expect(r.status, accept).toBe(accept === "application/json" ? 200 : 400);
      const body = (await r.json()) as { data?: unknown; errors: any[] };
      expect(body.data ?? null).toBeNull();
      expect(body.errors.map((e) => e.extensions.code)).toEqual([code]);
      expect(body.errors[0].message).toBe(QUERY_LIMIT_MESSAGES[code]);
      expect(body.errors[0].message).not.toMatch(/\d|Syntax Error|validation error/);
    }
  }

  it("aliases: 15 pass, 16 are TOO_MANY_ALIASES", async () => {
    expect((await t.gql(key, aliases(15))).errors).toBeUndefined();
    await refused(aliases(16), "TOO_MANY_ALIASES");
  });

  it("cost: one list of sessions with turns passes, two are QUERY_TOO_COSTLY", async () => {
    expect((await t.gql(key, `{ ${sessionsWithTurns("one")} }`)).errors).toBeUndefined();
    await refused(`{ ${sessionsWithTurns("one")} ${sessionsWithTurns("two")} }`, "QUERY_TOO_COSTLY");
  });

  it("depth, directives and tokens each have their own code", async () => {
    expect((await t.gql(key, nested(1))).errors).toBeUndefined();
    await refused(nested(6), "QUERY_TOO_DEEP");
    expect((await t.gql(key, directives(50))).errors).toBeUndefined();
    await refused(directives(51), "TOO_MANY_DIRECTIVES");
    await refused(`{ ${Array.from({ length: 2001 }, () => "__typename").join(" ")} }`, "TOO_MANY_TOKENS");
  });

  it("suggestions: none with introspection off, graphql-js's own with it on", async () => {
    const hidden = await suggestionProbes(t, key);
    for (const [r, code] of hidden) {
      expect(codes(r)).toEqual([code]);
      expect(JSON.stringify(r)).not.toMatch(/did you mean/i);
    }
    // The same documents on a gateway with introspection on do suggest (so the probes can fail).
    const shown = await suggestionProbes(open, key);
    expect(shown.map(([r]) => /Did you mean/.test(r.errors?.[0]?.message ?? ""))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
