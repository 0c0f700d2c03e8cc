import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimits } from "../src/http/rateLimits.js";
import {
  codes,
  createKey,
  issueToken,
  issueTokenRaw,
  MANAGEMENT_KEY,
  memoryTexts,
  noteSecret,
  remember,
  startTestGateway,
  type TestGateway,
} from "./harness.js";

/**
 * Issue 12, browser tokens: `issueToken` narrows a context key's floor and access for a
 * frontend; the token dies with its key (revoke, rotate, expiry) and with its own TTL, cannot
 * write when READ (shield, access rules and table permissions), cannot issue tokens, and never
 * reaches another tenant's records or Context. Every attack is a real HTTP request.
 */
const ME = `{ me { kind contextId keyName principal scopeFloor access expiresAt } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("browser tokens (issue 12)", () => {
  let t: TestGateway;
  let alpha: string; // agent {org: alpha}
  let beta: string; // agent {org: beta}, same Context
  let readOnly: string; // agent {org: alpha}, access READ
  let betaMemory: string;
  let otherContextKey: string; // agent {org: alpha} in another Context

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    await t.mgmt(`mutation { createContext(input: { id: "other", namespace: "platform", database: "other" }) { id } }`);
    alpha = await createKey(t, "platform-prod", "alpha-app", "AGENT", { org: "alpha" });
    beta = await createKey(t, "platform-prod", "beta-app", "AGENT", { org: "beta" });
    readOnly = await createKey(t, "platform-prod", "alpha-reader", "AGENT", { org: "alpha" }, undefined, "READ");
    otherContextKey = await createKey(t, "other", "other-app", "AGENT", { org: "alpha" });
    betaMemory = (await remember(t, beta, "beta secret plan")).id;
    await remember(t, alpha, "alpha org note");
    await remember(t, alpha, "carol's note", { user: "carol" });
    await remember(t, otherContextKey, "other context note");
  });
  afterAll(() => t.close());

  describe("issuing", () => {
    it("narrows the key's floor: a {user: bob} token sees org-wide records and bob's, not carol's", async () => {
      const before = Date.now();
      const issued = await issueToken(t, alpha, { scope: { user: "bob" }, access: "READ_WRITE" });
      expect(issued.token).toMatch(/^sgt_eyJ/);
      expect(issued.scopeFloor).toEqual({ org: "alpha", user: "bob" });
      expect(issued.access).toBe("READ_WRITE");
      const ttl = Date.parse(issued.expiresAt) - before;
      expect(ttl).toBeGreaterThan(899_000); // default 15 min
      expect(ttl).toBeLessThanOrEqual(901_000);
      const me = await t.gql(issued.token, ME);
      expect(me.data.me).toEqual({
        kind: "TOKEN",
        contextId: "platform-prod",
        keyName: "alpha-app",
        principal: "AGENT",
        scopeFloor: { org: "alpha", user: "bob" },
        access: "READ_WRITE",
        expiresAt: issued.expiresAt,
      });
      const written = await remember(t, issued.token, "bob prefers tea");
      expect(written.scope).toEqual({ org: "alpha", user: "bob" });
      expect(await memoryTexts(t, issued.token)).toEqual(["alpha org note", "bob prefers tea"]);
      // The token's floor is a floor: it cannot be widened back or moved per request.
      const wider = await t.gql(issued.token, `{ memories(scope: { user: "carol" }) { edges { node { text } } } }`);
      expect(codes(wider)).toEqual(["FORBIDDEN"]);
      // What a token writes is its key's (the owner is the key): the key can forget it.
      const forget = await t.gql(alpha, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, {
        ids: [written.id],
      });
      expect(forget.data.forget.count).toBe(1);
    });

    it("defaults to READ and the key's floor", async () => {
      const issued = await issueToken(t, alpha);
      expect(issued).toMatchObject({ scopeFloor: { org: "alpha" }, access: "READ" });
    });

    it("refuses a sideways scope (FORBIDDEN) and a malformed one (BAD_USER_INPUT)", async () => {
      expect(codes(await issueTokenRaw(t, alpha, { scope: { org: "beta" } }))).toEqual(["FORBIDDEN"]);
      const narrow = await issueToken(t, alpha, { scope: { user: "bob" } });
      // A token cannot issue, so "broader than a narrowed token" is asked of a narrowed key instead.
      const bobKey = await createKey(t, "platform-prod", "alpha-bob", "AGENT", { org: "alpha", user: "bob" });
      expect(codes(await issueTokenRaw(t, bobKey, { scope: { user: "carol" } }))).toEqual(["FORBIDDEN"]);
      expect(codes(await issueTokenRaw(t, narrow.token, { scope: { user: "bob" } }))).toEqual(["FORBIDDEN"]);
      for (const bad of [{ "Bad Dim": "x" }, { user: "" }, { user: " bob" }, { user: 7 }]) {
        expect(codes(await issueTokenRaw(t, alpha, { scope: bad }))).toEqual(["BAD_USER_INPUT"]);
      }
    });

    it("keeps ttlSeconds within 1 s … 24 h and never past the key's own expiry", async () => {
      for (const ttlSeconds of [0, -5, 86_401, 1.5]) {
        expect(codes(await issueTokenRaw(t, alpha, { ttlSeconds }))).toEqual(["BAD_USER_INPUT"]);
      }
      const day = await issueToken(t, alpha, { ttlSeconds: 86_400 });
      expect(Date.parse(day.expiresAt) - Date.now()).toBeGreaterThan(86_390_000);
      const keyExpiry = new Date(Date.now() + 60_000).toISOString();
      const shortKey = await createKey(t, "platform-prod", "short", "AGENT", { org: "alpha" }, keyExpiry);
      const capped = await issueToken(t, shortKey, { ttlSeconds: 3600 });
      expect(Date.parse(capped.expiresAt)).toBeLessThanOrEqual(Date.parse(keyExpiry));
    });

    it("gives at most the key's access: a READ key issues READ tokens only", async () => {
      expect(codes(await issueTokenRaw(t, readOnly, { access: "READ_WRITE" }))).toEqual(["FORBIDDEN"]);
      expect((await issueToken(t, readOnly, { access: "READ" })).access).toBe("READ");
      const rw = await issueToken(t, alpha, { access: "READ_WRITE" });
      expect(rw.access).toBe("READ_WRITE");
    });

    it("is for context keys only: tokens cannot mint tokens, nor can the management key or anonymous callers", async () => {
      const rw = await issueToken(t, alpha, { access: "READ_WRITE" });
      expect(codes(await issueTokenRaw(t, rw.token, {}))).toEqual(["FORBIDDEN"]);
      expect(codes(await issueTokenRaw(t, MANAGEMENT_KEY, {}))).toEqual(["FORBIDDEN"]);
      expect(codes(await issueTokenRaw(t, null as unknown as string, {}))).toEqual(["UNAUTHENTICATED"]);
    });
  });

  it("counts against its key's rate limit, so issuing tokens does not multiply a key's rate", async () => {
    const a = await issueToken(t, alpha);
    const b = await issueToken(t, alpha, { scope: { user: "bob" } });
    const limits = new RateLimits(3);
    const as = async (secret: string) => t.gateway.authenticate(secret, "rate");
    // The key and its two tokens, from three addresses: one bucket of 3.
    expect(limits.charge(await as(alpha), "10.0.0.1")).toBe(0);
    expect(limits.charge(await as(a.token), "10.0.0.2")).toBe(0);
    expect(limits.charge(await as(b.token), "10.0.0.3")).toBe(0);
    expect(limits.charge(await as(a.token), "10.0.0.4")).toBeGreaterThan(0);
    // A forged token is no credential: it counts against its address, never the key.
    expect(limits.charge(await as("sgt_garbage"), "10.0.0.5")).toBe(0);
  });

  describe("lifetime: a token dies with its TTL and with its key", () => {
    it("expires after its TTL", async () => {
      const issued = await issueToken(t, alpha, { ttlSeconds: 1 });
      expect((await t.gql(issued.token, ME)).data.me.kind).toBe("TOKEN");
      await sleep(Date.parse(issued.expiresAt) - Date.now() + 1100);
      expect(codes(await t.gql(issued.token, ME))).toEqual(["UNAUTHENTICATED"]);
    });

    it("revoking the key refuses every token it issued on the next request", async () => {
      const key = await createKey(t, "platform-prod", "revoked-parent", "AGENT", { org: "alpha" });
      const a = await issueToken(t, key, { access: "READ_WRITE" });
      const b = await issueToken(t, key, { scope: { user: "bob" } });
      expect((await t.gql(a.token, ME)).data.me.kind).toBe("TOKEN");
      expect((await t.gql(b.token, `{ memories { edges { node { id } } } }`)).errors).toBeUndefined();
      await t.mgmt(`mutation { revokeKey(contextId: "platform-prod", name: "revoked-parent") { name } }`);
      for (const token of [a.token, b.token]) {
        expect(codes(await t.gql(token, ME))).toEqual(["UNAUTHENTICATED"]);
        expect(codes(await t.gql(token, `mutation { remember(input: { text: "late" }) { id } }`))).toEqual([
          "UNAUTHENTICATED",
        ]);
      }
    });

    it("rotating the key refuses every token it issued; the new secret issues working ones", async () => {
      const key = await createKey(t, "platform-prod", "rotated-parent", "AGENT", { org: "alpha" });
      const old = await issueToken(t, key, { access: "READ_WRITE" });
      expect((await t.gql(old.token, ME)).data.me.kind).toBe("TOKEN");
      const d = await t.mgmt(`mutation { rotateKey(contextId: "platform-prod", name: "rotated-parent") { secret } }`);
      const fresh = noteSecret(d.rotateKey.secret);
      expect(codes(await t.gql(old.token, ME))).toEqual(["UNAUTHENTICATED"]);
      const next = await issueToken(t, fresh, { access: "READ_WRITE" });
      expect((await t.gql(next.token, ME)).data.me.kind).toBe("TOKEN");
    });

    it("a key rotated between authentication and issuance issues nothing", async () => {
      const key = await createKey(t, "platform-prod", "rotated-mid-request", "AGENT", { org: "alpha" });
      const ctx = await t.gateway.requestContext(key, "test"); // authenticated with the old secret
      const d = await t.mgmt(
        `mutation { rotateKey(contextId: "platform-prod", name: "rotated-mid-request") { secret } }`,
      );
      noteSecret(d.rotateKey.secret);
      await expect(ctx.issueToken({ access: "READ" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    });

    it("an expired key's tokens die with it", async () => {
      const key = await createKey(
        t,
        "platform-prod",
        "expiring-parent",
        "AGENT",
        { org: "alpha" },
        new Date(Date.now() + 1500).toISOString(),
      );
      const token = (await issueToken(t, key, { ttlSeconds: 3600 })).token;
      expect((await t.gql(token, ME)).data.me.kind).toBe("TOKEN");
      await sleep(1700);
      expect(codes(await t.gql(token, ME))).toEqual(["UNAUTHENTICATED"]);
    });
  });

  describe("READ tokens", () => {
    let token: string;
    let sessionId: string;
    let ownMemory: string;
    beforeAll(async () => {
      token = (await issueToken(t, alpha, { access: "READ" })).token;
      sessionId = (await t.gql(alpha, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
      ownMemory = (await remember(t, alpha, "alpha's own memory")).id;
    });

    it("read and recall", async () => {
      expect(await memoryTexts(t, token)).toContain("alpha's own memory");
      const r = await t.gql(token, `{ recall(query: "alpha memory", topK: 5) { hits { text } } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data.recall.hits.map((h: any) => h.text)).toContain("alpha's own memory");
    });

    it.each([
      ["remember", `mutation { remember(input: { text: "x" }) { id } }`],
      ["rememberMany", `mutation { rememberMany(input: { items: [{ text: "x" }] }) { id } }`],
      ["forget by ids", `mutation($m: ID!) { forget(input: { ids: [$m] }) { count } }`],
      ["forget by scope", `mutation { forget(input: { scope: { org: "alpha" } }) { count } }`],
      ["forget by query", `mutation { forget(input: { query: "alpha" }) { count } }`],
      [
        "uploadDocument",
        `mutation { uploadDocument(input: { title: "t", mimeType: "text/plain", content: "c" }) { document { id } } }`,
      ],
      ["deleteDocument", `mutation($m: ID!) { deleteDocument(id: $m) }`],
      ["answer", `mutation { answer(input: { question: "what?" }) { text } }`],
      ["createSession", `mutation { createSession(input: {}) { id } }`],
      ["addTurn", `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "x" }) { seq } }`],
      ["endSession", `mutation($s: ID!) { endSession(id: $s) { id } }`],
    ])("cannot %s (FORBIDDEN)", async (_name, query) => {
      const r = await t.gql(token, query, { m: ownMemory, s: sessionId });
      expect(codes(r)).toEqual(["FORBIDDEN"]);
    });

    it("left everything as it was", async () => {
      expect(await memoryTexts(t, alpha)).toContain("alpha's own memory");
      const s = await t.gql(alpha, `query($s: ID!) { session(id: $s) { endedAt turns { edges { node { seq } } } } }`, {
        s: sessionId,
      });
      expect(s.data.session).toEqual({ endedAt: null, turns: { edges: [] } });
    });
  });

  describe("isolation", () => {
    it("a token reaches none of another tenant's records in the same Context", async () => {
      const token = (await issueToken(t, alpha, { access: "READ_WRITE" })).token;
      const r = await t.gql(
        token,
        `query($m: ID!) { memory(id: $m) { text } memories { edges { node { text } } } recall(query: "beta secret plan") { hits { text } } }`,
        { m: betaMemory },
      );
      expect(r.data.memory).toBeNull();
      expect(r.data.memories.edges.map((e: any) => e.node.text)).not.toContain("beta secret plan");
      expect(r.data.recall.hits.map((h: any) => h.text)).not.toContain("beta secret plan");
      const f = await t.gql(token, `mutation($m: ID!) { forget(input: { ids: [$m] }) { count } }`, { m: betaMemory });
      expect(f.data.forget.count).toBe(0);
      const planted = await t.gql(token, `mutation { remember(input: { text: "x", scope: { org: "beta" } }) { id } }`);
      expect(codes(planted)).toEqual(["FORBIDDEN"]);
      expect(await memoryTexts(t, beta)).toEqual(["beta secret plan"]);
    });

    it("a token never acts in another Context: not by contextId, not by X-Scopegate-Context", async () => {
      const token = (await issueToken(t, alpha, { access: "READ_WRITE" })).token;
      const named = await t.gql(token, `mutation { remember(input: { text: "x", contextId: "other" }) { id } }`);
      expect(codes(named)).toEqual(["FORBIDDEN"]);
      const header = await t.gql(token, ME, undefined, { "x-scopegate-context": "other" });
      expect(codes(header)).toEqual(["UNAUTHENTICATED"]);
      const ownHeader = await t.gql(token, ME, undefined, { "x-scopegate-context": "platform-prod" });
      expect(ownHeader.data.me.contextId).toBe("platform-prod");
      expect(await memoryTexts(t, token)).not.toContain("other context note");
      const control = await t.gql(token, `{ contexts { id } keys(contextId: "platform-prod") { name } }`);
      expect(codes(control)).toContain("FORBIDDEN");
    });
  });

  describe("forged tokens", () => {
    const parts = (token: string) => token.slice(4).split(".") as [string, string, string];
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const payloadOf = (token: string) => JSON.parse(Buffer.from(parts(token)[1], "base64url").toString());

    it("a changed payload, a foreign signing key, alg none and garbage are refused", async () => {
      const real = await issueToken(t, alpha, { access: "READ" });
      const [h, , s] = parts(real.token);
      const widened = { ...payloadOf(real.token), flr: { org: "beta" }, acc: "READ_WRITE" };
      const attempts = [
        `sgt_${h}.${b64(widened)}.${s}`,
        noteSecret(
          `sgt_${await new SignJWT(widened)
            .setProtectedHeader({ alg: "HS256", typ: "sgt+jwt" })
            .sign(new Uint8Array(32).fill(7))}`,
        ),
        `sgt_${new UnsecuredJWT(widened).encode()}`,
        `sgt_${b64({ alg: "none", typ: "sgt+jwt" })}.${b64(widened)}.`,
        `${real.token}x`,
        "sgt_",
        "sgt_not.a.token",
      ];
      for (const forged of attempts) expect(codes(await t.gql(forged, ME))).toEqual(["UNAUTHENTICATED"]);
    });

    it("even correctly signed, a token must agree with its key row: Context, floor, access, generation", async () => {
      // The signing key lives in the control plane; a test with the database can sign what an attacker cannot.
      const secret = await t.gateway.control.getSetting("browser_token_key");
      const key = new Uint8Array(Buffer.from(secret!, "base64url"));
      const real = await issueToken(t, readOnly, { access: "READ" });
      const claims = payloadOf(real.token);
      const sign = async (patch: Record<string, unknown>) =>
        noteSecret(
          `sgt_${await new SignJWT({ ...claims, ...patch }).setProtectedHeader({ alg: "HS256", typ: "sgt+jwt" }).sign(key)}`,
        );
      expect((await t.gql(await sign({}), ME)).data.me.kind).toBe("TOKEN"); // the control: unchanged claims pass
      for (const patch of [
        { aud: "scopegate:context:other" }, // another Context than the key's
        { flr: { org: "beta" } }, // outside the key's floor
        { flr: {} }, // broader than the key's floor
        { acc: "READ_WRITE" }, // more than the READ key's access
        { gen: "AAAAAAAAAAAAAAAAAAAAAA" }, // another generation of the key
        { sub: "00000000000000000000" }, // no such key
        { exp: Math.floor(Date.now() / 1000) - 5 }, // expired
      ]) {
        expect(codes(await t.gql(await sign(patch), ME))).toEqual(["UNAUTHENTICATED"]);
      }
      const wrongTyp = `sgt_${await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key)}`;
      expect(codes(await t.gql(noteSecret(wrongTyp), ME))).toEqual(["UNAUTHENTICATED"]);
    });
  });
});
