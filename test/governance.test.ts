import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, remember, startTestGateway, type TestGateway } from "./harness.js";
import { RetentionScheduler } from "../src/jobs/retentionScheduler.js";

const DAY = 86_400_000;
const SNAPSHOT = `{ memories(first: 100) { edges { node { id text scope } } } documents { edges { node { id title chunkCount } } }
  sessions { edges { node { id turns { edges { node { content } } } } } } recall(query: "plan notes", topK: 20) { hits { text score } } }`;
const USAGE = `{ context(id: "platform-prod") { tokenUsage(groupBy: ["org"]) { scope totalTokens calls } } }`;
const AUDIT = `{ scopeAudit(contextId: "platform-prod") { passed checks { name count passed } tables { name matches } keys { name recordsMissingFloor revokedAt } counts { table value count } markdown json } }`;

async function seedTenant(t: TestGateway, key: string, tenant: string) {
  await remember(t, key, `${tenant} plan notes`);
  await remember(t, key, `${tenant} private plan notes of bob`, { user: "bob" });
  const s = (await t.gql(key, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
  await t.gql(
    key,
    `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "hello from ${tenant}" }) { seq } }`,
    { s },
  );
  await t.gql(
    key,
    `mutation { uploadDocument(input: { title: "${tenant} handbook", mimeType: "text/plain", content: "${tenant} handbook: plan notes live here." }) { document { id } } }`,
  );
  const a = await t.gql(key, `mutation { answer(input: { question: "where do plan notes live?" }) { text } }`);
  expect(a.errors).toBeUndefined();
}

describe("retention, redaction and the scope audit", () => {
  let t: TestGateway;
  const key: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(`mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod",
      config: { retentionDays: 365, retentionPolicies: [{ scope: { org: "alpha" }, days: 30 }] } }) { id } }`);
    for (const tenant of ["alpha", "beta", "gamma"]) {
      key[tenant] = await createKey(t, "platform-prod", tenant, "AGENT", { org: tenant });
      await seedTenant(t, key[tenant]!, tenant);
    }
    key.betaAdmin = await createKey(t, "platform-prod", "beta-admin", "SUPERVISOR", { org: "beta" });
    await t.mgmt(
      `mutation { remember(input: { contextId: "platform-prod", text: "shared plan notes for everyone", scope: {} }) { id } }`,
    );
  });
  afterAll(() => t.close());

  it("retention removes exactly what is older than the most specific policy, and dry runs count the same", async () => {
    const now = Date.now();
    const governance = t.gateway.governance;
    const early = await governance.runRetention("platform-prod", true, new Date(now + 29 * DAY));
    expect(early.counts.every((c) => c.count === 0)).toBe(true);
    const dry = await governance.runRetention("platform-prod", true, new Date(now + 31 * DAY));
    // alpha: 2 memories, 1 document, its chunk, 1 session, 1 turn; beta, gamma and {} fall under the 365-day Context rule.
    expect(Object.fromEntries(dry.counts.map((c) => [c.table, c.count]))).toEqual({
      chunk: 1,
      document: 1,
      memory: 2,
      turn: 1,
      session: 1,
    });
    const before = { beta: await t.gql(key.beta!, SNAPSHOT), gamma: await t.gql(key.gamma!, SNAPSHOT) };
    const ctx = await t.gateway.contexts.stored("platform-prod");
    const versions = async () => {
      const [rows] = await t.gateway.tenants.onRoot(ctx, (s) =>
        s
          .query("SELECT scope.org AS org, version FROM partition")
          .collect<[Array<{ org?: string; version: number }>]>(),
      );
      return Object.fromEntries(rows.map((r) => [r.org ?? "{}", r.version]));
    };
    const versionsBefore = await versions();

    const real = await governance.runRetention("platform-prod", false, new Date(now + 31 * DAY));
    // Only the partition it deleted from changes version: the others keep their caches and snapshots.
    const versionsAfter = await versions();
    expect(versionsAfter.alpha).toBeGreaterThan(versionsBefore.alpha!);
    expect({ ...versionsAfter, alpha: 0 }).toEqual({ ...versionsBefore, alpha: 0 });
    expect(real.counts).toEqual(dry.counts);
    const alpha = await t.gql(key.alpha!, SNAPSHOT);
    expect(alpha.data.memories.edges.map((e: any) => e.node.text)).toEqual(["shared plan notes for everyone"]);
    expect(alpha.data.documents.edges).toEqual([]);
    expect(alpha.data.sessions.edges).toEqual([]);
    expect(alpha.data.recall.hits.map((h: any) => h.text)).toEqual(["shared plan notes for everyone"]);
    expect(await t.gql(key.beta!, SNAPSHOT)).toEqual(before.beta);
    expect(await t.gql(key.gamma!, SNAPSHOT)).toEqual(before.gamma);
    // Usage accounting is not retention's to delete.
    const usage = (await t.mgmt(USAGE)).context.tokenUsage;
    expect(usage.find((u: any) => u.scope.org === "alpha")?.calls).toBe(1);
  });

  it("only one replica runs a scheduled pass: the control-plane lease", async () => {
    const a = new RetentionScheduler(t.gateway.control, t.gateway.contexts, t.gateway.governance, 60_000);
    const b = new RetentionScheduler(t.gateway.control, t.gateway.contexts, t.gateway.governance, 60_000);
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    expect(await a.tick()).toBe(true); // the holder renews
  });

  it("redacting {org: beta} removes beta everywhere, leaves alpha and gamma identical, keeps usage, and the audit passes", async () => {
    await t.gql(key.alpha!, `mutation { remember(input: { text: "alpha plan notes again" }) { id } }`);
    const before = {
      alpha: await t.gql(key.alpha!, SNAPSHOT),
      gamma: await t.gql(key.gamma!, SNAPSHOT),
      usage: (await t.mgmt(USAGE)).context.tokenUsage,
    };

    const dry = await t.mgmt(
      `mutation { redactScope(contextId: "platform-prod", scope: { org: "beta" }, dryRun: true, revokeKeys: true) { counts { table count } revokedKeys { name } verified } }`,
    );
    expect(Object.fromEntries(dry.redactScope.counts.map((c: any) => [c.table, c.count]))).toEqual({
      chunk: 1,
      document: 1,
      memory: 2,
      turn: 1,
      session: 1,
      decision_trace: 1,
    });
    expect(dry.redactScope.revokedKeys.map((k: any) => k.name).sort()).toEqual(["beta", "beta-admin"]);
    expect(
      (await t.gql(key.beta!, `{ memories { edges { node { text } } } }`)).data.memories.edges.map(
        (e: any) => e.node.text,
      ),
    ).toContain("beta plan notes"); // dry run deleted nothing

    const r = await t.mgmt(
      `mutation { redactScope(contextId: "platform-prod", scope: { org: "beta" }, revokeKeys: true) { counts { table count } remaining { table count } verified revokedKeys { name revokedAt } } }`,
    );
    expect(r.redactScope.verified).toBe(true);
    expect(r.redactScope.remaining.every((c: any) => c.count === 0)).toBe(true);
    expect(r.redactScope.counts).toEqual(dry.redactScope.counts);
    expect(codes(await t.gql(key.beta!, `{ me { kind } memories { edges { node { id } } } }`))).toContain(
      "UNAUTHENTICATED",
    );

    expect(await t.gql(key.alpha!, SNAPSHOT)).toEqual(before.alpha);
    expect(await t.gql(key.gamma!, SNAPSHOT)).toEqual(before.gamma);
    expect((await t.mgmt(USAGE)).context.tokenUsage).toEqual(before.usage); // beta's past usage survives as a rollup

    const audit = (await t.mgmt(AUDIT)).scopeAudit;
    expect(audit.checks.filter((c: any) => !c.passed)).toEqual([]);
    expect(audit.passed).toBe(true);
    expect(audit.tables.length).toBeGreaterThanOrEqual(7);
    expect(audit.tables.every((x: any) => x.matches)).toBe(true);
    expect(audit.counts.filter((c: any) => c.value === "beta")).toEqual([]);
    expect(audit.counts.find((c: any) => c.table === "memory" && c.value === "gamma").count).toBe(2);
    expect(audit.markdown).toContain("**Result: PASS**");
    expect(audit.json.passed).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/sgk_|hash/);
  });

  it("the audit fails when a table's permissions no longer match the migrations", async () => {
    await t.mgmt(
      `mutation { createContext(input: { id: "tampered", namespace: "platform", database: "tampered" }) { id } }`,
    );
    const ctx = await t.gateway.contexts.stored("tampered");
    const root = await t.gateway.tenants.forRoot(ctx);
    await root.query("DEFINE TABLE OVERWRITE memory SCHEMAFULL PERMISSIONS FULL").collect();
    const audit = (
      await t.mgmt(
        `{ scopeAudit(contextId: "tampered") { passed checks { name count } tables { name matches } markdown } }`,
      )
    ).scopeAudit;
    expect(audit.passed).toBe(false);
    expect(audit.tables.filter((x: any) => !x.matches).map((x: any) => x.name)).toEqual(["memory"]);
    expect(audit.markdown).toContain("**Result: FAIL**");
  });

  it("context keys cannot run retention, redaction or the audit", async () => {
    for (const q of [
      `mutation { runRetention(contextId: "platform-prod") { dryRun } }`,
      `mutation { redactScope(contextId: "platform-prod", scope: { org: "alpha" }) { verified } }`,
      `{ scopeAudit(contextId: "platform-prod") { passed } }`,
    ]) {
      expect(codes(await t.gql(key.gamma!, q))).toEqual(["FORBIDDEN"]);
    }
    expect(
      codes(
        await t.mgmt(`mutation { redactScope(contextId: "platform-prod", scope: {}) { verified } }`).catch((e) => ({
          errors: [{ extensions: { code: String(e.message).includes("BAD_USER_INPUT") ? "BAD_USER_INPUT" : "?" } }],
        })),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
  });
});
