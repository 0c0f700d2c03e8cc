import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, remember, startTestGateway, type TestGateway } from "./harness.js";

const RECALL = `query($q: String!, $k: Int, $s: Scope, $m: RecallMode, $sid: ID) {
  recall(query: $q, topK: $k, scope: $s, mode: $m, sessionId: $sid) { mode hits { kind text score matchedBy memory { id scope } chunk { id position document { id title } } } }
}`;

async function recall(t: TestGateway, key: string, q: string, vars: Record<string, unknown> = {}) {
  const r = await t.gql(key, RECALL, { q, ...vars });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.recall as {
    mode: string;
    hits: Array<{ kind: string; text: string; score: number; matchedBy: string[]; memory: any; chunk: any }>;
  };
}

async function rememberMany(
  t: TestGateway,
  key: string,
  items: Array<{ text: string; scope?: Record<string, string> }>,
  extra: Record<string, unknown> = {},
) {
  return t.gql(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id scope } }`, {
    i: { items, ...extra },
  });
}

const ALPHA_NOTES = [
  "The deployment pipeline runs nightly builds for the billing service",
  "Billing invoices are generated on the first day of every month",
  "Our cat adoption campaign raised funds for the shelter",
  "Customer churn dropped after the onboarding redesign",
  "The billing service database migrations run before deployment",
  "Running the nightly deployment requires the release manager",
];

describe("recall in a shared Context", () => {
  let t: TestGateway;
  const key: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    for (const tenant of ["alpha", "beta", "gamma"])
      key[tenant] = await createKey(t, "platform-prod", tenant, "AGENT", { org: tenant });
    key.alphaSupervisor = await createKey(t, "platform-prod", "alpha-admin", "SUPERVISOR", { org: "alpha" });
    const r = await rememberMany(
      t,
      key.alpha!,
      ALPHA_NOTES.map((text) => ({ text })),
    );
    expect(r.errors).toBeUndefined();
    await remember(t, key.beta!, "beta billing secrets: the deployment key is hunter2");
    await t.mgmt(
      `mutation { remember(input: { contextId: "platform-prod", text: "Shared handbook: billing questions go to the finance desk", scope: {} }) { id } }`,
    );
    await remember(t, key.alpha!, "Bob prefers billing reports as spreadsheets", { user: "bob" });
  });
  afterAll(() => t.close());

  it("ranks by relevance in every mode and says which tier matched", async () => {
    for (const mode of ["HYBRID", "LEXICAL", "VECTOR"]) {
      const r = await recall(t, key.alpha!, "billing deployment", { m: mode, k: 3 });
      expect(r.mode).toBe(mode);
      expect(r.hits.length).toBe(3);
      expect(r.hits[0]!.text).toMatch(/billing/i);
      for (const h of r.hits) expect(h.matchedBy.length).toBeGreaterThan(0);
      const scores = r.hits.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
    const lexical = await recall(t, key.alpha!, "RUNS", { m: "LEXICAL" });
    // Stemming and case folding: "RUNS" finds "runs" and "Running".
    expect(lexical.hits.map((h) => h.text)).toEqual(expect.arrayContaining([ALPHA_NOTES[0], ALPHA_NOTES[5]]));
  });

  it("never returns another tenant's rows, and shares {} knowledge with everyone", async () => {
    const alpha = await recall(t, key.alpha!, "billing deployment key secrets", { k: 50 });
    expect(alpha.hits.some((h) => h.text.includes("hunter2"))).toBe(false);
    expect(alpha.hits.some((h) => h.text.startsWith("Shared handbook"))).toBe(true);
    const beta = await recall(t, key.beta!, "billing", { k: 50 });
    expect(beta.hits.map((h) => h.text).sort()).toEqual(
      [
        "Shared handbook: billing questions go to the finance desk",
        "beta billing secrets: the deployment key is hunter2",
      ].sort(),
    );
    const gamma = await recall(t, key.gamma!, "billing", { k: 50 });
    expect(gamma.hits.map((h) => h.text)).toEqual(["Shared handbook: billing questions go to the finance desk"]);
  });

  it("user-narrowed memories are recalled only by queries carrying that user", async () => {
    const orgWide = await recall(t, key.alpha!, "spreadsheets", { k: 50 });
    expect(orgWide.hits.some((h) => h.text.startsWith("Bob prefers"))).toBe(false);
    const asBob = await recall(t, key.alpha!, "spreadsheets", { k: 50, s: { user: "bob" } });
    expect(asBob.hits[0]!.text).toBe("Bob prefers billing reports as spreadsheets");
    const asAnn = await recall(t, key.alpha!, "spreadsheets", { k: 50, s: { user: "ann" } });
    expect(asAnn.hits.some((h) => h.text.startsWith("Bob prefers"))).toBe(false);
    const sideways = await t.gql(key.alpha!, RECALL, { q: "billing", s: { org: "beta" } });
    expect(codes(sideways)).toEqual(["FORBIDDEN"]);
    // A supervisor reads the whole subtree under its floor, Bob's memory included.
    const sup = await recall(t, key.alphaSupervisor!, "spreadsheets", { k: 50 });
    expect(sup.hits[0]!.text).toBe("Bob prefers billing reports as spreadsheets");
  });

  it("a tenant's hits and scores are identical before and after another tenant writes 1,000 memories with the same words", async () => {
    const before: Record<string, unknown> = {};
    for (const mode of ["HYBRID", "LEXICAL", "VECTOR"])
      before[mode] = await recall(t, key.alpha!, "billing deployment nightly", { m: mode, k: 10 });
    const items = Array.from({ length: 1000 }, (_, i) => ({
      text: `billing deployment nightly ${i % 7 === 0 ? "cat" : "runs"} batch ${i}`,
    }));
    const w = await rememberMany(t, key.gamma!, items);
    expect(w.errors).toBeUndefined();
    expect(w.data.rememberMany).toHaveLength(1000);
    for (const mode of ["HYBRID", "LEXICAL", "VECTOR"]) {
      expect(await recall(t, key.alpha!, "billing deployment nightly", { m: mode, k: 10 })).toEqual(before[mode]);
    }
    // The writes were real and are recalled by their own tenant.
    const gamma = await recall(t, key.gamma!, "billing deployment nightly", { m: "LEXICAL", k: 50 });
    expect(gamma.hits.length).toBe(50);
  });

  it("injection-shaped queries answer with results or BAD_USER_INPUT, never a server error or another tenant's row", async () => {
    const queries = [
      "'; DELETE memory; --",
      '" OR true OR "',
      "billing @@ deployment",
      "$token.ftags",
      'memory:["[]", NONE]..',
      "SELECT * FROM memory",
      "💸💸 billing 🚀",
      "חשבונית billing فاتورة",
      "\u202Ebilling\u202C",
      "x".repeat(3999),
      "billing ".repeat(500),
      "\u0000\u0001",
      "{}",
      "   ",
      "x".repeat(4001),
    ];
    for (const q of queries) {
      const r = await t.gql(key.alpha!, RECALL, { q, k: 50 });
      if (r.errors) {
        expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
        continue;
      }
      for (const h of r.data.recall.hits) {
        expect(h.text).not.toContain("hunter2");
        expect(h.text).not.toMatch(/batch \d+$/);
      }
    }
    expect(codes(await t.gql(key.alpha!, RECALL, { q: "billing", k: 51 }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await t.gql(key.alpha!, RECALL, { q: "billing", k: 0 }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("sees every write and delete at once: the corpus cache follows partition versions", async () => {
    const lexical = async () =>
      (await recall(t, key.alpha!, "zebra crossing", { m: "LEXICAL", k: 50 })).hits.map((h) => h.text);
    expect(await lexical()).toEqual([]);
    const m = await remember(t, key.alpha!, "zebra crossing near the office");
    expect(await lexical()).toEqual(["zebra crossing near the office"]);
    const f = await t.gql(key.alpha!, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, {
      ids: [m.id],
    });
    expect(f.data.forget.count).toBe(1);
    expect(await lexical()).toEqual([]);
  });

  it("concurrent writes into one partition all land (version conflicts are retried)", async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `parallel write number ${i}`);
    const results = await Promise.all(
      texts.map((text) =>
        t.gql(key.beta!, `mutation($t: String!) { remember(input: { text: $t }) { id } }`, { t: text }),
      ),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const hits = await recall(t, key.beta!, "parallel write number", { m: "LEXICAL", k: 50 });
    expect(hits.hits.map((h) => h.text).sort()).toEqual([...texts].sort());
  });

  it("filters by session, and refuses another tenant's session", async () => {
    const s = await t.gql(key.beta!, `mutation { createSession(input: {}) { id } }`);
    const sid = s.data.createSession.id;
    await t.gql(
      key.beta!,
      `mutation($s: ID) { remember(input: { text: "session-bound billing note", sessionId: $s }) { id } }`,
      { s: sid },
    );
    const inSession = await recall(t, key.beta!, "billing", { sid, k: 50 });
    expect(inSession.hits.map((h) => h.text)).toEqual(["session-bound billing note"]);
    expect(codes(await t.gql(key.alpha!, RECALL, { q: "billing", sid }))).toEqual(["NOT_FOUND"]);
  });
});

describe("rememberMany and forget", () => {
  let t: TestGateway;
  const key: Record<string, string> = {};
  const count = async (k: string) =>
    (await t.gql(k, `{ memories(first: 100) { edges { node { id } } } }`)).data.memories.edges.length;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "shared", namespace: "platform", database: "shared" }) { id } }`,
    );
    key.alpha = await createKey(t, "shared", "alpha", "AGENT", { org: "alpha" });
    key.alpha2 = await createKey(t, "shared", "alpha-2", "AGENT", { org: "alpha" });
    key.beta = await createKey(t, "shared", "beta", "AGENT", { org: "beta" });
    key.sup = await createKey(t, "shared", "alpha-admin", "SUPERVISOR", { org: "alpha" });
  });
  afterAll(() => t.close());

  it("stores every item or none", async () => {
    const before = await count(key.alpha!);
    const empty = await rememberMany(t, key.alpha!, [{ text: "fine" }, { text: "  " }]);
    expect(codes(empty)).toEqual(["BAD_USER_INPUT"]);
    const sideways = await rememberMany(t, key.alpha!, [{ text: "fine" }, { text: "sneaky", scope: { org: "beta" } }]);
    expect(codes(sideways)).toEqual(["FORBIDDEN"]);
    expect(await count(key.alpha!)).toBe(before);
    const ok = await rememberMany(t, key.alpha!, [{ text: "one" }, { text: "two", scope: { user: "bob" } }], {
      scope: {},
    });
    expect(ok.data.rememberMany.map((m: any) => m.scope)).toEqual([{ org: "alpha" }, { org: "alpha", user: "bob" }]);
  });

  it("forgets by scope: a supervisor clears a user, an agent only its own records there", async () => {
    await rememberMany(t, key.alpha!, [{ text: "carol one" }, { text: "carol two" }], { scope: { user: "carol" } });
    await rememberMany(t, key.alpha2!, [{ text: "carol three" }], { scope: { user: "carol" } });
    await remember(t, key.beta!, "beta carol", { user: "carol" });
    const forget = (k: string, input: Record<string, unknown>) =>
      t.gql(k, `mutation($i: ForgetInput!) { forget(input: $i) { count dryRun ids } }`, { i: input });

    const agentDry = await forget(key.alpha!, { scope: { user: "carol" }, dryRun: true });
    expect(agentDry.data.forget).toMatchObject({ count: 2, dryRun: true });
    const supDry = await forget(key.sup!, { scope: { user: "carol" }, dryRun: true });
    expect(supDry.data.forget.count).toBe(3);
    expect(codes(await forget(key.sup!, { scope: { org: "beta" } }))).toEqual(["FORBIDDEN"]);
    expect(codes(await forget(key.sup!, { scope: { user: "carol" }, ids: [] }))).toEqual(["BAD_USER_INPUT"]);

    const done = await forget(key.sup!, { scope: { user: "carol" } });
    expect(done.data.forget.count).toBe(3);
    const left = await t.gql(key.sup!, `{ memories(first: 100) { edges { node { text } } } }`);
    expect(left.data.memories.edges.map((e: any) => e.node.text)).not.toContain("carol one");
    const beta = await t.gql(
      key.beta!,
      `{ memories(first: 100, scope: { user: "carol" }) { edges { node { text } } } }`,
    );
    expect(beta.data.memories.edges.map((e: any) => e.node.text)).toEqual(["beta carol"]);
  });

  it("forgets by query: the best matches the caller may delete, bounded by limit", async () => {
    await rememberMany(t, key.alpha!, [
      { text: "obsolete pricing sheet v1" },
      { text: "obsolete pricing sheet v2" },
      { text: "current roadmap" },
    ]);
    await remember(t, key.alpha2!, "obsolete pricing of another key");
    const forget = (input: Record<string, unknown>) =>
      t.gql(key.alpha!, `mutation($i: ForgetInput!) { forget(input: $i) { count dryRun ids } }`, { i: input });
    const dry = await forget({ query: "obsolete pricing", limit: 5, dryRun: true });
    expect(dry.data.forget.count).toBe(2); // alpha-2's record matches but is not alpha's to delete
    const one = await forget({ query: "obsolete pricing", limit: 1 });
    expect(one.data.forget.count).toBe(1);
    const texts = (
      await t.gql(key.alpha!, `{ memories(first: 100) { edges { node { text } } } }`)
    ).data.memories.edges.map((e: any) => e.node.text);
    expect(texts.filter((x: string) => x.startsWith("obsolete pricing sheet"))).toHaveLength(1);
    expect(texts).toContain("current roadmap");
    expect(codes(await forget({ query: "obsolete", limit: 500 }))).toEqual(["BAD_USER_INPUT"]);
  });
});
