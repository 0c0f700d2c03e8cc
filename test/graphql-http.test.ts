import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditServer, type AuditResult } from "graphql-http";
import { startTestGateway, type TestGateway } from "./harness.js";

/**
 * The graphql-http server audit (GraphQL over HTTP spec) against the started server. Every
 * MUST passes. The remaining SHOULD/MAY items are listed here and in the README with the
 * reason; a new one fails this test until it is fixed or explained.
 */
const EXPLAINED: Record<string, string> = {
  "5A70": "GET without a preflight header is refused by Apollo's CSRF prevention, which we keep on",
  D6D5: "same: CSRF prevention refuses simple GET requests",
  "6A70": "same: CSRF prevention refuses simple GET requests",
};

describe("GraphQL over HTTP conformance (graphql-http audit)", () => {
  let t: TestGateway;
  let results: AuditResult[];

  beforeAll(async () => {
    t = await startTestGateway();
    results = await auditServer({ url: t.http.url });
  });
  afterAll(() => t.close());

  it("passes every MUST", () => {
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.status === "error").map((r) => `${r.id} ${r.name}`)).toEqual([]);
  });

  it("leaves only the explained SHOULD/MAY items", () => {
    expect(
      results
        .filter((r) => r.status !== "ok")
        .map((r) => r.id)
        .sort(),
    ).toEqual(Object.keys(EXPLAINED).sort());
  });

  it("answers application/graphql-response+json when asked, with 4xx for a broken document", async () => {
    const ok = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(ok.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    expect(await ok.json()).toEqual({ data: { __typename: "Query" } });
    const broken = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: "{" }),
    });
    expect(broken.status).toBe(400);
    const legacy = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: "{" }),
    });
    expect(legacy.status).toBe(200);
    expect((await legacy.json()).errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("keeps batching off", async () => {
    const r = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    });
    expect(r.status).toBe(400);
  });
});
