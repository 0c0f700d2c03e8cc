import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signKeyToken } from "../src/db/jwt.js";
import { codes, createKey, MANAGEMENT_KEY, startTestGateway, type TestGateway } from "./harness.js";

/**
 * Issue 9: the same floor algebra on every path. Each `it` is one of the numbered
 * inputs with the right value. `A` is an agent key floored {org: "acme"} in a shared Context.
 */
const REMEMBER = `mutation($i: RememberInput!) { remember(input: $i) { id scope } }`;

async function ok<T = any>(
  t: TestGateway,
  key: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const r = await t.gql(key, query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

describe("one scope algebra on every path (issue 9)", () => {
  let t: TestGateway;
  let A: string;
  let B: string; // a second agent of acme
  let sup: string; // supervisor of acme
  let other: string; // an agent of another tenant, same Context

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    A = await createKey(t, "platform-prod", "acme-a", "AGENT", { org: "acme" });
    B = await createKey(t, "platform-prod", "acme-b", "AGENT", { org: "acme" });
    sup = await createKey(t, "platform-prod", "acme-admin", "SUPERVISOR", { org: "acme" });
    other = await createKey(t, "platform-prod", "globex", "AGENT", { org: "globex" });
  });
  afterAll(() => t.close());

  it("1. a key uses what it wrote at a narrowed scope: sessions, memories, derived facts, document chunks", async () => {
    const { createSession: s } = await ok(
      t,
      A,
      `mutation { createSession(input: { scope: { user: "bob" } }) { id scope } }`,
    );
    expect(s.scope).toEqual({ org: "acme", user: "bob" });
    const turn = await ok(
      t,
      A,
      `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "hi" }) { seq } }`,
      {
        s: s.id,
      },
    );
    expect(turn.addTurn.seq).toBe(1);
    const m = await ok(t, A, REMEMBER, { i: { text: "bob likes pears", sessionId: s.id, scope: { user: "bob" } } });
    const read = await ok(
      t,
      A,
      `query($s: ID!, $m: ID!) { session(id: $s) { id turns { edges { node { content } } } memories { text } }
        memory(id: $m) { text session { id } } }`,
      { s: s.id, m: m.remember.id },
    );
    expect(read.session).toEqual({
      id: s.id,
      turns: { edges: [{ node: { content: "hi" } }] },
      memories: [{ text: "bob likes pears" }],
    });
    expect(read.memory).toEqual({ text: "bob likes pears", session: { id: s.id } });
    // Another agent of the same org keeps the subset rule: none of it is B's to read or touch.
    const b = await t.gql(B, `query($s: ID!, $m: ID!) { session(id: $s) { id } memory(id: $m) { id } }`, {
      s: s.id,
      m: m.remember.id,
    });
    expect(b).toEqual({ data: { session: null, memory: null } });
    const bTurn = await t.gql(
      B,
      `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "x" }) { seq } }`,
      {
        s: s.id,
      },
    );
    expect(codes(bTurn)).toEqual(["NOT_FOUND"]);
    const ended = await ok(t, A, `mutation($s: ID!) { endSession(id: $s) { endedAt } }`, { s: s.id });
    expect(ended.endSession.endedAt).toEqual(expect.any(String));

    const inferred = await ok(
      t,
      A,
      `mutation { remember(input: { text: "Dan moved to Lisbon in May. Dan works as a ceramicist.", infer: true, scope: { user: "dan" } }) { id } }`,
    );
    const src = await ok(t, A, `query($m: ID!) { memory(id: $m) { scope derived { text source { id } } } }`, {
      m: inferred.remember.id,
    });
    expect(src.memory.scope).toEqual({ org: "acme", user: "dan" });
    expect(src.memory.derived.length).toBeGreaterThan(0);
    expect(src.memory.derived[0].source).toEqual({ id: inferred.remember.id });

    const doc = await ok(
      t,
      A,
      `mutation { uploadDocument(input: { title: "bob's notes", mimeType: "text/plain", content: "Quarterly pear harvest notes for bob.", scope: { user: "bob" } }) { document { id chunks { position } } } }`,
    );
    expect(doc.uploadDocument.document.chunks).toEqual([{ position: 0 }]);
    const cited = await ok(
      t,
      A,
      `{ recall(query: "pear harvest", scope: { user: "bob" }) { hits { kind chunk { document { title } } } } }`,
    );
    expect(cited.recall.hits.find((h: any) => h.kind === "CHUNK").chunk.document).toEqual({ title: "bob's notes" });
  });

  it("2. forget by scope reaches every record at or under the named scope that the caller may delete", async () => {
    const ids: string[] = [];
    for (const scope of [{}, { user: "zed" }, { user: "zed", topic: "fruit" }]) {
      ids.push((await ok(t, A, REMEMBER, { i: { text: `zed record ${JSON.stringify(scope)}`, scope } })).remember.id);
    }
    const bs = (await ok(t, B, REMEMBER, { i: { text: "B's zed record", scope: { user: "zed", topic: "fruit" } } }))
      .remember.id;
    const underZed = await ok(
      t,
      A,
      `mutation { forget(input: { scope: { user: "zed" }, dryRun: true }) { count ids } }`,
    );
    expect(underZed.forget.ids.sort()).toEqual([ids[1], ids[2]].sort());
    const all = await ok(t, A, `mutation { forget(input: { scope: { org: "acme" }, dryRun: true }) { count ids } }`);
    expect(all.forget.ids).toEqual(expect.arrayContaining(ids));
    expect(all.forget.ids).not.toContain(bs); // agents: their own records only
    const gone = await ok(t, A, `mutation { forget(input: { scope: { user: "zed" } }) { count } }`);
    expect(gone.forget.count).toBe(2);
    const left = await ok(t, sup, `{ memories(first: 100, scope: { user: "zed" }) { edges { node { id } } } }`);
    expect(left.memories.edges.map((e: any) => e.node.id).sort()).toEqual([ids[0], bs].sort());
    // A supervisor takes the whole subtree under the named scope.
    const bySup = await ok(t, sup, `mutation { forget(input: { scope: { user: "zed" } }) { count ids } }`);
    expect(bySup.forget.ids).toEqual([bs]);
  });

  it("3. unknown, invisible and forgotten ids answer null, NOT_FOUND or 0 for every principal, never a server error", async () => {
    const foreign = (await ok(t, other, REMEMBER, { i: { text: "globex secret" } })).remember.id;
    const foreignSession = (await ok(t, other, `mutation { createSession(input: {}) { id } }`)).createSession.id;
    const foreignDoc = (
      await ok(
        t,
        other,
        `mutation { uploadDocument(input: { title: "g", mimeType: "text/plain", content: "globex handbook" }) { document { id } } }`,
      )
    ).uploadDocument.document.id;
    const garbage = [
      "x",
      "eyJhIjoxfQ",
      "W10",
      Buffer.from('[["zz"],"01ARZ3NDEKTSV4RRFFQ69G5FAV"]').toString("base64url"),
    ];
    for (const key of [A, sup, MANAGEMENT_KEY]) {
      const ctx = key === MANAGEMENT_KEY ? "platform-prod" : null;
      for (const id of [foreign, foreignSession, foreignDoc, ...garbage]) {
        const own = key !== MANAGEMENT_KEY;
        const read = own
          ? await t.gql(
              key,
              `query($id: ID!) { memory(id: $id) { id } session(id: $id) { id } document(id: $id) { id } }`,
              { id },
            )
          : await t.gql(
              key,
              `query($id: ID!) { context(id: "platform-prod") { memory(id: $id) { text } session(id: $id) { id } document(id: $id) { id } } }`,
              { id },
            );
        expect(codes(read), `${id} read`).toEqual([]);
        if (own) expect(read.data).toEqual({ memory: null, session: null, document: null });
        const forget = await t.gql(
          key,
          `mutation($ids: [ID!]!, $c: ID) { forget(input: { ids: $ids, contextId: $c }) { count } }`,
          {
            ids: [id],
            c: ctx,
          },
        );
        expect(codes(forget)).toEqual([]);
        if (own) expect(forget.data.forget.count).toBe(0);
        if (own) {
          const del = await t.gql(key, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id });
          expect(codes(del)).toEqual(["NOT_FOUND"]);
          const recall = await t.gql(
            key,
            `query($id: ID!) { recall(query: "secret", sessionId: $id) { hits { text } } }`,
            { id },
          );
          expect(codes(recall)).toEqual(["NOT_FOUND"]);
          const entities = await t.gql(
            key,
            `query($r: [_Any!]!) { _entities(representations: $r) { ... on Memory { id } ... on Session { id } } }`,
            {
              r: [
                { __typename: "Memory", id },
                { __typename: "Session", id },
              ],
            },
          );
          expect(entities).toEqual({ data: { _entities: [null, null] } });
        }
      }
    }
    // The source of a forgotten memory is null, for the writer and its supervisor alike.
    const made = await ok(
      t,
      A,
      `mutation { remember(input: { text: "Eve runs the bakery on Main Street.", infer: true }) { id derived { id } } }`,
    );
    await ok(t, A, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, { ids: [made.remember.id] });
    for (const key of [A, sup]) {
      const fact = await t.gql(key, `query($id: ID!) { memory(id: $id) { source { id } } }`, {
        id: made.remember.derived[0].id,
      });
      expect(fact).toEqual({ data: { memory: { source: null } } });
    }
  });

  it("4. floors that storage would make equal are refused; values are compared as given, in NFC only", async () => {
    const key = (floor: Record<string, string>) =>
      t.gql(
        MANAGEMENT_KEY,
        `mutation($f: Scope!) { createKey(contextId: "platform-prod", input: { name: "u${Math.random().toString(36).slice(2, 8)}", principal: AGENT, scopeFloor: $f }) { key { id } } }`,
        {
          f: floor,
        },
      );
    for (const value of [
      "acme\ud800",
      "acme\udbff",
      "acme\u0000",
      "acme\ufffe",
      "acme\ufeff",
      "acme\u202e",
      " acme",
      "cafe\u0301",
    ]) {
      expect(codes(await key({ org: value })), JSON.stringify(value)).toEqual(["BAD_USER_INPUT"]);
      expect(
        codes(await t.gql(A, REMEMBER, { i: { text: "x", scope: { user: value } } })),
        JSON.stringify(value),
      ).toEqual(["BAD_USER_INPUT"]);
    }
    expect(codes(await key({ org: "caf\u00e9" }))).toEqual([]); // the NFC spelling of the same word is accepted
    expect(codes(await key({ org: "👩‍👩‍👧" }))).toEqual([]); // emoji sequences keep their joiners
  });

  it("5. untrusted strings are never plain-object keys: a budget per user stops __proto__ like bob", async () => {
    await t.mgmt(`mutation { createContext(input: { id: "budgets", namespace: "platform", database: "budgets",
      config: { scopeTokenLimits: { dimension: "user", default: 1000 } } }) { id } }`);
    const key = await createKey(t, "budgets", "agent", "AGENT", { org: "acme" });
    for (const user of ["bob", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
      let refused = false;
      let answered = 0;
      for (let i = 0; i < 30 && !refused; i++) {
        const r = await t.gql(
          key,
          `mutation($s: Scope) { answer(input: { question: "what do we know?", scope: $s }) { text } }`,
          {
            s: { user },
          },
        );
        refused = codes(r).includes("TOKEN_LIMIT_EXCEEDED");
        if (!refused) expect(codes(r)).toEqual([]);
        if (!refused) answered += 1;
      }
      expect(refused, user).toBe(true);
      expect(answered, user).toBeGreaterThan(0); // each user has its own budget, spent call by call
    }
  });

  it("6. usage adds up: a tenant key's tokenUsage covers every call under its floor and equals the operator's figure", async () => {
    await ok(
      t,
      A,
      `mutation { answer(input: { question: "What did Dan do in May?", scope: { user: "dan" } }) { text } }`,
    );
    await ok(t, A, `mutation { answer(input: { question: "What does bob like?" }) { text } }`);
    const mine = await ok(t, A, `{ tokenUsage(groupBy: ["org"]) { scope totalTokens calls } }`);
    const operator = await t.mgmt(
      `{ context(id: "platform-prod") { tokenUsage(groupBy: ["org"]) { scope totalTokens calls } } }`,
    );
    const acme = operator.context.tokenUsage.filter((u: any) => u.scope.org === "acme");
    const sum = (rows: any[]) => rows.reduce((n, u) => n + u.totalTokens, 0);
    expect(sum(mine.tokenUsage)).toBe(sum(acme));
    expect(mine.tokenUsage.reduce((n: number, u: any) => n + u.calls, 0)).toBeGreaterThanOrEqual(3); // incl. the infer calls
    expect(mine.tokenUsage.every((u: any) => u.scope.org === "acme")).toBe(true);
  });

  it("7. one Context's record token is useless in every other Context, at the database too", async () => {
    const contexts = await t.gateway.control.contexts();
    const prod = contexts.find((c) => c.id === "platform-prod")!;
    const budgets = contexts.find((c) => c.id === "budgets")!;
    expect(prod.accessKey).not.toBe(budgets.accessKey);
    const claims = (ctx: typeof prod) => ({
      ns: ctx.namespace,
      db: ctx.database,
      keyId: "k",
      principal: "AGENT",
      floor: {},
      ttlSeconds: 60,
    });
    await t.mgmt(
      `mutation { remember(input: { contextId: "budgets", text: "budgets-only record", scope: { org: "acme" } }) { id } }`,
    );
    const session = async (token: string, ctx: typeof prod) => {
      const s = await t.gateway.db.newSession();
      await s.use({ namespace: ctx.namespace, database: ctx.database });
      await s.authenticate(token);
      return s;
    };
    // Signed with prod's key but naming budgets' database: refused by budgets' own access method.
    await expect(session(signKeyToken(prod.accessKey, claims(budgets)).token, budgets)).rejects.toThrow();
    // prod's own token works in prod, and nowhere else: budgets' database cannot be selected from it.
    const s = await session(signKeyToken(prod.accessKey, claims(prod)).token, prod);
    try {
      await expect(s.query(`USE DB ${budgets.database}; SELECT * FROM memory;`).collect()).rejects.toThrow(
        /permission/,
      );
      // The SDK's use() may answer without error; what matters is that nothing of budgets is readable after it.
      const afterUse = await s
        .use({ namespace: budgets.namespace, database: budgets.database })
        .then(() => s.query("SELECT count() AS n FROM memory GROUP ALL").collect())
        .catch((e: Error) => e.message);
      expect(JSON.stringify(afterUse)).not.toMatch(/"n":[1-9]/);
      const held = await t.mgmt(`{ context(id: "budgets") { memories { edges { node { id } } } } }`);
      expect(held.context.memories.edges.length).toBeGreaterThan(0); // the control: budgets does hold memories
    } finally {
      await s.closeSession().catch(() => undefined);
    }
  });

  it("8. the scope audit flags a floorless key in a Context that holds several orgs", async () => {
    const audit = async () =>
      (await t.mgmt(`{ scopeAudit(contextId: "platform-prod") { passed checks { name count } } }`)).scopeAudit;
    const flagged = (a: any) => a.checks.find((c: any) => c.name.startsWith("active keys whose floor does not fix"));
    expect(flagged(await audit()).count).toBe(0);
    await createKey(t, "platform-prod", "wide-open", "AGENT", {});
    const after = await audit();
    expect(flagged(after).count).toBe(1);
    expect(after.passed).toBe(false);
    await t.mgmt(`mutation { revokeKey(contextId: "platform-prod", name: "wide-open") { id } }`);
  });
});
