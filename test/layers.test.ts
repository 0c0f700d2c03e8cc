import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalId } from "../src/domain/globalIds.js";
import type { LayerSwitches } from "../src/db/executor/scopedExecutor.js";
import { codes, createKey, issueToken, memoryTexts, remember, startTestGateway, type TestGateway } from "./harness.js";

/**
 * DESIGN §4: a bug in any one layer must not leak. Each configuration switches layers off
 * (test-only switches) and replays the same cross-tenant attacks in a shared Context.
 */
const CONFIGS: Array<[string, Partial<LayerSwitches>]> = [
  ["shield off", { shield: false }],
  ["executor predicate off", { executorPredicate: false }],
  ["database permissions off", { dbPermissions: false }],
  ["only database permissions on", { shield: false, executorPredicate: false }],
  ["only the executor on", { shield: false, dbPermissions: false }],
];

describe.each(CONFIGS)("with %s", (_name, layers) => {
  let t: TestGateway;
  let alpha: string;
  let beta: string;
  let betaMemory: string;
  let betaSession: string;

  beforeAll(async () => {
    t = await startTestGateway(layers);
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    alpha = await createKey(t, "platform-prod", "tenant-alpha", "AGENT", { org: "alpha" });
    beta = await createKey(t, "platform-prod", "tenant-beta", "AGENT", { org: "beta" });
    betaMemory = (await remember(t, beta, "beta private")).id;
    const s = await t.gql(beta, `mutation { createSession(input: {}) { id } }`);
    betaSession = s.data.createSession.id;
    await remember(t, alpha, "alpha private");
    await t.gql(
      beta,
      `mutation { uploadDocument(input: { title: "beta handbook", mimeType: "text/plain", content: "beta private handbook pages" }) { document { id } } }`,
    );
  });
  afterAll(() => t.close());

  it("alpha's recall, document list and forget by scope or query reach nothing of beta, even with beta's partition cached", async () => {
    const warm = await t.gql(beta, `{ recall(query: "beta private handbook", topK: 50) { hits { text } } }`);
    expect(warm.data.recall.hits.length).toBe(2); // beta's memory and chunk are now in the corpus cache
    for (const mode of ["HYBRID", "LEXICAL", "VECTOR"]) {
      const r = await t.gql(
        alpha,
        `query($m: RecallMode) { recall(query: "beta private handbook", topK: 50, mode: $m) { hits { text } } }`,
        { m: mode },
      );
      expect(r.data.recall.hits.map((h: any) => h.text)).toEqual(
        mode === "LEXICAL" ? ["alpha private"] : expect.not.arrayContaining([expect.stringContaining("beta")]),
      );
    }
    const widened = await t.gql(alpha, `{ recall(query: "handbook", scope: {org: "beta"}) { hits { text } } }`);
    expect(widened.data?.recall ?? null).toBeNull();
    const docs = await t.gql(alpha, `{ documents { edges { node { title } } } }`);
    expect(docs.data.documents.edges).toEqual([]);
    const byScope = await t.gql(alpha, `mutation { forget(input: { scope: {org: "beta"} }) { count } }`);
    expect(byScope.data?.forget.count ?? 0).toBe(0);
    const byQuery = await t.gql(
      alpha,
      `mutation { forget(input: { query: "beta handbook pages", limit: 50 }) { count } }`,
    );
    expect(byQuery.data?.forget.count ?? 0).toBe(0);
    const still = await t.gql(beta, `{ recall(query: "beta private handbook", topK: 50) { hits { text } } }`);
    expect(still.data.recall.hits.map((h: any) => h.text).sort()).toEqual([
      "beta private",
      "beta private handbook pages",
    ]);
  });

  it("alpha lists and reads nothing of beta", async () => {
    expect(await memoryTexts(t, alpha)).toEqual(["alpha private"]);
    const r = await t.gql(
      alpha,
      `query($m: ID!, $s: ID!) { memory(id: $m) { text } session(id: $s) { id } sessions { edges { node { id } } } }`,
      { m: betaMemory, s: betaSession },
    );
    expect(r.data?.memory ?? null).toBeNull();
    expect(r.data?.session ?? null).toBeNull();
    expect(r.data?.sessions.edges ?? []).toEqual([]);
  });

  it("alpha cannot widen its view or write into beta's scope", async () => {
    const read = await t.gql(alpha, `{ memories(scope: {org: "beta"}) { edges { node { text } } } }`);
    expect(read.data?.memories ?? null).toBeNull();
    const write = await t.gql(alpha, `mutation { remember(input: { text: "planted", scope: {org: "beta"} }) { id } }`);
    expect(codes(write)).toEqual(["FORBIDDEN"]);
    expect(await memoryTexts(t, beta)).toEqual(["beta private"]);
  });

  it("alpha cannot forget, end or add turns to beta's records", async () => {
    const f = await t.gql(alpha, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, {
      ids: [betaMemory],
    });
    expect(f.data?.forget.count ?? 0).toBe(0);
    const turn = await t.gql(
      alpha,
      `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "x" }) { seq } }`,
      { s: betaSession },
    );
    expect(codes(turn)).toEqual(["NOT_FOUND"]);
    const end = await t.gql(alpha, `mutation($s: ID!) { endSession(id: $s) { id } }`, { s: betaSession });
    expect(codes(end)).toEqual(["NOT_FOUND"]);
    expect(await memoryTexts(t, beta)).toEqual(["beta private"]);
  });

  it("context keys never reach the control plane", async () => {
    const r = await t.gql(alpha, `{ contexts { id } keys(contextId: "platform-prod") { name } }`);
    expect(r.data?.contexts ?? null).toBeNull();
    expect(codes(r)).toContain("FORBIDDEN");
  });

  // Last in this block: it adds a session of alpha's, which the listing test above expects none of.
  it("a READ token of alpha's reads alpha's records and changes nothing, nor reaches beta", async () => {
    const token = (await issueToken(t, alpha, { access: "READ" })).token;
    const session = (await t.gql(alpha, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
    const own = (await t.gql(alpha, `{ memories { edges { node { id } } } }`)).data.memories.edges[0].node.id;
    expect(await memoryTexts(t, token)).toEqual(["alpha private"]);
    const attempts: Array<[string, Record<string, unknown>?]> = [
      [`mutation { remember(input: { text: "read-only write" }) { id } }`],
      [`mutation { rememberMany(input: { items: [{ text: "read-only write" }] }) { id } }`],
      [`mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, { ids: [own, betaMemory] }],
      [`mutation { forget(input: { scope: { org: "alpha" } }) { count } }`],
      [`mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "x" }) { seq } }`, { s: session }],
      [`mutation($s: ID!) { endSession(id: $s) { id } }`, { s: session }],
      [
        `mutation { uploadDocument(input: { title: "x", mimeType: "text/plain", content: "read-only" }) { document { id } } }`,
      ],
    ];
    for (const [query, variables] of attempts) {
      const r = await t.gql(token, query, variables);
      expect(codes(r), query).toEqual(["FORBIDDEN"]);
    }
    expect(await memoryTexts(t, alpha)).toEqual(["alpha private"]);
    expect(await memoryTexts(t, beta)).toEqual(["beta private"]);
    const s = await t.gql(
      alpha,
      `query($s: ID!) { session(id: $s) { endedAt turnCount: turns { edges { node { seq } } } } }`,
      {
        s: session,
      },
    );
    expect(s.data.session).toEqual({ endedAt: null, turnCount: { edges: [] } });
    const read = await t.gql(token, `query($m: ID!) { memory(id: $m) { text } }`, { m: betaMemory });
    expect(read.data?.memory ?? null).toBeNull();
  });
});

describe("the database layer alone refuses a forged write", () => {
  it("a write stamped with another tenant's scope is refused by SurrealDB permissions", async () => {
    const t = await startTestGateway({ shield: false, executorPredicate: false });
    try {
      await t.mgmt(`mutation { createContext(input: { id: "p", namespace: "platform", database: "p" }) { id } }`);
      const alpha = await createKey(t, "p", "a", "AGENT", { org: "alpha" });
      const ctx = await t.gateway.requestContext(alpha, "test");
      const executor = await ctx.tenant().binding.executor();
      const item = (text: string, scope: Record<string, string>) => ({
        text,
        scope,
        terms: { text: 1 },
        len: 1,
        emb: null,
        embModel: null,
        sessionId: null,
        metadata: null,
      });
      await expect(executor.memories.create([item("forged", { org: "beta" })])).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      // All or none: one refused item in a batch stores nothing.
      await expect(
        executor.memories.create([item("ok", { org: "alpha" }), item("forged", { org: "beta" })]),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(executor.memories.create([item("ok", { org: "alpha" })])).resolves.toMatchObject([
        { scope: { org: "alpha" } },
      ]);
      const all = await t.mgmt(`{ context(id: "p") { memories { edges { node { text } } } } }`);
      expect(all.context.memories.edges.map((e: any) => e.node.text)).toEqual(["ok"]);
    } finally {
      await t.close();
    }
  });
});

describe("the database layer alone refuses a READ credential's writes", () => {
  it("with the shield and the executor's predicates off, a READ token's session creates, updates and deletes nothing", async () => {
    const t = await startTestGateway({ shield: false, executorPredicate: false });
    try {
      await t.mgmt(`mutation { createContext(input: { id: "p", namespace: "platform", database: "p" }) { id } }`);
      const alpha = await createKey(t, "p", "a", "AGENT", { org: "alpha" });
      const kept = await remember(t, alpha, "kept");
      const session = (await t.gql(alpha, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
      const token = (await issueToken(t, alpha, { access: "READ" })).token;
      const ctx = await t.gateway.requestContext(token, "test");
      // The executor directly: no shield, no access rules, no predicates; only SurrealDB's permissions.
      // It takes the local ids inside the API's global ones.
      const executor = await ctx.tenant().binding.executor();
      const sessionLocal = decodeGlobalId(session)!.local;
      const keptLocal = decodeGlobalId(kept.id)!.local;
      const item = {
        text: "read-only write",
        scope: { org: "alpha" },
        terms: { text: 1 },
        len: 1,
        emb: null,
        embModel: null,
        sessionId: null,
        metadata: null,
      };
      await expect(executor.memories.create([item])).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(executor.sessions.create({ org: "alpha" }, null)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(executor.turns.append(sessionLocal, "USER", "x")).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await executor.sessions.end(sessionLocal, { kind: "all" })).toBeNull();
      expect(
        await executor.memories.deleteIds([keptLocal], { kind: "all" }, { under: {}, owner: null }, false),
      ).toEqual([]);
      expect(await executor.memories.deleteUnder({ org: "alpha" }, { under: {}, owner: null }, false)).toEqual([]);
      // The one thing a READ session may create: the decision trace of its own model call (recall's embedding).
      await expect(
        executor.traces.record({
          scope: { org: "alpha" },
          purpose: "EMBEDDING",
          model: "x/y",
          promptTokens: 1,
          completionTokens: 0,
          latencyMs: 1,
          sessionId: null,
          outcome: "SUCCESS",
          error: null,
        }),
      ).resolves.toBeUndefined();
      const all = await t.mgmt(
        `{ context(id: "p") { memories { edges { node { text } } } session(id: "${session}") { endedAt turns { edges { node { seq } } } } } }`,
      );
      expect(all.context.memories.edges.map((e: any) => e.node.text)).toEqual(["kept"]);
      expect(all.context.session).toEqual({ endedAt: null, turns: { edges: [] } });
    } finally {
      await t.close();
    }
  });
});
