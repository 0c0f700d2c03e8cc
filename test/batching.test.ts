import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, startTestGateway, type TestGateway } from "./harness.js";

/** Nested fields go through per-request DataLoaders: round trips do not grow with the page. */
describe("DataLoader batching", () => {
  let t: TestGateway;
  let agent: string;
  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(`mutation { createContext(input: { id: "p", namespace: "platform", database: "p" }) { id } }`);
    agent = await createKey(t, "p", "agent", "AGENT", { org: "alpha" });
    for (let i = 0; i < 50; i++) {
      const s = await t.gql(agent, `mutation { createSession(input: {}) { id } }`);
      const id = s.data.createSession.id;
      await t.gql(
        agent,
        `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "hi" }) { seq }
        remember(input: { text: "m", sessionId: $s }) { id } }`,
        { s: id },
      );
    }
  });
  afterAll(() => t.close());

  async function queriesFor(first: number): Promise<number> {
    const ctx = await t.gateway.requestContext(agent, "count");
    const tenant = ctx.tenant();
    const page = await tenant.sessions.page({ first });
    await Promise.all(
      page.items.flatMap((s) => [tenant.sessions.turns(s, { first: 10 }), tenant.sessions.memories(s, 10)]),
    );
    const memories = await tenant.memories.page({ first });
    await Promise.all(memories.items.map((m) => tenant.memories.session(m)));
    return ctx.tenancy.counter.queries;
  }

  it("50 sessions with turns and memories cost the same round trips as 2", async () => {
    // The first call also loads the partitions into the corpus cache (a look for their persisted
    // snapshots, then a scan: they have none) and reads where each partition starts (three queries
    // more, once per process); compare warm calls.
    const cold = await queriesFor(2);
    const small = await queriesFor(2);
    const large = await queriesFor(50);
    expect(large).toBe(small);
    expect(cold).toBe(small + 3);
    expect(large).toBeLessThanOrEqual(6);
  });

  it("the same query over HTTP returns every nested list", async () => {
    const r = await t.gql(
      agent,
      `{ sessions(first: 50) { edges { node { id turns { edges { node { seq content } } } memories { text session { id } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.sessions.edges).toHaveLength(50);
    for (const { node } of r.data.sessions.edges) {
      expect(node.turns.edges).toEqual([{ node: { seq: 1, content: "hi" } }]);
      expect(node.memories).toEqual([{ text: "m", session: { id: node.id } }]);
    }
  });
});
