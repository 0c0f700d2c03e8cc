import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, startTestGateway, type TestGateway } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";

const TIMEOUT_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 10: a request that times out stores nothing. The HTTP layer aborts the request's
 * AbortSignal at SCOPEGATE_REQUEST_TIMEOUT_MS; a compute task still queued or running is
 * dropped, and a write transaction that has not started by then never starts, even when the
 * work before it (a slow embedding provider) finishes later.
 */
describe("a timed-out request stores nothing", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  let remote: string;
  let local: string;

  const post = (secret: string, query: string, variables: Record<string, unknown>) =>
    fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query, variables }),
    });
  const counts = async (secret: string) => {
    const r = await t.gql(
      secret,
      `{ memories(first: 100) { edges { node { id } } } documents(first: 100) { edges { node { id } } } }`,
    );
    expect(r.errors).toBeUndefined();
    return { memories: r.data.memories.edges.length, documents: r.data.documents.edges.length };
  };

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway(undefined, { requestTimeoutMs: TIMEOUT_MS });
    await t.mgmt(
      `mutation($c: ContextConfigInput) { createContext(input: { id: "slow", namespace: "tenants", database: "slow", config: $c }) { id } }`,
      {
        c: {
          models: { embedding: "openai/text-embedding-3-small" },
          providers: { openai: "sk-timeouts" },
          providerUrls: { openai: api.baseUrl },
        },
      },
    );
    await t.mgmt(`mutation { createContext(input: { id: "big", namespace: "tenants", database: "big" }) { id } }`);
    remote = await createKey(t, "slow", "agent", "AGENT", { org: "a" });
    local = await createKey(t, "big", "agent", "AGENT", { org: "a" });
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  it("rememberMany whose embedding outlasts the timeout answers 504 and stores nothing, also after the embedding returns", async () => {
    api.embeddingDelayMs = 3 * TIMEOUT_MS;
    const r = await post(remote, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
      i: { items: [{ text: "first" }, { text: "second" }, { text: "third" }] },
    });
    expect(r.status).toBe(504);
    expect((await r.json()).errors[0].extensions.requestId).toEqual(expect.any(String));
    await sleep(4 * TIMEOUT_MS); // the embedding has answered by now; the write would have followed it
    api.embeddingDelayMs = 0;
    expect(api.requests.filter((q) => q.path === "/v1/embeddings")).toHaveLength(1);
    expect(await counts(remote)).toEqual({ memories: 0, documents: 0 });
    // The same call within the timeout stores all three: the check refuses only late writes.
    const ok = await t.gql(
      remote,
      `mutation { rememberMany(input: { items: [{ text: "a" }, { text: "b" }] }) { id } }`,
    );
    expect(ok.errors).toBeUndefined();
    expect((await counts(remote)).memories).toBe(2);
  });

  it("an upload whose embedding outlasts the timeout stores no document and no chunk", async () => {
    const before = await counts(remote);
    api.embeddingDelayMs = 3 * TIMEOUT_MS;
    const r = await post(
      remote,
      `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { id } } }`,
      {
        i: { title: "late", mimeType: "text/plain", content: "A document that arrives too late to be stored." },
      },
    );
    expect(r.status).toBe(504);
    await sleep(4 * TIMEOUT_MS);
    api.embeddingDelayMs = 0;
    expect(await counts(remote)).toEqual(before);
  });

  it("a large upload still being prepared at the timeout is dropped from the worker, and the next upload works", async () => {
    // ~500 kB without whitespace: preparing it takes well over TIMEOUT_MS in a worker thread.
    let x = 7;
    const content = Array.from({ length: 500_000 }, () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[x >>> 26];
    }).join("");
    const r = await post(
      local,
      `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { id } } }`,
      {
        i: { title: "huge", mimeType: "text/plain", content },
      },
    );
    expect(r.status).toBe(504);
    await sleep(3000);
    expect(await counts(local)).toEqual({ memories: 0, documents: 0 });
    const small = await t.gql(
      local,
      `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { chunkCount } } }`,
      { i: { title: "small", mimeType: "text/plain", content: `${"word ".repeat(3000)}end` } },
    );
    expect(small.errors).toBeUndefined();
    expect((await counts(local)).documents).toBe(1);
  });
});
