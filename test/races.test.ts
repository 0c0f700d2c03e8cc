import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heldLocks } from "../src/db/writeLocks.js";
import { codes, createKey, MANAGEMENT_KEY, startTestGateway, type TestGateway } from "./harness.js";

/**
 * Issue 10 (1, 3, 4): races on the embedded default engine (`surrealkv://`, where the engine's
 * own first-committer-wins check can let two commits of one row both pass, see writeLocks.ts).
 * No racing request answers INTERNAL_SERVER_ERROR; what a caller is told was stored is stored;
 * what was acknowledged before a redaction or a revocation is gone or refused afterwards.
 */
describe("races on surrealkv://", () => {
  let t: TestGateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "scopegate-races-"));
    t = await startTestGateway(undefined, {}, { surrealUrl: `surrealkv://${dir}` });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let contexts = 0;
  /** A fresh Context with `n` agent keys floored {org: beta} and one floored {org: alpha}. */
  async function freshContext(n: number): Promise<{ id: string; writers: string[]; alpha: string }> {
    const id = `races-${++contexts}`;
    await t.mgmt(`mutation { createContext(input: { id: "${id}", namespace: "races", database: "${id}" }) { id } }`);
    const writers: string[] = [];
    for (let i = 0; i < n; i++) writers.push(await createKey(t, id, `w${i}`, "AGENT", { org: "beta" }));
    const alpha = await createKey(t, id, "alpha", "AGENT", { org: "alpha" });
    return { id, writers, alpha };
  }

  /** Records at or under {org: beta}, per table, as the management plane counts them (a dry-run redaction). */
  async function countsUnderBeta(contextId: string): Promise<Record<string, number>> {
    const r = await t.mgmt(
      `mutation { redactScope(contextId: "${contextId}", scope: { org: "beta" }, dryRun: true) { counts { table count } } }`,
    );
    return Object.fromEntries(r.redactScope.counts.map((c: { table: string; count: number }) => [c.table, c.count]));
  }

  /** The databases of the "races" namespace, read without USE-ing any of them (USE defines a missing one). */
  async function databasesOfRaces(): Promise<string[]> {
    const s = await t.gateway.db.newSession();
    try {
      await s.use({ namespace: "races" });
      const [info] = await s.query<[{ databases: Record<string, string> }]>("INFO FOR NS").collect();
      return Object.keys(info.databases);
    } finally {
      await s.closeSession();
    }
  }

  const addTurn = (key: string, sessionId: string, content: string) =>
    t.request(
      key,
      `mutation($s: ID!, $c: String!) { addTurn(sessionId: $s, input: { role: USER, content: $c }) { seq content } }`,
      {
        s: sessionId,
        c: content,
      },
    );
  const storedTurns = async (key: string, sessionId: string) => {
    const turns: Array<{ seq: number; content: string }> = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await t.gql(
        key,
        `query($s: ID!, $a: String) { session(id: $s) { turns(first: 100, after: $a) { edges { node { seq content } } pageInfo { hasNextPage endCursor } } } }`,
        { s: sessionId, a: after },
      );
      const page = r.data.session.turns;
      turns.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) return turns;
      after = page.pageInfo.endCursor;
    }
  };

  it("60 concurrent addTurn to one session, 5 rounds: distinct seqs 1…60, each told turn stored as told", async () => {
    const { writers } = await freshContext(1);
    const key = writers[0]!;
    for (let round = 0; round < 5; round++) {
      const sid = (await t.gql(key, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => addTurn(key, sid, `r${round} t${i}`)));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(answers.flatMap((a) => codes(a.body as any))).toEqual([]);
      const told = answers.map((a) => (a.body as any).data.addTurn as { seq: number; content: string });
      expect(told.map((x) => x.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const stored = await storedTurns(key, sid);
      expect(stored.sort((a, b) => a.seq - b.seq)).toEqual(told.sort((a, b) => a.seq - b.seq));
    }
    expect(heldLocks()).toBe(0);
  });

  it("endSession racing 30 addTurn: every turn it told is stored, none lands after the end, no 500", async () => {
    const { writers } = await freshContext(1);
    const key = writers[0]!;
    const sid = (await t.gql(key, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
    const turns = Array.from({ length: 30 }, (_, i) => addTurn(key, sid, `t${i}`));
    const end = t.request(key, `mutation($s: ID!) { endSession(id: $s) { endedAt } }`, { s: sid });
    const answers = await Promise.all(turns);
    expect(codes((await end).body as any)).toEqual([]);
    const told = answers.filter((a) => !(a.body as any).errors).map((a) => (a.body as any).data.addTurn);
    // A turn that lost the race to the end answers CONFLICT ("session has ended").
    for (const a of answers) expect(codes(a.body as any).filter((c) => c !== "CONFLICT")).toEqual([]);
    const stored = await storedTurns(key, sid);
    expect(stored.sort((a, b) => a.seq - b.seq)).toEqual(told.sort((a: any, b: any) => a.seq - b.seq));
    expect(codes((await addTurn(key, sid, "late")).body as any)).toEqual(["CONFLICT"]);
  });

  it("redactScope while 3 keys write there: every record acknowledged before the call is gone, racing writes answer CONFLICT, other orgs untouched", async () => {
    const { id, writers, alpha } = await freshContext(3);
    await t.gql(alpha, `mutation { remember(input: { text: "alpha stays" }) { id } }`);
    const seeded: string[] = [];
    for (let b = 0; b < 4; b++) {
      const r = await t.gql(writers[0]!, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items: Array.from({ length: 250 }, (_, i) => ({ text: `seed ${b} ${i}`, scope: { user: `u${i % 5}` } })) },
      });
      expect(r.errors).toBeUndefined();
      seeded.push(...r.data.rememberMany.map((m: { id: string }) => m.id));
    }
    let stop = false;
    const seen: string[] = [];
    /** Memories and documents each writer was told it stored, with when it was told. */
    const acked: Array<{ key: string; ids: string[]; at: number }> = [];
    const loops = writers.map(async (key, w) => {
      for (let i = 0; !stop; i++) {
        const r =
          i % 4 === 3
            ? await t.request(key, `mutation { createSession(input: {}) { id } }`)
            : i % 3 === 0
              ? await t.request(
                  key,
                  `mutation($t: String!) { remember(input: { text: $t, scope: { user: "u1" } }) { id } }`,
                  { t: `w${w} ${i}` },
                )
              : i % 3 === 1
                ? await t.request(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
                    i: { items: Array.from({ length: 40 }, (_, j) => ({ text: `w${w} ${i} ${j}` })) },
                  })
                : await t.request(
                    key,
                    `mutation($t: String!) { uploadDocument(input: { title: "d", mimeType: "text/plain", content: $t }) { document { id } } }`,
                    { t: `doc w${w} ${i} `.repeat(40) },
                  );
        seen.push(...(codes(r.body as any).length ? codes(r.body as any) : ["ok"]));
        const data = (r.body as any).data ?? {};
        const ids = [
          data.remember?.id,
          ...(data.rememberMany ?? []).map((m: any) => m.id),
          data.uploadDocument?.document?.id,
        ];
        acked.push({ key, ids: ids.filter(Boolean), at: Date.now() });
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    const started = Date.now();
    const r = await t.request(
      MANAGEMENT_KEY,
      `mutation { redactScope(contextId: "${id}", scope: { org: "beta" }) { counts { table count } remaining { table count } verified } }`,
    );
    stop = true;
    await Promise.all(loops);
    expect(codes(r.body as any)).toEqual([]);
    const result = (r.body as any).data.redactScope;
    expect(result.verified).toBe(true);
    expect(Object.fromEntries(result.counts.map((c: any) => [c.table, c.count])).memory).toBeGreaterThanOrEqual(1000);
    expect([...new Set(seen)].filter((c) => c !== "ok" && c !== "CONFLICT")).toEqual([]);
    // Everything acknowledged before the call started is gone (each key reads its own records by id).
    const before = acked.filter((a) => a.at < started);
    expect(before.length).toBeGreaterThan(0);
    before.push({ key: writers[0]!, ids: seeded, at: 0 });
    for (const { key, ids } of before) {
      for (let i = 0; i < ids.length; i += 100) {
        const found = await t.gql(key, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
          ids: ids.slice(i, i + 100),
        });
        expect(found.data.nodes.filter(Boolean)).toEqual([]);
      }
    }
    // Writes after the redaction returned land whole and stay; the alpha tenant never noticed.
    const alphaMemories = await t.gql(alpha, `{ memories(first: 10) { edges { node { text } } } }`);
    expect(alphaMemories.data.memories.edges.map((e: any) => e.node.text)).toEqual(["alpha stays"]);
    const settled = (await countsUnderBeta(id)).memory!;
    const after = await t.gql(writers[1]!, `mutation { remember(input: { text: "after" }) { id } }`);
    expect(after.errors).toBeUndefined();
    expect((await countsUnderBeta(id)).memory).toBe(settled + 1);
    expect(heldLocks()).toBe(0);
  });

  it("deleteContext while its keys write and read: each request answers ok, NOT_FOUND or UNAUTHENTICATED, never a 500", async () => {
    const { id, writers } = await freshContext(3);
    let stop = false;
    const seen = new Set<string>();
    const loops = writers.map(async (key, w) => {
      for (let i = 0; !stop; i++) {
        const r =
          i % 5 === 0
            ? await t.request(key, `mutation($t: String!) { remember(input: { text: $t }) { id } }`, {
                t: `w${w} ${i}`,
              })
            : i % 5 === 1
              ? await t.request(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
                  i: { items: Array.from({ length: 40 }, (_, j) => ({ text: `w${w} ${i} ${j}` })) },
                })
              : i % 5 === 2
                ? await t.request(
                    key,
                    `{ memories(first: 5) { edges { node { id } } } recall(query: "w1") { hits { text } } }`,
                  )
                : i % 5 === 3
                  ? await t.request(key, `mutation { createSession(input: {}) { id } }`)
                  : // A model call reserves and settles its budget on the Context's root session.
                    await t.request(key, `mutation { answer(input: { question: "what did w1 say?" }) { text } }`);
        expect(r.status).toBeLessThan(500);
        if (codes(r.body as any).includes("INTERNAL_SERVER_ERROR"))
          console.error("internal:", i % 5, JSON.stringify(r.body));
        for (const c of codes(r.body as any).length ? codes(r.body as any) : ["ok"]) seen.add(c);
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(await t.mgmt(`mutation { deleteContext(id: "${id}") }`)).toEqual({ deleteContext: true });
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all(loops);
    expect([...seen].filter((c) => !["ok", "NOT_FOUND", "UNAUTHENTICATED"].includes(c))).toEqual([]);
    expect(seen.has("UNAUTHENTICATED")).toBe(true);
    // The engine's USE defines a missing database: no request that was already past authentication
    // may bring the deleted Context's database back (empty) after the drop.
    expect(await databasesOfRaces()).not.toContain(id);
  });

  it("root-session work (budgets, credential states, maintenance) whose session a deleteContext closes answers NOT_FOUND", async () => {
    const { id } = await freshContext(1);
    const stored = (await t.gateway.contexts.stored(id))!;
    // A model call's budget settle holds the Context's root session when the deletion closes it.
    const settle = t.gateway.tenants.onRoot(stored, async (session) => {
      await t.mgmt(`mutation { deleteContext(id: "${id}") }`);
      return session.query("UPSERT budget:['2026-11', '*'] SET used += 1").collect();
    });
    await expect(settle).rejects.toMatchObject({ code: "NOT_FOUND" });
    // And work that starts after the deletion does not bring the database back.
    await expect(t.gateway.tenants.onRoot(stored, (s) => s.query("RETURN 1").collect())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await databasesOfRaces()).not.toContain(id);
    // Re-created with the same id, namespace and database: the old incarnation's late work still
    // answers NOT_FOUND and never runs on (or charges) the new one.
    await new Promise((r) => setTimeout(r, 2)); // a distinct createdAt
    await t.mgmt(`mutation { createContext(input: { id: "${id}", namespace: "races", database: "${id}" }) { id } }`);
    const fresh = (await t.gateway.contexts.stored(id))!;
    expect(await t.gateway.tenants.onRoot(fresh, (s) => s.query("RETURN 1").collect())).toEqual([1]);
    await expect(
      t.gateway.tenants.onRoot(stored, (s) => s.query("UPSERT budget:['2026-11', '*'] SET used += 1").collect()),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [budget] = await t.gateway.tenants.onRoot(fresh, (s) => s.query("SELECT * FROM budget").collect());
    expect(budget).toEqual([]);
  });

  it("deleteContext during a redaction waits for it: the redaction completes, then the Context goes", async () => {
    const { id, writers } = await freshContext(1);
    await t.gql(writers[0]!, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
      i: { items: Array.from({ length: 1500 }, (_, i) => ({ text: `doomed ${i}` })) },
    });
    const redaction = t.request(
      MANAGEMENT_KEY,
      `mutation { redactScope(contextId: "${id}", scope: { org: "beta" }) { verified } }`,
    );
    await new Promise((r) => setTimeout(r, 50));
    const deletion = t.request(MANAGEMENT_KEY, `mutation { deleteContext(id: "${id}") }`);
    const [redacted, deleted] = await Promise.all([redaction, deletion]);
    expect(codes(deleted.body as any)).toEqual([]);
    const answered = codes(redacted.body as any);
    if (answered.length) expect(answered).toEqual(["NOT_FOUND"]);
    else expect((redacted.body as any).data.redactScope.verified).toBe(true);
    expect(heldLocks()).toBe(0);
  });

  it("revokeKey during a 3,000-item rememberMany: nothing of the key commits after the revocation returned", async () => {
    const { id, writers } = await freshContext(1);
    const key = writers[0]!;
    const write = t.request(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
      i: { items: Array.from({ length: 3000 }, (_, i) => ({ text: `bulk item ${i} about apples and pears` })) },
    });
    await new Promise((r) => setTimeout(r, 150));
    await t.mgmt(`mutation { revokeKey(contextId: "${id}", name: "w0") { revokedAt } }`);
    const atRevocation = (await countsUnderBeta(id)).memory;
    const answer = await write;
    await new Promise((r) => setTimeout(r, 500));
    expect((await countsUnderBeta(id)).memory).toBe(atRevocation);
    const answered = codes(answer.body as any);
    if (answered.length === 0) expect(atRevocation).toBe(3000);
    else expect(answered).toEqual(["UNAUTHENTICATED"]);
  });
});
