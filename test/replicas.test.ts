import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";
import { codes, createKey, noteSecret, remember, startTestGateway, type TestGateway } from "./harness.js";

const PROVIDER_SECRET = noteSecret("sk-test-replicas-secret-abcdef0123456789");
const ANSWER = `mutation($i: AnswerInput!) { answer(input: $i) { text } }`;

/**
 * Issue 10: replicas, simulated. Three gateway instances in one process over one engine, each with
 * its own HTTP server and its own in-process caches (key trust, recall corpus, registry starts), as
 * three replicas behind a load balancer would have. What one does, the others honour on their next
 * request: a revocation or rotation, a write (recall caches stay coherent), a budget.
 */
describe("three replicas over one engine", () => {
  let a: TestGateway;
  let b: TestGateway;
  let c: TestGateway;
  let api: FakeOpenAI;
  const me = (t: TestGateway, secret: string) => t.request(secret, `{ me { keyName } }`);

  beforeAll(async () => {
    api = await startFakeOpenAI();
    a = await startTestGateway();
    b = await startTestGateway(undefined, {}, { database: a.gateway.db });
    c = await startTestGateway(undefined, {}, { database: a.gateway.db });
    await a.mgmt(`mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
      i: {
        id: "replicated",
        namespace: "replicas",
        database: "replicated",
        config: {
          models: { extraction: "openai/gpt-4o-mini", response: "openai/gpt-4o" },
          providers: { openai: PROVIDER_SECRET },
          providerUrls: { openai: api.baseUrl },
          tokenLimit: 1500,
        },
      },
    });
  });
  afterAll(async () => {
    await c.close();
    await b.close();
    await a.close();
    await api.close();
  });

  it("a revocation on one replica is refused by the others on their next request", async () => {
    const key = await createKey(a, "replicated", "revoked", "AGENT", { org: "r" });
    for (const t of [a, b, c]) expect(codes((await me(t, key)).body as any)).toEqual([]); // every replica trusts it now
    await b.mgmt(`mutation { revokeKey(contextId: "replicated", name: "revoked") { revokedAt } }`);
    for (const t of [a, b, c]) expect(codes((await me(t, key)).body as any)).toEqual(["UNAUTHENTICATED"]);
  });

  it("a rotation on one replica: the old secret is refused everywhere, the new one works everywhere", async () => {
    const old = await createKey(a, "replicated", "rotated", "AGENT", { org: "r" });
    for (const t of [a, b, c]) expect(codes((await me(t, old)).body as any)).toEqual([]);
    const rotated = await c.mgmt(`mutation { rotateKey(contextId: "replicated", name: "rotated") { secret } }`);
    const fresh = noteSecret(rotated.rotateKey.secret);
    for (const t of [a, b, c]) {
      expect(codes((await me(t, old)).body as any)).toEqual(["UNAUTHENTICATED"]);
      expect(((await me(t, fresh)).body as any).data.me.keyName).toBe("rotated");
    }
  });

  it("a write through one replica is recalled through the others, whose caches were warm", async () => {
    const key = await createKey(a, "replicated", "writer", "AGENT", { org: "w" });
    await remember(a, key, "The lighthouse keeper paints the door blue.");
    const recall = (t: TestGateway, q: string) =>
      t.gql(key, `query($q: String!) { recall(query: $q) { hits { text } } }`, { q });
    for (const t of [a, b, c]) expect((await recall(t, "lighthouse door")).data.recall.hits.length).toBe(1);
    await remember(b, key, "The lighthouse keeper feeds a grey cat.");
    for (const t of [a, b, c]) {
      const texts = (await recall(t, "lighthouse keeper")).data.recall.hits.map((h: { text: string }) => h.text);
      expect(texts.sort()).toEqual([
        "The lighthouse keeper feeds a grey cat.",
        "The lighthouse keeper paints the door blue.",
      ]);
    }
  });

  it("a forget through one replica disappears from the others' recall", async () => {
    const key = await createKey(a, "replicated", "forgetter", "AGENT", { org: "f" });
    const id = (await remember(a, key, "The ferry leaves at dawn.")).id as string;
    const recall = (t: TestGateway) => t.gql(key, `{ recall(query: "ferry dawn") { hits { text } } }`);
    for (const t of [a, b, c]) expect((await recall(t)).data.recall.hits.length).toBe(1);
    const forgot = await c.gql(key, `mutation($i: ForgetInput!) { forget(input: $i) { count } }`, { i: { ids: [id] } });
    expect(forgot.data.forget.count).toBe(1);
    for (const t of [a, b, c]) expect((await recall(t)).data.recall.hits).toEqual([]);
  });

  it("one budget for all replicas: calls spread over them stop at the Context's limit", async () => {
    const key = await createKey(a, "replicated", "spender", "AGENT", { org: "s" });
    await remember(a, key, "Budgets are shared.");
    const replicas = [a, b, c];
    const results = [];
    for (let i = 0; i < 12; i++)
      results.push(await replicas[i % 3]!.gql(key, ANSWER, { i: { question: "are budgets shared?" } }));
    const ok = results.filter((r) => !r.errors).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(12);
    expect(results.slice(ok).every((r) => codes(r).includes("TOKEN_LIMIT_EXCEEDED"))).toBe(true);
    const usage = (await b.mgmt(`{ context(id: "replicated") { tokenUsage { totalTokens calls } } }`)).context
      .tokenUsage;
    expect(usage.reduce((s: number, u: { totalTokens: number }) => s + u.totalTokens, 0)).toBeLessThanOrEqual(1500);
  });
});
