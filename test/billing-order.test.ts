import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetBuckets } from "../src/services/tenant/modelCalls.js";
import { storableModelText } from "../src/services/tenant/answers.js";
import type { ContextConfig } from "../src/domain/models.js";
import { codes, createKey, MANAGEMENT_KEY, noteSecret, startTestGateway, type TestGateway } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

const SECRET = noteSecret("sk-test-billing-order-0123456789abcdef");
const TRACES = `query($c: ID!) { context(id: $c) { decisionTraces(first: 100) { edges { node { purpose outcome totalTokens } } } } }`;
const ANSWER = `mutation($i: AnswerInput!) { answer(input: $i) { text } }`;
const REMEMBER = `mutation($i: RememberInput!) { remember(input: $i) { id derived { text } } }`;

/**
 * Issue 11, budgets: every check of a request's input runs before any model call, so nothing is
 * reserved, billed or traced for input that is then refused. Each case sends a refused input
 * over HTTP and checks the provider saw no request, no decision trace was written and the
 * budget ledger did not move.
 */
describe("refused input is never billed", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  let key: string;

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway();
    await t.mgmt(`mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
      i: {
        id: "billing",
        namespace: "tenants",
        database: "billing",
        config: {
          tokenLimit: 5_000_000,
          scopeTokenLimits: { dimension: "org", defaultShare: 0.5 },
          models: {
            extraction: "openai/gpt-4o-mini",
            response: "openai/gpt-4o",
            embedding: "openai/text-embedding-3-small",
          },
          providers: { openai: SECRET },
          providerUrls: { openai: api.baseUrl },
        },
      },
    });
    key = await createKey(t, "billing", "agent", "AGENT", { org: "a" });
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  /** Runs `refused`, expects `code`, and checks that nothing reached the provider, the traces or the ledger. */
  async function refusedUnbilled(code: string, refused: () => Promise<{ errors?: any[] }>) {
    const stored = await t.gateway.contexts.stored("billing");
    const [calls, traces, ledger] = [
      api.requests.length,
      (await t.mgmt(TRACES, { c: "billing" })).context.decisionTraces.edges.length,
      await t.gateway.ledger.used(stored),
    ];
    expect(codes(await refused())).toEqual([code]);
    expect(api.requests.length).toBe(calls);
    expect((await t.mgmt(TRACES, { c: "billing" })).context.decisionTraces.edges.length).toBe(traces);
    expect(await t.gateway.ledger.used(stored)).toEqual(ledger);
  }

  it("remember(infer: true) with 930,000 characters", async () => {
    await refusedUnbilled("BAD_USER_INPUT", () =>
      t.gql(key, REMEMBER, { i: { text: "Bob drinks tea. ".repeat(58_125), infer: true } }),
    );
  });

  it("remember(infer: true) with metadata over 16 kB, or a lone surrogate in the text", async () => {
    await refusedUnbilled("BAD_USER_INPUT", () =>
      t.gql(key, REMEMBER, { i: { text: "Bob drinks tea.", infer: true, metadata: { pad: "x".repeat(20_000) } } }),
    );
    await refusedUnbilled("BAD_USER_INPUT", () =>
      t.gql(key, REMEMBER, { i: { text: "Bob drinks tea \ud800.", infer: true } }),
    );
  });

  it("answer into an ended session, or with a question that cannot be stored as its turn", async () => {
    const session = (await t.gql(key, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
    await refusedUnbilled("BAD_USER_INPUT", () =>
      t.gql(key, ANSWER, { i: { question: "What does Bob drink \udc00?", sessionId: session } }),
    );
    expect(
      (await t.gql(key, `mutation($s: ID!) { endSession(id: $s) { id } }`, { s: session })).errors,
    ).toBeUndefined();
    await refusedUnbilled("CONFLICT", () =>
      t.gql(key, ANSWER, { i: { question: "What does Bob drink?", sessionId: session } }),
    );
  });

  it("remote embeddings: rememberMany with one bad item, a malformed document, recall with a bad topK", async () => {
    await refusedUnbilled("BAD_USER_INPUT", () =>
      t.gql(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items: [{ text: "fine" }, { text: "also fine", metadata: { n: 2 ** 60 } }] },
      }),
    );
    await refusedUnbilled("BAD_USER_INPUT", () =>
      t.gql(key, `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { deduplicated } }`, {
        i: { title: "deep", mimeType: "text/html", content: "<div>".repeat(600) },
      }),
    );
    await refusedUnbilled("BAD_USER_INPUT", () => t.gql(key, `{ recall(query: "tea", topK: 0) { hits { text } } }`));
  });

  it("accepted input is billed as before (the checks moved, nothing else)", async () => {
    const r = await t.gql(key, REMEMBER, { i: { text: "Bob drinks tea. Bob lives in Oslo.", infer: true } });
    expect(r.errors).toBeUndefined();
    expect(r.data.remember.derived.map((d: any) => d.text).sort()).toEqual(["Bob drinks tea.", "Bob lives in Oslo."]);
    const purposes = (await t.mgmt(TRACES, { c: "billing" })).context.decisionTraces.edges.map(
      (e: any) => e.node.purpose,
    );
    expect(purposes).toContain("EXTRACTION");
  });
});

describe("a tenant's default share of the Context's budget", () => {
  const config = (over: Partial<ContextConfig["scopeTokenLimits"] & object>, tokenLimit: number | null = 1000) =>
    ({
      tokenLimit,
      scopeTokenLimits: { dimension: "org", default: null, overrides: {}, defaultShare: null, ...over },
    }) as unknown as ContextConfig;

  it("override, then default, then defaultShare × tokenLimit; none without tokenLimit", () => {
    expect(budgetBuckets(config({ defaultShare: 0.25 }), { org: "a" })).toEqual([
      { bucket: "*", limit: 1000 },
      { bucket: "org=a", limit: 250 },
    ]);
    expect(budgetBuckets(config({ defaultShare: 0.25, default: 400 }), { org: "a" })[1]!.limit).toBe(400);
    expect(budgetBuckets(config({ defaultShare: 0.25, overrides: { a: 10 } }), { org: "a" })[1]!.limit).toBe(10);
    expect(budgetBuckets(config({ defaultShare: 0.25 }, null), { org: "a" })).toEqual([]);
    expect(budgetBuckets(config({ defaultShare: 0.25 }), {})).toEqual([{ bucket: "*", limit: 1000 }]);
  });

  it("over HTTP: one tenant spends its share and is refused, the other tenant still answers", async () => {
    const api = await startFakeOpenAI();
    const t = await startTestGateway();
    try {
      await t.mgmt(
        `mutation($i: CreateContextInput!) { createContext(input: $i) { id config { scopeTokenLimits { defaultShare } } } }`,
        {
          i: {
            id: "shares",
            namespace: "tenants",
            database: "shares",
            config: {
              // The fake provider reports 120 tokens per answer; an answer reserves prompt + 512.
              tokenLimit: 4000,
              scopeTokenLimits: { dimension: "org", defaultShare: 0.5 },
              models: { response: "openai/gpt-4o" },
              providers: { openai: SECRET },
              providerUrls: { openai: api.baseUrl },
            },
          },
        },
      );
      const shown = await t.mgmt(
        `{ context(id: "shares") { config { scopeTokenLimits { dimension defaultShare } } } }`,
      );
      expect(shown.context.config.scopeTokenLimits).toEqual({ dimension: "org", defaultShare: 0.5 });
      const greedy = await createKey(t, "shares", "greedy", "AGENT", { org: "greedy" });
      const modest = await createKey(t, "shares", "modest", "AGENT", { org: "modest" });
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++)
        outcomes.push(codes(await t.gql(greedy, ANSWER, { i: { question: `question ${i}?` } }))[0] ?? "ok");
      expect(outcomes).toContain("TOKEN_LIMIT_EXCEEDED");
      const used = await t.gateway.ledger.used(await t.gateway.contexts.stored("shares"));
      expect(used["org=greedy"]).toBeLessThanOrEqual(2000);
      expect(codes(await t.gql(modest, ANSWER, { i: { question: "still there?" } }))).toEqual([]);
      for (const bad of [0, 1.5, -0.1]) {
        const r = await t.gql(
          MANAGEMENT_KEY,
          `mutation($s: Float!) { updateContext(id: "shares", config: { scopeTokenLimits: { dimension: "org", defaultShare: $s } }) { id } }`,
          { s: bad },
        );
        expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
      }
    } finally {
      await t.close();
      await api.close();
    }
  });
});

describe("model output is stored as it can be", () => {
  it("storableModelText replaces lone surrogates and never splits a pair when it cuts", () => {
    expect(storableModelText("a\ud800b")).toBe("a\ufffdb");
    expect(storableModelText("\ufeffhi")).toBe("hi");
    expect(storableModelText("ab😀", 3)).toBe("ab");
    expect(storableModelText("ab😀", 4)).toBe("ab😀");
  });
});
