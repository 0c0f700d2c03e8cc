import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, remember, startTestGateway, type TestGateway, noteSecret } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

const SECRET = noteSecret("sk-test-llm-secret-abcdef0123456789");
const ANSWER = `mutation($i: AnswerInput!) { answer(input: $i) { text citations { kind memory { id text } } usage { promptTokens completionTokens totalTokens model } } }`;
const USAGE = `query($c: ID!) { context(id: $c) { tokenUsage(groupBy: ["org"]) { scope model promptTokens completionTokens totalTokens calls } } }`;
const TRACES = `query($c: ID!) { context(id: $c) { decisionTraces(first: 100) { edges { node { keyId principal scope purpose model promptTokens completionTokens totalTokens outcome } } } } }`;

const config = (api: FakeOpenAI, extra: Record<string, unknown> = {}) => ({
  models: { extraction: "openai/gpt-4o-mini", response: "openai/gpt-4o" },
  providers: { openai: SECRET },
  providerUrls: { openai: api.baseUrl },
  ...extra,
});

describe("LLM calls, decision traces and token usage", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  const key: Record<string, string> = {};

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway();
    const create = `mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`;
    await t.mgmt(create, { i: { id: "platform-prod", namespace: "platform", database: "prod", config: config(api) } });
    await t.mgmt(create, { i: { id: "tenant-gamma", namespace: "tenants", database: "gamma", config: config(api) } });
    key.alpha = await createKey(t, "platform-prod", "alpha", "AGENT", { org: "alpha" });
    key.beta = await createKey(t, "platform-prod", "beta", "AGENT", { org: "beta" });
    key.gamma = await createKey(t, "tenant-gamma", "gamma", "AGENT", { org: "gamma" });
    await remember(t, key.alpha!, "Alpha's release train leaves every Tuesday.");
    await remember(t, key.beta!, "Beta ships on Fridays only.");
    await remember(t, key.gamma!, "Gamma never ships in December.");
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it("answers from recall within the floor and cites what it used", async () => {
    const r = await t.gql(key.alpha!, ANSWER, { i: { question: "When does the release train leave?" } });
    expect(r.errors).toBeUndefined();
    expect(r.data.answer.citations).toEqual([
      { kind: "MEMORY", memory: { id: expect.any(String), text: "Alpha's release train leaves every Tuesday." } },
    ]);
    expect(r.data.answer.usage).toEqual({
      promptTokens: 100,
      completionTokens: 20,
      totalTokens: 120,
      model: "openai/gpt-4o",
    });
    const call = api.requests.filter((q) => q.path === "/v1/chat/completions").at(-1)!;
    expect(call.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.stringify(call.body)).toContain("Alpha's release train");
    expect(JSON.stringify(call.body)).not.toMatch(/Beta ships|Gamma never/); // the prompt holds only the floor's recall
  });

  it("records the question and answer as turns of the caller's own session, and refuses someone else's session before spending tokens", async () => {
    const s = (await t.gql(key.alpha!, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
    await t.gql(key.alpha!, ANSWER, { i: { question: "Release day?", sessionId: s } });
    const turns = await t.gql(
      key.alpha!,
      `query($s: ID!) { session(id: $s) { turns { edges { node { role content } } } } }`,
      { s },
    );
    expect(turns.data.session.turns.edges.map((e: any) => e.node)).toEqual([
      { role: "USER", content: "Release day?" },
      { role: "ASSISTANT", content: "From the passages: see [1]." },
    ]);
    const before = api.requests.length;
    expect(codes(await t.gql(key.beta!, ANSWER, { i: { question: "x", sessionId: s } }))).toEqual(["NOT_FOUND"]);
    expect(api.requests.length).toBe(before);
  });

  it("remember with infer stores the extracted facts linked to their source", async () => {
    const r = await t.gql(
      key.beta!,
      `mutation { remember(input: { text: "Beta moved to Lisbon. Beta hired two engineers.", infer: true }) { text scope derived { text scope source { text } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.remember.derived.map((d: any) => d.text)).toEqual([
      "Beta moved to Lisbon.",
      "Beta hired two engineers.",
    ]);
    for (const d of r.data.remember.derived)
      expect(d).toMatchObject({
        scope: { org: "beta" },
        source: { text: "Beta moved to Lisbon. Beta hired two engineers." },
      });
  });

  it("usage grouped by org equals the sum of each tenant's traces, and a key sees only its own floor", async () => {
    await t.gql(key.gamma!, ANSWER, { i: { question: "When do we ship?" } });
    api.chatUsage = null; // this call's usage is counted by the gateway's tokenizer
    await t.gql(key.beta!, ANSWER, { i: { question: "Which day does beta ship?" } });
    api.chatUsage = { prompt_tokens: 100, completion_tokens: 20 };

    const traces = (await t.mgmt(TRACES, { c: "platform-prod" })).context.decisionTraces.edges.map((e: any) => e.node);
    expect(new Set(traces.map((x: any) => x.scope.org))).toEqual(new Set(["alpha", "beta"]));
    const sums: Record<string, { calls: number; totalTokens: number }> = {};
    for (const x of traces) {
      const key = `${x.scope.org}|${x.model}`;
      sums[key] ??= { calls: 0, totalTokens: 0 };
      sums[key].calls += 1;
      sums[key].totalTokens += x.totalTokens;
      expect(x.totalTokens).toBe(x.promptTokens + x.completionTokens);
      expect(x.principal).toBe("AGENT");
    }
    const usage = (await t.mgmt(USAGE, { c: "platform-prod" })).context.tokenUsage;
    expect(
      Object.fromEntries(
        usage.map((u: any) => [`${u.scope.org}|${u.model}`, { calls: u.calls, totalTokens: u.totalTokens }]),
      ),
    ).toEqual(sums);
    // The call without provider usage was counted by the tokenizer over the real prompt.
    expect(
      traces.some(
        (x: any) => x.scope.org === "beta" && x.purpose === "RESPONSE" && x.promptTokens > 0 && x.promptTokens !== 100,
      ),
    ).toBe(true);

    const gamma = (await t.mgmt(USAGE, { c: "tenant-gamma" })).context.tokenUsage;
    expect(gamma).toEqual([
      {
        scope: { org: "gamma" },
        model: "openai/gpt-4o",
        promptTokens: 100,
        completionTokens: 20,
        totalTokens: 120,
        calls: 1,
      },
    ]);

    const alphaOwn = await t.gql(
      key.alpha!,
      `{ tokenUsage(groupBy: ["org"]) { scope calls } decisionTraces { edges { node { scope } } } }`,
    );
    expect(alphaOwn.data.tokenUsage.map((u: any) => u.scope)).toEqual([{ org: "alpha" }]);
    expect(alphaOwn.data.decisionTraces.edges.every((e: any) => e.node.scope.org === "alpha")).toBe(true);
    const sideways = await t.gql(
      key.alpha!,
      `{ decisionTraces(filter: { scope: { org: "beta" } }) { edges { node { scope } } } }`,
    );
    expect(codes(sideways)).toEqual(["FORBIDDEN"]);
  });

  it("a failed provider call is traced with outcome ERROR and answers a masked error", async () => {
    api.failNext(500, 10);
    const r = await t.gql(key.alpha!, ANSWER, { i: { question: "anything" } });
    api.failNext(200, 0);
    expect(codes(r)).toEqual(["INTERNAL_SERVER_ERROR"]);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    const traces = (await t.mgmt(TRACES, { c: "platform-prod" })).context.decisionTraces.edges.map((e: any) => e.node);
    expect(traces.filter((x: any) => x.outcome === "ERROR")).toEqual([
      expect.objectContaining({ scope: { org: "alpha" }, purpose: "RESPONSE", totalTokens: 0 }),
    ]);
  });
});

describe("token budgets", () => {
  let t: TestGateway;
  let api: FakeOpenAI;

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  async function context(id: string, extra: Record<string, unknown>) {
    await t.mgmt(`mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
      i: { id, namespace: "budgets", database: id, config: config(api, extra) },
    });
  }

  it("stops the call that would cross the Context's monthly limit, not the read next to it", async () => {
    // Each call reserves prompt + 512 completion tokens and settles at 120 (the fake's usage).
    await context("small", { tokenLimit: 1500 });
    const k = await createKey(t, "small", "agent", "AGENT", { org: "x" });
    await remember(t, k, "The budget test memory.");
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await t.gql(k, ANSWER, { i: { question: "budget test?" } }));
    const refused = results.filter((r) => codes(r).includes("TOKEN_LIMIT_EXCEEDED"));
    const ok = results.filter((r) => !r.errors);
    expect(ok.length).toBeGreaterThan(2);
    expect(refused.length).toBeGreaterThan(0);
    expect(results.indexOf(refused[0]!)).toBe(ok.length); // every call after the first refusal is refused too
    expect(Date.parse(refused[0]!.errors![0].extensions.resetsAt)).toBeGreaterThan(Date.now());
    const reads = await t.gql(k, `{ memories { edges { node { text } } } recall(query: "budget") { hits { text } } }`);
    expect(reads.errors).toBeUndefined();
    expect(reads.data.recall.hits.length).toBe(1);
    const usage = (await t.mgmt(`{ context(id: "small") { tokenUsage { totalTokens calls } } }`)).context.tokenUsage[0];
    expect(usage.totalTokens).toBeLessThanOrEqual(1500);
  });

  it("20 concurrent calls against a nearly spent budget overshoot by at most one call", async () => {
    await context("race", { tokenLimit: 3000 });
    const k = await createKey(t, "race", "agent", "AGENT", { org: "x" });
    await remember(t, k, "Race memory.");
    api.chatDelayMs = 30;
    api.chatUsage = { prompt_tokens: 100, completion_tokens: 20 };
    const results = await Promise.all(Array.from({ length: 20 }, () => t.gql(k, ANSWER, { i: { question: "race?" } })));
    api.chatDelayMs = 0;
    const ok = results.filter((r) => !r.errors).length;
    expect(results.every((r) => !r.errors || codes(r).every((c) => c === "TOKEN_LIMIT_EXCEEDED"))).toBe(true);
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(20);
    const usage = (await t.mgmt(`{ context(id: "race") { tokenUsage { totalTokens calls } } }`)).context.tokenUsage[0];
    expect(usage.calls).toBe(ok);
    expect(usage.totalTokens).toBeLessThanOrEqual(3000 + 120);
  });

  it("per-scope monthly budgets in a shared Context: one tenant's spending does not stop another", async () => {
    await context("shared-budgets", {
      scopeTokenLimits: { dimension: "org", default: 100000, overrides: { alpha: 650 } },
    });
    const alpha = await createKey(t, "shared-budgets", "alpha", "AGENT", { org: "alpha" });
    const beta = await createKey(t, "shared-budgets", "beta", "AGENT", { org: "beta" });
    await remember(t, alpha, "alpha memory");
    await remember(t, beta, "beta memory");
    const first = await t.gql(alpha, ANSWER, { i: { question: "alpha memory?" } });
    expect(first.errors).toBeUndefined();
    const second = await t.gql(alpha, ANSWER, { i: { question: "alpha memory?" } });
    expect(codes(second)).toEqual(["TOKEN_LIMIT_EXCEEDED"]);
    expect(second.errors![0].message).toContain("org=alpha");
    for (let i = 0; i < 3; i++)
      expect((await t.gql(beta, ANSWER, { i: { question: "beta memory?" } })).errors).toBeUndefined();
  });
});

