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

/** A short dialogue in two sessions; QUESTIONS name the turn (index) that answers each. */
const DIALOGUE: Array<{ session: number; text: string }> = [
  { session: 1, text: "[8 May 2023] Melanie: What have you been researching lately?" },
  { session: 1, text: "[8 May 2023] Caroline: Adoption agencies. I want to give a kid a loving home." },
  { session: 1, text: "[8 May 2023] Melanie: You would be such a great mom!" },
  { session: 1, text: "[8 May 2023] Caroline: I also went to a pottery class on Friday." },
  { session: 2, text: "[9 June 2023] Melanie: We went camping at the beach with the kids." },
  { session: 2, text: "[9 June 2023] Caroline: Which beach did you camp at?" },
  { session: 2, text: "[9 June 2023] Melanie: Point Reyes, we roasted marshmallows." },
  { session: 2, text: "[9 June 2023] Caroline: My pottery bowl came out of the kiln today." },
  { session: 2, text: "[9 June 2023] Melanie: Research on camping says kids sleep better outdoors." },
];
const QUESTIONS: Array<[string, number]> = [
  ["What did Caroline research?", 1],
  ["Where did Melanie camp with her kids?", 6],
  ["What did Caroline make in pottery class?", 7],
  ["Did Melanie go camping?", 4],
];
const MODES = ["LEXICAL", "VECTOR", "HYBRID"] as const;

describe("recall ranking is the tenant's own: alone, shared, every embedding", () => {
  let t: TestGateway;
  const key: Record<string, string> = {};

  /** Writes DIALOGUE as the key's sessions, one rememberMany per session. */
  async function writeDialogue(k: string, prefix = "") {
    for (const n of [1, 2]) {
      const s = await t.gql(k, `mutation { createSession(input: {}) { id } }`);
      const sid = s.data.createSession.id;
      const items = DIALOGUE.filter((d) => d.session === n).map((d) => ({ text: `${prefix}${d.text}` }));
      const w = await rememberMany(t, k, items, { sessionId: sid });
      expect(w.errors).toBeUndefined();
    }
  }
  /** Everything a caller sees of the answer except record ids, per mode and question. */
  async function answers(k: string) {
    const out: Record<string, unknown> = {};
    for (const mode of MODES)
      for (const [q] of QUESTIONS) {
        const r = await recall(t, k, q, { m: mode, k: 5 });
        out[`${mode} ${q}`] = r.hits.map((h) => [h.text, h.score, h.matchedBy]);
      }
    return out;
  }

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "shared", namespace: "platform", database: "shared" }) { id } }`,
    );
    await t.mgmt(`mutation { createContext(input: { id: "solo", namespace: "tenants", database: "solo" }) { id } }`);
    await t.mgmt(
      `mutation { createContext(input: { id: "hashed", namespace: "platform", database: "hashed", config: { models: { embedding: "local/hash-embedding" } } }) { id } }`,
    );
    key.alpha = await createKey(t, "shared", "alpha", "AGENT", { org: "alpha" });
    key.beta = await createKey(t, "shared", "beta", "AGENT", { org: "beta" });
    key.solo = await createKey(t, "solo", "alpha", "AGENT", { org: "alpha" });
    key.soloGamma = await createKey(t, "solo", "gamma", "AGENT", { org: "gamma" });
    key.hashAlpha = await createKey(t, "hashed", "alpha", "AGENT", { org: "alpha" });
    key.hashBeta = await createKey(t, "hashed", "beta", "AGENT", { org: "beta" });
    // Shared: beta writes the same words before and after alpha; solo: alpha alone.
    await writeDialogue(key.beta!, "beta ");
    await writeDialogue(key.alpha!);
    await writeDialogue(key.beta!);
    await writeDialogue(key.solo!);
    await writeDialogue(key.hashAlpha!);
  });
  afterAll(() => t.close());

  it("a tenant alone and the same tenant in a shared Context get identical hits, order, scores and tiers", async () => {
    const shared = await answers(key.alpha!);
    expect(await answers(key.solo!)).toEqual(shared);
    // Not vacuous: every question found something.
    for (const hits of Object.values(shared)) expect((hits as unknown[]).length).toBeGreaterThan(0);
  });

  it("equal scores fuse equally: identical memories tie in every mode, newer first", async () => {
    const first = await remember(t, key.soloGamma!, "kayak trip to the lake");
    const second = await remember(t, key.soloGamma!, "kayak trip to the lake");
    await remember(t, key.soloGamma!, "tax forms are due");
    for (const mode of MODES) {
      const r = await recall(t, key.soloGamma!, "kayak lake", { m: mode, k: 5 });
      expect(r.hits.map((h) => h.memory.id)).toEqual([second.id, first.id]);
      expect(r.hits[0]!.score).toBe(r.hits[1]!.score);
    }
  });

  it("HYBRID finds at least what LEXICAL and VECTOR find, with the default and with local/hash-embedding", async () => {
    for (const [k, strictlyBetter] of [
      [key.alpha!, true],
      [key.hashAlpha!, false],
    ] as const) {
      const found: Record<string, number> = {};
      for (const mode of MODES) {
        found[mode] = 0;
        for (const [q, answer] of QUESTIONS) {
          const r = await recall(t, k, q, { m: mode, k: 3 });
          if (r.hits.some((h) => h.text === DIALOGUE[answer]!.text)) found[mode] += 1;
        }
      }
      expect(found.HYBRID).toBeGreaterThanOrEqual(Math.max(found.LEXICAL!, found.VECTOR!));
      // With the default tier the context finds the answers that follow a matching turn.
      if (strictlyBetter) expect(found.HYBRID).toBeGreaterThan(found.LEXICAL!);
    }
  });

  it("another tenant's writes move neither hits nor scores, in every mode, with local/hash-embedding too", async () => {
    const before = { shared: await answers(key.alpha!), hashed: await answers(key.hashAlpha!) };
    await writeDialogue(key.beta!, "more ");
    await writeDialogue(key.hashBeta!);
    const w = await rememberMany(
      t,
      key.hashBeta!,
      Array.from({ length: 300 }, (_, i) => ({ text: `Caroline research pottery camping kids ${i}` })),
    );
    expect(w.errors).toBeUndefined();
    expect(await answers(key.alpha!)).toEqual(before.shared);
    expect(await answers(key.hashAlpha!)).toEqual(before.hashed);
    // The writes landed: beta's own recall sees them.
    expect((await recall(t, key.hashBeta!, "Caroline pottery", { k: 50 })).hits.length).toBe(50);
  });
});
