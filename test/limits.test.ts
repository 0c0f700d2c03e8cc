import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, startTestGateway, type TestGateway } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

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
    expect(codes(deep)).toHaveLength(1);
    expect(message(deep)).not.toMatch(/\d/);
    const viaFragments = await t.gql(
      alpha,
      `{ sessions { ...A } } fragment A on SessionConnection { edges { ...B } } fragment B on SessionEdge { node { ...C } }
      fragment C on Session { memories { session { memories { text } } } }`,
    );
    expect(viaFragments.data ?? null).toBeNull();
    expect((await t.gql(alpha, `{ sessions { edges { node { id } } } }`)).errors).toBeUndefined();
  });

  it("refuses too many aliases and too many tokens, without echoing the limits", async () => {
    const aliases = await t.gql(
      alpha,
      `{ a: me { kind } b: me { kind } c: me { kind } d: me { kind } e: me { kind } }`,
    );
    expect(aliases.data ?? null).toBeNull();
    expect(message(aliases)).not.toMatch(/\d/);
    const tokens = await t.gql(alpha, `{ ${Array.from({ length: 250 }, () => "__typename").join(" ")} }`);
    expect(codes(tokens)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(message(tokens)).not.toMatch(/\d/);
  });

  it("with introspection off, refuses __schema and gives no field suggestions", async () => {
    const schema = await t.gql(alpha, `{ __schema { types { name } } }`);
    expect(schema.data ?? null).toBeNull();
    const typo = await t.gql(alpha, `{ memorys { edges { node { text } } } }`);
    expect(codes(typo)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(message(typo)).not.toMatch(/did you mean/i);
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
