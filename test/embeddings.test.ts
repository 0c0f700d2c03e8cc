import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, startTestGateway, type TestGateway, noteSecret } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

const SECRET = noteSecret("sk-test-embedding-secret-0123456789");

describe("embeddings from an OpenAI-compatible endpoint", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  let key: string;

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway();
    await t.mgmt(
      `mutation($c: ContextConfigInput) { createContext(input: { id: "remote", namespace: "tenants", database: "remote", config: $c }) { id } }`,
      {
        c: {
          models: { embedding: "openai/text-embedding-3-small" },
          providers: { openai: SECRET },
          providerUrls: { openai: api.baseUrl },
        },
      },
    );
    key = await createKey(t, "remote", "agent", "AGENT", { org: "remote" });
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it("embeds at write time with the Context's model and secret, and recalls by vector", async () => {
    const r = await t.gql(
      key,
      `mutation { rememberMany(input: { items: [{ text: "aaaa aaaa" }, { text: "bbbb bbbb" }, { text: "cccc" }] }) { id } }`,
    );
    expect(r.errors).toBeUndefined();
    const call = api.requests.find((q) => q.path === "/v1/embeddings")!;
    expect(call.authorization).toBe(`Bearer ${SECRET}`);
    expect(call.body).toEqual({ model: "text-embedding-3-small", input: ["aaaa aaaa", "bbbb bbbb", "cccc"] });
    const hits = await t.gql(key, `{ recall(query: "bb", mode: VECTOR, topK: 1) { hits { text matchedBy } } }`);
    expect(hits.data.recall.hits).toEqual([{ text: "bbbb bbbb", matchedBy: ["VECTOR"] }]);
    // Remote embedding calls are LLM calls: traced at the caller's scope with the provider's usage.
    const traces = await t.gql(
      key,
      `{ decisionTraces { edges { node { purpose model scope promptTokens completionTokens outcome } } } }`,
    );
    expect(traces.data.decisionTraces.edges.map((e: any) => e.node).reverse()).toEqual([
      {
        purpose: "EMBEDDING",
        model: "openai/text-embedding-3-small",
        scope: { org: "remote" },
        promptTokens: 5,
        completionTokens: 0,
        outcome: "SUCCESS",
      },
      {
        purpose: "EMBEDDING",
        model: "openai/text-embedding-3-small",
        scope: { org: "remote" },
        promptTokens: 1,
        completionTokens: 0,
        outcome: "SUCCESS",
      },
    ]);
  });

  it("retries 429 and 5xx, then fails masked without leaking the secret", async () => {
    api.failNext(429, 1);
    const ok = await t.gql(key, `{ recall(query: "cc", mode: VECTOR, topK: 1) { hits { text } } }`);
    expect(ok.data.recall.hits).toEqual([{ text: "cccc" }]);
    api.failNext(503, 10);
    const failed = await t.gql(key, `mutation { remember(input: { text: "dddd" }) { id } }`);
    expect(codes(failed)).toEqual(["INTERNAL_SERVER_ERROR"]);
    expect(failed.errors![0].extensions.requestId).toBeTruthy();
    expect(JSON.stringify(failed)).not.toContain(SECRET);
    api.failNext(200, 0);
    // Nothing was half-written: the failed memory is not there.
    const texts = await t.gql(key, `{ memories { edges { node { text } } } }`);
    expect(texts.data.memories.edges.map((e: any) => e.node.text)).not.toContain("dddd");
  });

  it("the provider secret never comes back through the API", async () => {
    const ctx = await t.mgmt(
      `{ context(id: "remote") { config { providersConfigured providerUrls models { embedding } } } }`,
    );
    expect(ctx.context.config).toEqual({
      providersConfigured: ["openai"],
      providerUrls: { openai: api.baseUrl },
      models: { embedding: "openai/text-embedding-3-small" },
    });
    expect(JSON.stringify(ctx)).not.toContain(SECRET);
  });

  it("a Context naming a provider without a secret answers BAD_USER_INPUT", async () => {
    await t.mgmt(
      `mutation { createContext(input: { id: "nosecret", namespace: "tenants", database: "nosecret", config: { models: { embedding: "acme/embed-1" } } }) { id } }`,
    );
    const k = await createKey(t, "nosecret", "agent", "AGENT", { org: "x" });
    const r = await t.gql(k, `mutation { remember(input: { text: "hello" }) { id } }`);
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
  });
});
