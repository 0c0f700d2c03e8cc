import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CryptoKey,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, createKey, noteSecret, remember, startTestGateway, type TestGateway } from "./harness.js";

/**
 * Issue 12, the application's own identity provider: a Context trusts an issuer's JWTs
 * (`config.auth`) and maps their claims to a floor. The identity provider here is a local
 * JWKS server speaking RFC 7517 over real HTTP on 127.0.0.1; every attack is a real request.
 */
const ME = `{ me { kind contextId keyName principal scopeFloor access expiresAt } }`;
const ISSUER = "https://idp.example.test";
const now = () => Math.floor(Date.now() / 1000);

type Alg = "RS256" | "ES256" | "EdDSA";
interface Pair {
  alg: Alg;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  pem: string;
}

async function pair(alg: Alg, kid: string): Promise<Pair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: await exportJWK(publicKey), pem: await exportSPKI(publicKey) };
}

/** A local JWKS endpoint: `/jwks.json` serves the keys, `/hang.json` never answers. */
async function jwksServer(keys: () => JWK[]): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    if (req.url === "/hang.json") return; // accepts the connection, never answers
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: keys() }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A signed JWT; `claims` override the defaults (issuer, audience, sub u1, org_id acme, 10 min),
 * and a claim set to undefined is left out. Recorded for the log scan.
 */
async function sign(
  key: Pair,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: "scopegate-web",
    sub: "u1",
    org_id: "acme",
    iat: now(),
    exp: now() + 600,
    ...claims,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  const jwt = await new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
  return noteSecret(jwt);
}

