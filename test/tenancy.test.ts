import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MANAGEMENT_KEY,
  codes,
  createKey,
  memoryTexts,
  provisionSeparate,
  provisionShared,
  remember,
  startTestGateway,
  type TestGateway,
} from "./harness.js";

const TENANTS = ["alpha", "beta", "gamma"] as const;

describe("pattern 1: a Context per tenant (seed provisioning)", () => {
  let t: TestGateway;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway();
    for (const tenant of TENANTS) keys[tenant] = await provisionSeparate(t, tenant);
    for (const tenant of TENANTS) ids[tenant] = (await remember(t, keys[tenant]!, `${tenant} secret plan`)).id;
  });
  afterAll(() => t.close());

  it("each key sees only its own Context's data", async () => {
    for (const tenant of TENANTS) expect(await memoryTexts(t, keys[tenant]!)).toEqual([`${tenant} secret plan`]);
  });

  it("no key reads, forgets or names another tenant's records or Context", async () => {
    const r = await t.gql(keys.alpha!, `query($id: ID!) { memory(id: $id) { text } }`, { id: ids.beta });
    expect(r.data.memory).toBeNull();
    const f = await t.gql(keys.alpha!, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, {
      ids: [ids.beta, ids.gamma],
    });
    expect(f.data.forget.count).toBe(0);
    const named = await t.gql(
      keys.alpha!,
      `mutation { remember(input: { text: "x", contextId: "tenant-beta" }) { id } }`,
    );
    expect(codes(named)).toEqual(["FORBIDDEN"]);
    expect(codes(await t.gql(keys.alpha!, `{ context(id: "tenant-beta") { id } }`))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.gql(keys.alpha!, `{ keys(contextId: "tenant-beta") { name } }`))).toEqual(["FORBIDDEN"]);
    expect(await memoryTexts(t, keys.beta!)).toEqual(["beta secret plan"]);
  });

  it("provider secrets are write-only", async () => {
    const d = await t.mgmt(
      `{ context(id: "tenant-alpha") { config { providersConfigured tokenLimit models { response } } } }`,
    );
    expect(d.context.config).toEqual({
      providersConfigured: ["openai"],
      tokenLimit: 1000000,
      models: { response: "openai/gpt-4o" },
    });
    expect(JSON.stringify(d)).not.toContain("sk-test-secret");
  });

  it("updateContext deep-merges a patch and takes effect on the next request", async () => {
    const d =
      await t.mgmt(`mutation { updateContext(id: "tenant-gamma", config: { models: { response: "openai/gpt-4.1" }, chunking: { size: 256 } }) {
      config { tokenLimit models { extraction response embedding } chunking { size overlap } providersConfigured } } }`);
    expect(d.updateContext.config).toEqual({
      tokenLimit: 1000000,
      providersConfigured: ["openai"],
      chunking: { size: 256, overlap: 64 },
      models: { extraction: "openai/gpt-4o-mini", response: "openai/gpt-4.1", embedding: "local/contextual-tfidf" },
    });
    const again = await t.mgmt(`{ context(id: "tenant-gamma") { config { models { response } chunking { size } } } }`);
    expect(again.context.config).toEqual({ models: { response: "openai/gpt-4.1" }, chunking: { size: 256 } });
    const bad = await t.gql(
      MANAGEMENT_KEY,
      `mutation { updateContext(id: "tenant-gamma", config: { tokenLimit: -1 }) { id } }`,
    );
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    const missing = await t.gql(
      MANAGEMENT_KEY,
      `mutation { updateContext(id: "nope", config: { tokenLimit: 1 }) { id } }`,
    );
    expect(codes(missing)).toEqual(["NOT_FOUND"]);
  });

  it("deleting tenant-beta drops exactly its database and leaves alpha and gamma byte-for-byte intact", async () => {
    const snapshot = async () =>
      JSON.stringify(
        await t.mgmt(`{ contexts { id name namespace database config { tokenLimit }
      memories(first: 100) { edges { node { id text scope createdAt } } } keys { id name scopeFloor createdAt } } }`),
      );
    const before = JSON.parse(await snapshot()).contexts.filter((c: any) => c.name !== "tenant-beta");
    await t.mgmt(`mutation { deleteContext(id: "tenant-beta") }`);
    const after = JSON.parse(await snapshot()).contexts;
    expect(after.map((c: any) => c.name)).toEqual(["tenant-alpha", "tenant-gamma"]);
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    expect(codes(await t.gql(keys.beta!, `{ me { kind } }`))).toEqual(["UNAUTHENTICATED"]);
    expect(await memoryTexts(t, keys.alpha!)).toEqual(["alpha secret plan"]);
  });

  it("rejects duplicate ids, reserved namespaces and bad ids", async () => {
    const create = (id: string, ns: string, db: string) =>
      t.gql(
        MANAGEMENT_KEY,
        `mutation($id: ID!, $ns: String!, $db: String!) { createContext(input: { id: $id, namespace: $ns, database: $db }) { id } }`,
        { id, ns, db },
      );
    expect(codes(await create("tenant-alpha", "tenants", "other"))).toEqual(["CONFLICT"]);
    expect(codes(await create("other", "tenants", "alpha"))).toEqual(["CONFLICT"]);
    expect(codes(await create("x", "scopegate", "x"))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await create("Bad_Id", "tenants", "x"))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await create("x'; REMOVE NAMESPACE tenants; --", "tenants", "x"))).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("pattern 2: many tenants in one shared Context (seed provisioning)", () => {
  let t: TestGateway;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let operator: string;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    for (const tenant of TENANTS) keys[tenant] = await provisionShared(t, tenant);
    operator = await createKey(t, "platform-prod", "operator", "AGENT", {});
    await remember(t, operator, "product faq: shared general knowledge", {});
    for (const tenant of TENANTS) {
      ids[tenant] = (await remember(t, keys[tenant]!, `${tenant} roadmap`)).id;
      await remember(t, keys[tenant]!, `${tenant} bob's note`, { user: "bob" });
    }
  });
  afterAll(() => t.close());

  it("every tenant sees its own records plus shared {} knowledge, nothing of the others", async () => {
    for (const tenant of TENANTS) {
      expect(await memoryTexts(t, keys[tenant]!)).toEqual(
        [`${tenant} roadmap`, "product faq: shared general knowledge"].sort(),
      );
      expect(await memoryTexts(t, keys[tenant]!, { user: "bob" })).toEqual(
        [`${tenant} roadmap`, `${tenant} bob's note`, "product faq: shared general knowledge"].sort(),
      );
    }
  });

  it("writes carry the floor; a key cannot move sideways or broaden", async () => {
    const m = await remember(t, keys.alpha!, "narrowed", { user: "ann" });
    expect(m.scope).toEqual({ org: "alpha", user: "ann" });
    for (const scope of [{ org: "beta" }, { org: "beta", user: "bob" }]) {
      const r = await t.gql(keys.alpha!, `mutation($s: Scope) { remember(input: { text: "x", scope: $s }) { id } }`, {
        s: scope,
      });
      expect(codes(r)).toEqual(["FORBIDDEN"]);
    }
    const literal = await t.gql(keys.alpha!, `{ memories(scope: {org: "beta"}) { edges { node { text } } } }`);
    expect(codes(literal)).toEqual(["FORBIDDEN"]);
    const bad = await t.gql(keys.alpha!, `{ memories(scope: {org: 5}) { edges { node { text } } } }`);
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
  });

  it("no key reads, counts or forgets another tenant's records, even in batches with aliases", async () => {
    const r = await t.gql(
      keys.alpha!,
      `query($b: ID!, $g: ID!) { b: memory(id: $b) { text } g: memory(id: $g) { text } }`,
      { b: ids.beta, g: ids.gamma },
    );
    expect(r.data).toEqual({ b: null, g: null });
    const f = await t.gql(keys.alpha!, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, {
      ids: [ids.beta, ids.gamma],
    });
    expect(f.data.forget.count).toBe(0);
    expect(await memoryTexts(t, keys.beta!)).toContain("beta roadmap");
    const shared = await t.gql(keys.alpha!, `{ memories { edges { node { id text } } } }`);
    const sharedId = shared.data.memories.edges.find((e: any) => e.node.text.startsWith("product faq")).node.id;
    const f2 = await t.gql(keys.alpha!, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, {
      ids: [sharedId],
    });
    expect(f2.data.forget.count).toBe(0);
  });

  it("injection strings in text fields are stored as text and change nothing else", async () => {
    const nasty = ["'; DELETE memory; --", '" } ; REMOVE TABLE memory; {', "$token.ftags", "@@ 1", "𝔘𝔫𝔦 ✓ שלום"];
    for (const text of nasty) {
      const m = await remember(t, keys.gamma!, text, { user: "eve" });
      expect(m.scope).toEqual({ org: "gamma", user: "eve" });
    }
    expect(await memoryTexts(t, keys.gamma!, { user: "eve" })).toEqual(expect.arrayContaining(nasty));
    expect(await memoryTexts(t, keys.beta!)).toContain("beta roadmap");
    // An id that cannot name a record is an unknown id: null, like one the caller may not see.
    const weird = await t.gql(keys.alpha!, `query($id: ID!) { memory(id: $id) { text } }`, { id: "x' OR true --" });
    expect(weird).toEqual({ data: { memory: null } });
  });

  it("a supervisor reads the whole subtree under its floor and nothing beyond", async () => {
    const sup = await createKey(t, "platform-prod", "alpha-admin", "SUPERVISOR", { org: "alpha" });
    const texts = await memoryTexts(t, sup);
    expect(texts).toContain("alpha bob's note");
    expect(texts.some((x) => x.startsWith("beta") || x.startsWith("gamma"))).toBe(false);
    const s = await t.gql(sup, `mutation { createSession(input: {}) { id } }`);
    expect(codes(s)).toEqual(["FORBIDDEN"]);
  });
});
