import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, startTestGateway, type TestGateway } from "./harness.js";

const UPLOAD = `mutation($i: UploadDocumentInput!) {
  uploadDocument(input: $i) { deduplicated document { id title mimeType chunkCount tokens scope chunks { id position text tokenStart tokenEnd } } }
}`;
const RECALL = `query($q: String!) { recall(query: $q, topK: 50) { hits { kind text chunk { position document { id title } } } } }`;

describe("documents", () => {
  let t: TestGateway;
  const key: Record<string, string> = {};
  const upload = (k: string, input: Record<string, unknown>) => t.gql(k, UPLOAD, { i: input });

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "docs", namespace: "platform", database: "docs", config: { chunking: { size: 32, overlap: 8 } } }) { id } }`,
    );
    key.alpha = await createKey(t, "docs", "alpha", "AGENT", { org: "alpha" });
    key.alpha2 = await createKey(t, "docs", "alpha-2", "AGENT", { org: "alpha" });
    key.beta = await createKey(t, "docs", "beta", "AGENT", { org: "beta" });
  });
  afterAll(() => t.close());

  it("chunks by the Context's token size with overlap, and chunks are recalled citing document and position", async () => {
    const body = Array.from(
      { length: 12 },
      (_, i) =>
        `Paragraph ${i} talks about ${i === 9 ? "the volcanic eruption in Iceland" : "ordinary weather"} and more.`,
    ).join("\n\n");
    const r = await upload(key.alpha!, {
      title: "Weather log",
      content: `# Weather\n\n${body}`,
      mimeType: "text/markdown",
    });
    expect(r.errors).toBeUndefined();
    const doc = r.data.uploadDocument.document;
    expect(r.data.uploadDocument.deduplicated).toBe(false);
    expect(doc.scope).toEqual({ org: "alpha" });
    expect(doc.chunkCount).toBeGreaterThan(3);
    expect(doc.chunks).toHaveLength(doc.chunkCount);
    doc.chunks.forEach((c: any, i: number) => {
      expect(c.position).toBe(i);
      expect(c.tokenEnd - c.tokenStart).toBeLessThanOrEqual(32);
      if (i > 0) expect(doc.chunks[i - 1].tokenEnd - c.tokenStart).toBe(8);
    });
    const hits = (await t.gql(key.alpha!, RECALL, { q: "volcanic eruption Iceland" })).data.recall.hits;
    expect(hits[0].kind).toBe("CHUNK");
    expect(hits[0].text).toContain("volcanic eruption");
    expect(hits[0].chunk.document).toEqual({ id: doc.id, title: "Weather log" });
    expect(hits[0].chunk.position).toBeGreaterThan(0);
  });

  it("reduces HTML and JSON to text before indexing", async () => {
    const html = await upload(key.alpha!, {
      title: "page",
      mimeType: "text/html",
      content:
        "<html><head><style>.x{color:red}</style><script>alert('zebra')</script></head><body><h1>Giraffe &amp; friends</h1><p>Tall animals</p></body></html>",
    });
    const chunks = html.data.uploadDocument.document.chunks.map((c: any) => c.text).join(" ");
    expect(chunks).toContain("Giraffe & friends");
    expect(chunks).not.toMatch(/zebra|color:red|<h1>/);
    const json = await upload(key.alpha!, {
      title: "cfg",
      mimeType: "application/json",
      content: JSON.stringify({ service: { owner: "pelican team" } }),
    });
    expect(json.data.uploadDocument.document.chunks[0].text).toContain("service.owner: pelican team");
    expect(codes(await upload(key.alpha!, { title: "bad", mimeType: "application/json", content: "{nope" }))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(codes(await upload(key.alpha!, { title: "pdf", mimeType: "application/pdf", content: "%PDF" }))).toEqual([
      "BAD_USER_INPUT",
    ]);
  });

  it("deduplicates identical content within a scope, not across scopes", async () => {
    const input = { title: "Handbook", mimeType: "text/plain", content: "Penguins live in the southern hemisphere." };
    const first = await upload(key.alpha!, input);
    const again = await upload(key.alpha2!, { ...input, title: "Handbook copy" });
    expect(again.data.uploadDocument).toMatchObject({
      deduplicated: true,
      document: { id: first.data.uploadDocument.document.id, title: "Handbook" },
    });
    const narrowed = await upload(key.alpha!, { ...input, scope: { user: "bob" } });
    expect(narrowed.data.uploadDocument.deduplicated).toBe(false);
    const beta = await upload(key.beta!, input);
    expect(beta.data.uploadDocument.deduplicated).toBe(false);
    expect(beta.data.uploadDocument.document.id).not.toBe(first.data.uploadDocument.document.id);
  });

  it("refuses content over the size limit with a clear error and stores nothing", async () => {
    const before = (await t.gql(key.alpha!, `{ documents(first: 100) { edges { node { id } } } }`)).data.documents.edges
      .length;
    const r = await upload(key.alpha!, { title: "huge", mimeType: "text/plain", content: "a".repeat(512 * 1024 + 1) });
    expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    expect(r.errors![0].message).toMatch(/limit is 524288 bytes/);
    const after = (await t.gql(key.alpha!, `{ documents(first: 100) { edges { node { id } } } }`)).data.documents.edges
      .length;
    expect(after).toBe(before);
  });

  it("another tenant can neither see, recall nor delete a document; deleting removes its chunks from recall", async () => {
    const mine = await upload(key.alpha!, {
      title: "Secret recipe",
      mimeType: "text/plain",
      content: "Marmalade needs bitter Seville oranges.",
    });
    const id = mine.data.uploadDocument.document.id;
    expect((await t.gql(key.beta!, `query($id: ID!) { document(id: $id) { id } }`, { id })).data.document).toBeNull();
    const betaRecall = await t.gql(key.beta!, RECALL, { q: "marmalade seville oranges" });
    expect(betaRecall.data.recall.hits).toEqual([]);
    expect(codes(await t.gql(key.beta!, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id }))).toEqual([
      "NOT_FOUND",
    ]);
    // Agents delete only their own records (DESIGN §5).
    expect(codes(await t.gql(key.alpha2!, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id }))).toEqual([
      "NOT_FOUND",
    ]);
    expect(
      (await t.gql(key.alpha!, RECALL, { q: "marmalade seville oranges" })).data.recall.hits[0].chunk.document.id,
    ).toBe(id);

    expect(
      (await t.gql(key.alpha!, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id })).data.deleteDocument,
    ).toBe(true);
    expect((await t.gql(key.alpha!, `query($id: ID!) { document(id: $id) { id } }`, { id })).data.document).toBeNull();
    const after = await t.gql(key.alpha!, RECALL, { q: "marmalade seville oranges" });
    expect(after.data.recall.hits.filter((h: any) => h.kind === "CHUNK" && h.text.includes("Marmalade"))).toEqual([]);
    const all = await t.mgmt(
      `{ context(id: "docs") { recall(query: "marmalade seville", topK: 50) { hits { text } } } }`,
    );
    expect(all.context.recall.hits.map((h: any) => h.text).join(" ")).not.toContain("Marmalade");
  });

  it("lists documents in upload order with cursors", async () => {
    const page1 = (
      await t.gql(
        key.alpha!,
        `{ documents(first: 2) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }`,
      )
    ).data.documents;
    expect(page1.edges.map((e: any) => e.node.title)).toEqual(["Weather log", "page"]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await t.gql(key.alpha!, `query($a: String) { documents(first: 2, after: $a) { edges { node { title } } } }`, {
        a: page1.pageInfo.endCursor,
      })
    ).data.documents;
    expect(page2.edges.map((e: any) => e.node.title)).toEqual(["cfg", "Handbook"]);
  });
});