describe("external JWTs (issue 12)", () => {
  let t: TestGateway;
  let idp: Awaited<ReturnType<typeof jwksServer>>;
  let rsa: Pair;
  let ec: Pair;
  let ed: Pair;
  let pinnedEc: Pair;
  let pinnedRsa: Pair;

  const createContext = (id: string, auth: Record<string, unknown>) =>
    t.mgmt(
      `mutation($id: ID!, $db: String!, $auth: ContextAuthInput!) {
        createContext(input: { id: $id, namespace: "apps", database: $db, config: { auth: $auth } }) { id } }`,
      { id, db: id, auth },
    );

  beforeAll(async () => {
    [rsa, ec, ed, pinnedEc, pinnedRsa] = await Promise.all([
      pair("RS256", "rsa-1"),
      pair("ES256", "ec-1"),
      pair("EdDSA", "ed-1"),
      pair("ES256", "pinned-ec"),
      pair("RS256", "pinned-rsa"),
    ]);
    idp = await jwksServer(() => [rsa, ec, ed].map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: "sig" })));
    t = await startTestGateway();
    await createContext("app-web", {
      issuer: ISSUER,
      audience: "scopegate-web",
      jwksUrl: `${idp.url}/jwks.json`,
      floorClaims: { org: "org_id", user: "sub" },
      floor: { app: "web" },
      access: "READ_WRITE",
    });
    await createContext("app-pinned", {
      issuer: "https://pinned.example.test",
      audience: "pinned",
      publicKeys: [
        { kid: "pinned-ec", alg: "ES256", pem: pinnedEc.pem },
        { alg: "RS256", jwk: pinnedRsa.publicJwk },
      ],
      floorClaims: { org: "org_id" },
      access: "READ_WRITE",
    });
    await createContext("app-readonly", {
      issuer: ISSUER,
      audience: "scopegate-readonly",
      jwksUrl: `${idp.url}/jwks.json`,
      floorClaims: { org: "org_id" },
    });
    for (const id of ["twin-a", "twin-b"]) {
      await createContext(id, {
        issuer: "https://twin.example.test",
        audience: "twin",
        publicKeys: [{ kid: "pinned-ec", alg: "ES256", jwk: pinnedEc.publicJwk }],
        floorClaims: { org: "org_id" },
      });
    }
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  describe("valid tokens", () => {
    it.each(["RS256", "ES256", "EdDSA"] as const)("%s: the claims map to the floor", async (alg) => {
      const key = { RS256: rsa, ES256: ec, EdDSA: ed }[alg];
      const exp = now() + 300;
      const jwt = await sign(key, { exp });
      const r = await t.gql(jwt, ME);
      expect(r.errors).toBeUndefined();
      expect(r.data.me).toEqual({
        kind: "JWT",
        contextId: "app-web",
        keyName: null,
        principal: "AGENT",
        scopeFloor: { app: "web", org: "acme", user: "u1" },
        access: "READ_WRITE",
        expiresAt: new Date(exp * 1000).toISOString(),
      });
    });

    it("an audience list containing the Context's audience is accepted", async () => {
      const jwt = await sign(rsa, { aud: ["something-else", "scopegate-web"] });
      expect((await t.gql(jwt, ME)).data.me.kind).toBe("JWT");
    });

    it("writes carry the mapped floor, and end users of one org see each other's org records but own only theirs", async () => {
      const u1 = await sign(pinnedEc, { iss: "https://pinned.example.test", aud: "pinned", sub: "u1" });
      const u2 = await sign(pinnedEc, { iss: "https://pinned.example.test", aud: "pinned", sub: "u2" });
      // The kid-less configured RS256 key verifies a kid-less token.
      const u3 = await sign(
        pinnedRsa,
        { iss: "https://pinned.example.test", aud: "pinned", sub: "u3", org_id: "globex" },
        { kid: undefined },
      );
      const written = await remember(t, u1, "u1's acme note");
      expect(written.scope).toEqual({ org: "acme" });
      const list = (secret: string) => t.gql(secret, `{ memories { edges { node { text } } } }`);
      expect((await list(u2)).data.memories.edges).toEqual([{ node: { text: "u1's acme note" } }]);
      expect((await list(u3)).data.memories.edges).toEqual([]);
      const forget = (secret: string) =>
        t.gql(secret, `mutation($m: ID!) { forget(input: { ids: [$m] }) { count } }`, { m: written.id });
      expect((await forget(u3)).data.forget.count).toBe(0);
      expect((await forget(u2)).data.forget.count).toBe(0); // same floor, another end user: not u2's to delete
      expect((await forget(u1)).data.forget.count).toBe(1);
    });

    it("a READ config lets its callers read, never write", async () => {
      const jwt = await sign(rsa, { aud: "scopegate-readonly" });
      expect((await t.gql(jwt, ME)).data.me).toMatchObject({ contextId: "app-readonly", access: "READ" });
      expect((await t.gql(jwt, `{ memories { edges { node { id } } } }`)).errors).toBeUndefined();
      expect(codes(await t.gql(jwt, `mutation { remember(input: { text: "x" }) { id } }`))).toEqual(["FORBIDDEN"]);
    });
  });

  describe("refused tokens: all UNAUTHENTICATED", () => {
    const cases: Array<[string, () => Promise<string>]> = [
      ["expired", () => sign(rsa, { iat: now() - 600, exp: now() - 120 })],
      ["not yet valid", () => sign(rsa, { nbf: now() + 3600 })],
      ["wrong issuer", () => sign(rsa, { iss: "https://evil.example.test" })],
      ["issuer differing in case", () => sign(rsa, { iss: ISSUER.toUpperCase() })],
      ["wrong audience", () => sign(rsa, { aud: "someone-else" })],
      ["no audience", () => sign(rsa, { aud: undefined })],
      ["unknown kid", () => sign(rsa, {}, { kid: "nope" })],
      ["a known kid, signed by another key", async () => sign({ ...(await pair("RS256", "rsa-1")) })],
      [
        "alg none",
        async () =>
          noteSecret(
            new UnsecuredJWT({
              iss: ISSUER,
              aud: "scopegate-web",
              sub: "u1",
              org_id: "acme",
              exp: now() + 600,
            }).encode(),
          ),
      ],
      [
        "HS256 signed with the RSA public key as the secret (algorithm confusion)",
        async () =>
          noteSecret(
            await new SignJWT({ iss: ISSUER, aud: "scopegate-web", sub: "u1", org_id: "acme", exp: now() + 600 })
              .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
              .sign(new TextEncoder().encode(rsa.pem)),
          ),
      ],
      [
        "HS256 signed with the JWK's JSON as the secret",
        async () =>
          noteSecret(
            await new SignJWT({ iss: ISSUER, aud: "scopegate-web", sub: "u1", org_id: "acme", exp: now() + 600 })
              .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
              .sign(new TextEncoder().encode(JSON.stringify(rsa.publicJwk))),
          ),
      ],
      [
        "RS512 with a trusted RSA key (not on the allow-list)",
        async () => {
          const rs512 = await importPKCS8(await exportPKCS8(rsa.privateKey), "RS512");
          return sign({ ...rsa, alg: "RS512" as Alg, privateKey: rs512 as CryptoKey });
        },
      ],
      ["missing floor claim", () => sign(rsa, { org_id: undefined })],
      ["floor claim with leading space", () => sign(rsa, { org_id: " acme" })],
      ["floor claim that is a number", () => sign(rsa, { org_id: 42 })],
      ["floor claim that is an object", () => sign(rsa, { org_id: { value: "acme" } })],
      ["floor claim too long", () => sign(rsa, { org_id: "a".repeat(129) })],
      ["floor claim with a control character", () => sign(rsa, { org_id: "ac\u0000me" })],
      ["floor claim that is empty", () => sign(rsa, { org_id: "" })],
      ["subject (also a floor claim) missing", () => sign(rsa, { sub: undefined })],
      ["no expiry", () => sign(rsa, { exp: undefined })],
      [
        "a changed payload",
        async () => {
          const [h, , s] = (await sign(rsa)).split(".");
          const body = Buffer.from(
            JSON.stringify({ iss: ISSUER, aud: "scopegate-web", sub: "u1", org_id: "globex", exp: now() + 600 }),
          ).toString("base64url");
          return noteSecret(`${h}.${body}.${s}`);
        },
      ],
      ["garbage in JWT shape", async () => "eyJhbGciOi.eyJpc3Mi.c2ln"],
    ];
    it.each(cases)("%s", async (_name, make) => {
      const jwt = await make();
      const r = await t.gql(jwt, ME);
      expect(codes(r)).toEqual(["UNAUTHENTICATED"]);
      expect(r.data ?? null).toBeNull();
    });

    it("a pinned-keys Context refuses HS256 signed with its PEM, and a token of another Context's keys", async () => {
      const claims = { iss: "https://pinned.example.test", aud: "pinned", sub: "u1", org_id: "acme", exp: now() + 600 };
      const confused = await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: "pinned-ec" })
        .sign(new TextEncoder().encode(pinnedEc.pem));
      expect(codes(await t.gql(noteSecret(confused), ME))).toEqual(["UNAUTHENTICATED"]);
      expect(codes(await t.gql(await sign(ec, claims, { kid: "pinned-ec" }), ME))).toEqual(["UNAUTHENTICATED"]);
    });
  });

  describe("finding the Context", () => {
    const twin = () => sign(pinnedEc, { iss: "https://twin.example.test", aud: "twin" });

    it("several Contexts trusting one issuer and audience: the header picks one, without it the token is refused", async () => {
      const jwt = await twin();
      expect(codes(await t.gql(jwt, ME))).toEqual(["UNAUTHENTICATED"]);
      for (const id of ["twin-a", "twin-b"]) {
        const r = await t.gql(jwt, ME, undefined, { "x-scopegate-context": id });
        expect(r.data.me.contextId).toBe(id);
      }
    });

    it("a header naming a Context that does not trust the issuer, or no Context, or garbage, is refused", async () => {
      const web = await sign(rsa);
      for (const named of ["app-pinned", "twin-a", "no-such-context", "Not A Context!", "x".repeat(100)]) {
        expect(codes(await t.gql(web, ME, undefined, { "x-scopegate-context": named })), named).toEqual([
          "UNAUTHENTICATED",
        ]);
      }
      expect((await t.gql(web, ME, undefined, { "x-scopegate-context": "app-web" })).data.me.contextId).toBe("app-web");
    });

    it("a JWT caller stays in its Context and its floor, and cannot issue tokens or reach the control plane", async () => {
      const jwt = await sign(rsa);
      const r = await t.gql(jwt, `mutation { remember(input: { text: "x", contextId: "app-pinned" }) { id } }`);
      expect(codes(r)).toEqual(["FORBIDDEN"]);
      const sideways = await t.gql(jwt, `mutation { remember(input: { text: "x", scope: { org: "globex" } }) { id } }`);
      expect(codes(sideways)).toEqual(["FORBIDDEN"]);
      const issue = await t.gql(jwt, `mutation { issueToken(input: {}) { token } }`);
      expect(codes(issue)).toEqual(["FORBIDDEN"]);
      expect(codes(await t.gql(jwt, `{ contexts { id } }`))).toEqual(["FORBIDDEN"]);
    });

    it("a key of one Context never acts in another by naming it", async () => {
      const key = await createKey(t, "app-web", "web-agent", "AGENT", { app: "web", org: "acme" });
      expect(codes(await t.gql(key, ME, undefined, { "x-scopegate-context": "app-pinned" }))).toEqual([
        "UNAUTHENTICATED",
      ]);
      expect((await t.gql(key, ME, undefined, { "x-scopegate-context": "app-web" })).data.me.kind).toBe("CONTEXT_KEY");
    });
  });

  describe("the identity provider unreachable", () => {
    it("a JWKS server that is down: UNAUTHENTICATED at once, not a hang, not a 500", async () => {
      await createContext("app-down", {
        issuer: "https://down.example.test",
        audience: "down",
        jwksUrl: `http://127.0.0.1:${await closedPort()}/jwks.json`,
        floorClaims: { org: "org_id" },
      });
      const jwt = await sign(rsa, { iss: "https://down.example.test", aud: "down" });
      const started = Date.now();
      const res = await fetch(t.http.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
        body: JSON.stringify({ query: ME }),
      });
      expect(res.status).toBe(200);
      expect(codes((await res.json()) as any)).toEqual(["UNAUTHENTICATED"]);
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it("a JWKS server that never answers: UNAUTHENTICATED after the 2 s timeout", async () => {
      await createContext("app-hang", {
        issuer: "https://hang.example.test",
        audience: "hang",
        jwksUrl: `${idp.url}/hang.json`,
        floorClaims: { org: "org_id" },
      });
      const jwt = await sign(rsa, { iss: "https://hang.example.test", aud: "hang" });
      const started = Date.now();
      const r = await t.gql(jwt, ME);
      expect(codes(r)).toEqual(["UNAUTHENTICATED"]);
      expect(Date.now() - started).toBeLessThan(4000);
    });
  });

  describe("config", () => {
    it("is shown to the management key with public key material only", async () => {
      const d = await t.mgmt(
        `{ context(id: "app-pinned") { config { auth { issuer audience jwksUrl floorClaims floor access principal publicKeys { kid alg jwk pem } } } } }`,
      );
      const auth = d.context.config.auth;
      expect(auth).toMatchObject({
        issuer: "https://pinned.example.test",
        audience: "pinned",
        jwksUrl: null,
        floorClaims: { org: "org_id" },
        floor: {},
        access: "READ_WRITE",
        principal: "AGENT",
      });
      expect(auth.publicKeys[0]).toMatchObject({ kid: "pinned-ec", alg: "ES256", jwk: null });
      expect(auth.publicKeys[1]).toMatchObject({ kid: null, alg: "RS256", pem: null, jwk: { kty: "RSA" } });
      expect(Object.keys(auth.publicKeys[1].jwk).sort()).toEqual(["e", "kty", "n"]);
    });

    it("refuses what would trust too much or make no sense (BAD_USER_INPUT)", async () => {
      const { privateKey } = await generateKeyPair("RS256", { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const weak = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
      const base = { issuer: ISSUER, audience: "a", floorClaims: { org: "org_id" } };
      const jwks = `${idp.url}/jwks.json`;
      const bad: Array<Record<string, unknown>> = [
        { ...base }, // neither jwksUrl nor publicKeys
        { ...base, jwksUrl: jwks, publicKeys: [{ alg: "ES256", jwk: ec.publicJwk }] }, // both
        { ...base, jwksUrl: "http://idp.example.test/jwks.json" }, // plain http off loopback
        { ...base, jwksUrl: "https://user:pw@idp.example.test/jwks.json" }, // credentials in the URL
        { ...base, jwksUrl: "not a url" },
        { ...base, publicKeys: [{ alg: "RS256", jwk: privateJwk }] }, // a private key
        { ...base, publicKeys: [{ alg: "RS256", jwk: { kty: "oct", k: "c2VjcmV0" } }] }, // a symmetric key
        { ...base, publicKeys: [{ alg: "RS256", jwk: weak }] }, // RSA-1024
        { ...base, publicKeys: [{ alg: "ES256", jwk: rsa.publicJwk }] }, // key does not fit alg
        {
          ...base,
          publicKeys: [{ alg: "EdDSA", pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }],
        },
        { ...base, publicKeys: [{ alg: "ES256", jwk: ec.publicJwk, pem: ec.pem }] }, // both forms
        { ...base, publicKeys: [] },
        { ...base, jwksUrl: jwks, floorClaims: {} }, // no floor at all
        { ...base, jwksUrl: jwks, floor: { org: "acme" } }, // a dim both fixed and mapped
        { ...base, jwksUrl: jwks, floorClaims: { "Bad Dim": "x" } },
        { ...base, jwksUrl: jwks, floorClaims: { org: "has space" } },
        { ...base, jwksUrl: jwks, issuer: "" },
      ];
      for (const auth of bad) {
        const r = await t.gql(
          noteSecret("test-management-key-0123456789abcdef0123456789"),
          `mutation($auth: ContextAuthInput!) { updateContext(id: "app-readonly", config: { auth: $auth }) { id } }`,
          { auth },
        );
        expect(codes(r), JSON.stringify(auth).slice(0, 120)).toEqual(["BAD_USER_INPUT"]);
      }
    });

    it("removing a Context's trust refuses its JWTs on the next request", async () => {
      const jwt = await sign(rsa, { aud: "scopegate-readonly" });
      expect((await t.gql(jwt, ME)).data.me.contextId).toBe("app-readonly");
      await t.mgmt(`mutation { updateContext(id: "app-readonly", config: { auth: null }) { id } }`);
      expect(codes(await t.gql(jwt, ME))).toEqual(["UNAUTHENTICATED"]);
    });
  });

  describe("layer 3 for JWT callers", () => {
    it("the record-user session carries the mapped floor and the end user as owner", async () => {
      const jwt = await sign(rsa, { sub: "layer3" });
      const ctx = await t.gateway.requestContext(jwt, "test");
      const binding = ctx.tenant().binding;
      expect(binding.actor.keyId).toMatch(/^jwt:[0-9a-f]{32}$/);
      const executor = await binding.executor();
      const item = (scope: Record<string, string>) => ({
        text: "direct",
        scope,
        terms: { direct: 1 },
        len: 1,
        emb: null,
        embModel: null,
        sessionId: null,
        metadata: null,
      });
      // The executor's own check refuses first; the database's check is what layers.test.ts switches alone.
      await expect(
        executor.memories.create([item({ app: "web", org: "globex", user: "layer3" })]),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      const [made] = await executor.memories.create([item({ app: "web", org: "acme", user: "layer3" })]);
      expect(made!.owner).toBe(binding.actor.keyId);
    });
  });
});
