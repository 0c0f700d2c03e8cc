import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANAGEMENT_KEY, codes, startTestGateway, type TestGateway, noteSecret } from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";
import { setLogDestination } from "../src/log.js";

const PROVIDER_SECRET = noteSecret("sk-observability-provider-secret-42");

describe("logs, health, readiness and metrics", () => {
  const lines: string[] = [];
  const secrets: string[] = [MANAGEMENT_KEY, PROVIDER_SECRET];
  let t: TestGateway;
  let api: FakeOpenAI;

  let previousLevel: string | undefined;

  beforeAll(async () => {
    previousLevel = process.env.SCOPEGATE_LOG;
    process.env.SCOPEGATE_LOG = "debug";
    setLogDestination({
      write: (line: string) => {
        lines.push(line);
      },
    });
    api = await startFakeOpenAI();
    t = await startTestGateway();
    // A full tour that handles every kind of secret: management key, key secrets (created,
    // rotated, revoked), a provider key, failing provider calls and wrong secrets.
    await t.mgmt(
      `mutation($c: ContextConfigInput) { createContext(input: { id: "obs", namespace: "tenants", database: "obs", config: $c }) { id } }`,
      {
        c: {
          models: { response: "openai/gpt-4o", embedding: "openai/text-embedding-3-small" },
          providers: { openai: PROVIDER_SECRET },
          providerUrls: { openai: api.baseUrl },
        },
      },
    );
    const created = await t.mgmt(
      `mutation { createKey(contextId: "obs", input: { name: "agent", principal: AGENT, scopeFloor: { org: "o" } }) { secret key { id } } }`,
    );
    const first: string = created.createKey.secret;
    secrets.push(noteSecret(first));
    await t.gql(first, `mutation Remember { remember(input: { text: "observability memo" }) { id } }`);
    const rotated: string = (await t.mgmt(`mutation { rotateKey(contextId: "obs", name: "agent") { secret } }`))
      .rotateKey.secret;
    secrets.push(noteSecret(rotated));
    expect(codes(await t.gql(first, `query Me { me { kind } }`))).toEqual(["UNAUTHENTICATED"]);
    await t.gql(rotated, `mutation Ask { answer(input: { question: "memo?" }) { text } }`);
    api.failNext(500, 10);
    expect(codes(await t.gql(rotated, `mutation Ask { answer(input: { question: "memo?" }) { text } }`))).toEqual([
      "INTERNAL_SERVER_ERROR",
    ]);
    api.failNext(200, 0);
    const wrong = `sgk_${"0".repeat(20)}_${"A".repeat(43)}`;
    secrets.push(wrong);
    expect(codes(await t.gql(wrong, `query Me { me { kind } }`))).toEqual(["UNAUTHENTICATED"]);
    await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", "api-key": rotated },
      body: JSON.stringify({ query: "query Me { me { kind } }" }),
    });
  });
  afterAll(async () => {
    await t.close();
    await api.close();
    process.env.SCOPEGATE_LOG = previousLevel;
    setLogDestination(undefined);
  });

  it("no secret the run created or used appears in any log line", () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
      expect(lines.filter((l) => l.includes(secret.slice(-20)))).toEqual([]);
    }
  });

  it("each request is one structured line with request id, Context, key, operation, duration and outcome", () => {
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "graphql request");
    const ask = requests.filter((r) => r.operation === "Ask");
    expect(ask.map((r) => r.outcome)).toEqual(["ok", "INTERNAL_SERVER_ERROR"]);
    for (const r of ask) {
      expect(r).toMatchObject({
        contextId: "obs",
        keyId: expect.any(String),
        caller: "CONTEXT_KEY",
        service: "scopegate",
      });
      expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.durationMs).toBeGreaterThan(0);
    }
    const masked = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "masked internal error");
    expect(masked.requestId).toBe(ask[1].requestId);
    // The same line carries the cause (here the provider's 500), so a client's report finds it.
    expect(masked.err).toMatch(/\b500\b/);
    expect(requests.filter((r) => r.operation === "Me").map((r) => r.outcome)).toEqual([
      "UNAUTHENTICATED",
      "UNAUTHENTICATED",
      "ok",
    ]);
  });

  it("serves /healthz, /readyz and Prometheus /metrics", async () => {
    const base = t.http.url.replace(/\/graphql$/, "");
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    // /metrics needs the management key (or SCOPEGATE_METRICS_TOKEN); operations are labelled by root field.
    const metrics = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${MANAGEMENT_KEY}` } })
    ).text();
    expect(metrics).toMatch(/scopegate_graphql_requests_total\{operation="answer",outcome="ok"\} 1/);
    expect(metrics).toMatch(/scopegate_graphql_requests_total\{operation="answer",outcome="INTERNAL_SERVER_ERROR"\} 1/);
    expect(metrics).toMatch(
      /scopegate_graphql_request_duration_seconds_bucket\{le="[^"]+",operation="answer",outcome="ok"\} 1/,
    );
    expect(metrics).toMatch(
      /scopegate_llm_tokens_total\{context="obs",purpose="RESPONSE",model="openai\/gpt-4o",kind="prompt"\} 100/,
    );
    expect(metrics).toMatch(
      /scopegate_llm_calls_total\{context="obs",purpose="EMBEDDING",model="openai\/text-embedding-3-small",outcome="ERROR"\} 1/,
    );
    expect(metrics).toMatch(/scopegate_db_queries_total\{context="obs"\} \d+/);
    expect(metrics).toMatch(/scopegate_write_conflicts\{outcome="retried"\} \d+/);
    expect(metrics).toMatch(/scopegate_write_conflicts\{outcome="surfaced"\} \d+/);
    for (const secret of secrets) expect(metrics).not.toContain(secret);
  });
});
