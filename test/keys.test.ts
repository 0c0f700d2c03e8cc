import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, MANAGEMENT_KEY, startTestGateway, type TestGateway, noteSecret } from "./harness.js";

describe("key lifecycle", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
  });
  afterAll(() => t.close());

  const me = (secret: string) => t.gql(secret, `{ me { kind contextId keyName principal scopeFloor } }`);

  it("accepts Authorization: Bearer and the API-KEY header; rejects garbage", async () => {
    const secret = await createKey(t, "platform-prod", "k1", "AGENT", { org: "alpha" });
    expect((await me(secret)).data.me).toEqual({
      kind: "CONTEXT_KEY",
      contextId: "platform-prod",
      keyName: "k1",
      principal: "AGENT",
      scopeFloor: { org: "alpha" },
    });
    const viaHeader = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", "api-key": secret },
      body: JSON.stringify({ query: "{ me { kind } }" }),
    });
    expect(((await viaHeader.json()) as any).data.me.kind).toBe("CONTEXT_KEY");
    const forged = `${secret.slice(0, -4)}AAAA`;
    expect(codes(await me(forged))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await me(`sgk_00000000000000000000_${"A".repeat(43)}`))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await me(`${MANAGEMENT_KEY}x`))).toEqual(["UNAUTHENTICATED"]);
  });

  it("a revoked key is refused on the very next request", async () => {
    const secret = await createKey(t, "platform-prod", "revoke-me", "AGENT", { org: "alpha" });
    expect((await me(secret)).data.me.kind).toBe("CONTEXT_KEY");
    await t.mgmt(`mutation { revokeKey(contextId: "platform-prod", name: "revoke-me") { name } }`);
    expect(codes(await me(secret))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await t.gql(secret, `{ memories { edges { node { id } } } }`))).toEqual(["UNAUTHENTICATED"]);
  });

  it("rotation kills the old secret at once and the new one works", async () => {
    const old = await createKey(t, "platform-prod", "rotate-me", "AGENT", { org: "alpha" });
    expect((await me(old)).data.me.kind).toBe("CONTEXT_KEY");
    const d = await t.mgmt(
      `mutation { rotateKey(contextId: "platform-prod", name: "rotate-me") { secret key { name scopeFloor } } }`,
    );
    noteSecret(d.rotateKey.secret);
    expect(codes(await me(old))).toEqual(["UNAUTHENTICATED"]);
    expect((await me(d.rotateKey.secret)).data.me.keyName).toBe("rotate-me");
  });

  it("concurrent rotations run one after another: exactly the last secret works, and a racing revocation wins for good", async () => {
    const old = await createKey(t, "platform-prod", "rotate-race", "AGENT", { org: "alpha" });
    const rotate = () => t.mgmt(`mutation { rotateKey(contextId: "platform-prod", name: "rotate-race") { secret } }`);
    const secrets = (await Promise.all([rotate(), rotate(), rotate()])).map((d) => noteSecret(d.rotateKey.secret));
    const working = [];
    for (const s of [old, ...secrets]) if (codes(await me(s)).length === 0) working.push(s);
    expect(working).toHaveLength(1);
    expect(secrets).toContain(working[0]);
    const raced = await Promise.all([
      rotate().catch((e: Error) => e),
      t.mgmt(`mutation { revokeKey(contextId: "platform-prod", name: "rotate-race") { name } }`),
      rotate().catch((e: Error) => e),
    ]);
    for (const r of [raced[0], raced[2]])
      if (!(r instanceof Error)) expect(codes(await me(noteSecret(r.rotateKey.secret)))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await me(working[0]!))).toEqual(["UNAUTHENTICATED"]);
  });

  it("an expired key is refused", async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const secret = await createKey(t, "platform-prod", "short-lived", "AGENT", { org: "alpha" }, expiresAt);
    expect((await me(secret)).data.me.kind).toBe("CONTEXT_KEY");
    await new Promise((r) => setTimeout(r, 1700));
    expect(codes(await me(secret))).toEqual(["UNAUTHENTICATED"]);
  });

  it("never returns secrets or hashes after creation; duplicate names conflict", async () => {
    await createKey(t, "platform-prod", "listed", "SUPERVISOR", { org: "beta" });
    const d = await t.mgmt(
      `{ keys(contextId: "platform-prod") { name principal scopeFloor lastUsedAt context { id } } }`,
    );
    expect(JSON.stringify(d)).not.toMatch(/sgk_|argon2/);
    expect(d.keys.map((k: any) => k.name)).toEqual(expect.arrayContaining(["k1", "rotate-me", "listed"]));
    expect(d.keys.map((k: any) => k.name)).not.toContain("revoke-me");
    const dup = await t.gql(
      MANAGEMENT_KEY,
      `mutation { createKey(contextId: "platform-prod", input: { name: "listed", principal: AGENT, scopeFloor: {} }) { secret } }`,
    );
    expect(codes(dup)).toEqual(["CONFLICT"]);
    const badFloor = await t.gql(
      MANAGEMENT_KEY,
      `mutation { createKey(contextId: "platform-prod", input: { name: "bf", principal: AGENT, scopeFloor: { ORG: "x" } }) { secret } }`,
    );
    expect(codes(badFloor)).toEqual(["BAD_USER_INPUT"]);
  });
});
