import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, noteSecret, remember, startTestGateway, type TestGateway } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

const SECRET = noteSecret("sk-test-reindex-secret-0123456789");
const REINDEX = `mutation($d: Boolean) { reindex(contextId: "r", dryRun: $d) { dryRun model analyzer counts { table count } } }`;
const counts = (r: any) => Object.fromEntries(r.reindex.counts.map((c: any) => [c.table, c.count]));

/** Issue 13: rows indexed by another model or an older analyzer are brought up to date, traced and budgeted. */
describe("reindex", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  let key: string;

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway();
    await t.mgmt(`mutation { createContext(input: { id: "r", namespace: "tenants", database: "r",
      config: { models: { embedding: "local/hash-embedding" } } }) { id } }`);
    key = await createKey(t, "r", "agent", "AGENT", { org: "acme" });
    await remember(t, key, "aaaa aaaa");
    await remember(t, key, "bbbb bbbb", { user: "bob" });
    await t.gql(
      key,
      `mutation { uploadDocument(input: { title: "d", mimeType: "text/plain", content: "cccc cccc cccc" }) { document { id } } }`,
    );
    // A row written by the first analyzer (its term map carries no version tag).
    const exec = await (await t.gateway.requestContext(key, "seed")).tenant().binding.executor();
    await exec.memories.create([
      {
        text: "old analyzer row",
        scope: { org: "acme" },
        terms: { old: 1 },
        len: 1,
        emb: null,
        embModel: null,
        sessionId: null,
        metadata: null,
      },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it("is for the management key only", async () => {
    expect(codes(await t.gql(key, REINDEX, { d: true }))).toEqual(["FORBIDDEN"]);
  });

  it("re-embeds rows of another model and re-analyzes old rows; a dry run counts the same and changes nothing", async () => {
    const before = await t.mgmt(REINDEX, { d: true });
    expect(counts(before)).toEqual({ memory: 1, chunk: 0 }); // only the old-analyzer row: the others are current
    await t.mgmt(`mutation($c: ContextConfigInput!) { updateContext(id: "r", config: $c) { id } }`, {
      c: {
        models: { embedding: "openai/text-embedding-3-small" },
        providers: { openai: SECRET },
        providerUrls: { openai: api.baseUrl },
      },
    });
    // Rows embedded by the old model drop out of vector recall until they are re-embedded.
    const missing = await t.gql(
      key,
      `{ recall(query: "bbbb", mode: VECTOR, scope: { user: "bob" }) { hits { text } } }`,
    );
    expect(missing.data.recall.hits).toEqual([]);
    const dry = await t.mgmt(REINDEX, { d: true });
    expect(dry.reindex).toMatchObject({ dryRun: true, model: "openai/text-embedding-3-small", analyzer: 2 });
    expect(counts(dry)).toEqual({ memory: 3, chunk: 1 });
    const calls = api.requests.filter((q) => q.path === "/v1/embeddings").length;
    const done = await t.mgmt(REINDEX, { d: false });
    expect(counts(done)).toEqual({ memory: 3, chunk: 1 });
    expect(api.requests.filter((q) => q.path === "/v1/embeddings").length).toBeGreaterThan(calls);
    expect(counts(await t.mgmt(REINDEX, { d: true }))).toEqual({ memory: 0, chunk: 0 });
    const found = await t.gql(
      key,
      `{ recall(query: "bbbb", mode: VECTOR, scope: { user: "bob" }, topK: 1) { hits { text } } }`,
    );
    expect(found.data.recall.hits).toEqual([{ text: "bbbb bbbb" }]);
    const lexical = await t.gql(key, `{ recall(query: "analyzer", mode: LEXICAL) { hits { text } } }`);
    expect(lexical.data.recall.hits).toEqual([{ text: "old analyzer row" }]);
    // Re-embedding is an LLM call: traced at each partition's scope.
    const traces = await t.mgmt(
      `{ context(id: "r") { decisionTraces(first: 50, filter: { purpose: EMBEDDING }) { edges { node { scope } } } } }`,
    );
    const scopes = traces.context.decisionTraces.edges.map((e: any) => JSON.stringify(e.node.scope));
    expect(scopes).toEqual(
      expect.arrayContaining([JSON.stringify({ org: "acme" }), JSON.stringify({ org: "acme", user: "bob" })]),
    );
  });
});