describe("the offline local model", () => {
  it("answers and extracts without any network, with tokenizer-counted usage and traces", async () => {
    const t = await startTestGateway();
    try {
      await t.mgmt(
        `mutation { createContext(input: { id: "offline", namespace: "tenants", database: "offline" }) { id } }`,
      );
      const k = await createKey(t, "offline", "agent", "AGENT", { org: "o" });
      const m = await t.gql(
        k,
        `mutation { remember(input: { text: "The office plant is a ficus. It needs water on Mondays.", infer: true }) { derived { text } } }`,
      );
      expect(m.data.remember.derived.map((d: any) => d.text)).toEqual([
        "The office plant is a ficus.",
        "It needs water on Mondays.",
      ]);
      const a = await t.gql(k, ANSWER, { i: { question: "When does the plant need water?" } });
      expect(a.errors).toBeUndefined();
      expect(a.data.answer.text).toContain("water on Mondays");
      expect(a.data.answer.usage.model).toBe("local/extractive");
      expect(a.data.answer.usage.promptTokens).toBeGreaterThan(10);
      const usage = (await t.mgmt(`{ context(id: "offline") { tokenUsage { model calls } } }`)).context.tokenUsage;
      expect(usage).toEqual([{ model: "local/extractive", calls: 2 }]);
    } finally {
      await t.close();
    }
  });
});
