import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { VERIFY_FAILURES_PER_ID_PER_MINUTE } from "../src/auth/authenticator.js";
import { RateLimits } from "../src/http/rateLimits.js";
import { codes, createKey, MANAGEMENT_KEY, noteSecret, startTestGateway, type TestGateway } from "./harness.js";

/**
 * Fairness between tenants (issue 11), attacked over real HTTP on 127.0.0.1: rate limits apply
 * after authentication, so forged credentials spend only their own address's bucket, never a
 * key's, a Context's or the management key's, and cost no Argon2 verification.
 */

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: any; errors?: any[] } | any[];
}

/** POSTs `body` (one operation or a batch) with a bearer `secret` and extra headers. */
async function post(t: TestGateway, secret: string | null, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(t.http.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.json() } as Answer;
}

const ME = { query: "{ me { kind } }" };
const junk = (n: number) => randomBytes(n).toString("base64url").slice(0, n);
const keyIdOf = (secret: string) => /^sgk_([0-9a-z]{20})_/.exec(secret)![1]!;
/** Errors' codes of a single (non-batched) answer. */
const codesOf = (a: Answer) => codes(a.body as { errors?: any[] });
const limited = (answers: Answer[]) => answers.filter((a) => a.status === 429);
/** Arguments of Argon2 verifications since `before`. */
const argon2Since = (t: TestGateway, before: { succeeded: number; failed: number }) =>
  t.gateway.auth.verifications.succeeded - before.succeeded + t.gateway.auth.verifications.failed - before.failed;

async function sequential(n: number, send: (i: number) => Promise<Answer>): Promise<Answer[]> {
  const out: Answer[] = [];
  for (let i = 0; i < n; i++) out.push(await send(i));
  return out;
}

describe("rate limits after authentication: the three attacks of issue 11", () => {
  const PER_MINUTE = 20;
  let t: TestGateway;
  let victim: string;
  let other: string;

  beforeAll(async () => {
    // The gateway trusts 127.0.0.1 as a proxy, so each test picks its attacker's address with
    // X-Forwarded-For; requests without the header come from 127.0.0.1 itself.
    t = await startTestGateway(undefined, { rateLimitPerMinute: PER_MINUTE, trustedProxies: ["loopback"] });
    await t.mgmt(
      `mutation { createContext(input: { id: "fair", namespace: "tenants", database: "fair", config: { rateLimit: { requestsPerMinute: 100000 } } }) { id } }`,
    );
    victim = await createKey(t, "fair", "victim", "AGENT", { org: "victim" });
    other = await createKey(t, "fair", "other", "AGENT", { org: "other" });
    // Both keys verified once (their Argon2 result is cached, as in a running deployment).
    expect((await post(t, victim, ME)).status).toBe(200);
    expect((await post(t, other, ME)).status).toBe(200);
  });
  afterAll(() => t.close());

  it("40 junk bearers of 40 characters never touch the management key's bucket, and cost no Argon2", async () => {
    const before = { ...t.gateway.auth.verifications };
    const from = { "x-forwarded-for": "203.0.113.1" };
    const answers = await sequential(40, () => post(t, junk(40), ME, from));
    // The address's own bucket: 20 answered UNAUTHENTICATED, then 429.
    expect(answers.slice(0, PER_MINUTE).map(codesOf)).toEqual(Array(PER_MINUTE).fill(["UNAUTHENTICATED"]));
    expect(limited(answers).length).toBe(40 - PER_MINUTE);
    expect(argon2Since(t, before)).toBe(0);
    // Before issue 11 the management key got 429 here: its bucket was spent by the junk. Now it
    // has what is left after beforeAll's 3 requests.
    const mgmt = await sequential(PER_MINUTE - 3, () => post(t, MANAGEMENT_KEY, { query: "{ contexts { id } }" }));
    expect(mgmt.map((a) => a.status)).toEqual(Array(PER_MINUTE - 3).fill(200));
    expect(mgmt.every((a) => !("errors" in a.body))).toBe(true);
  });

  it("`sgk_<victim id>_<junk>` never spends the victim's bucket; its Argon2 verifications are throttled", async () => {
    const before = { ...t.gateway.auth.verifications };
    const from = { "x-forwarded-for": "203.0.113.2" };
    const forged = () => `sgk_${keyIdOf(victim)}_${junk(43)}`;
    const answers = await sequential(40, () => post(t, forged(), ME, from));
    expect(answers.every((a) => a.status === 429 || codesOf(a)[0] === "UNAUTHENTICATED")).toBe(true);
    // At most VERIFY_FAILURES_PER_ID_PER_MINUTE verifications ran; the next guesses were refused unverified, 429.
    expect(t.gateway.auth.verifications.failed - before.failed).toBe(VERIFY_FAILURES_PER_ID_PER_MINUTE);
    const throttled = answers.slice(VERIFY_FAILURES_PER_ID_PER_MINUTE);
    expect(throttled.every((a) => a.status === 429)).toBe(true);
    expect((throttled[0]!.body as any).errors[0].extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfter: expect.any(Number),
    });
    // The victim's bucket is whole: after its one request in beforeAll, 19 in a row pass.
    const own = await sequential(PER_MINUTE - 1, () => post(t, victim, ME));
    expect(own.map((a) => a.status)).toEqual(Array(PER_MINUTE - 1).fill(200));
    // And the throttle is the guesser's address's, not the key's: with its cached verification
    // dropped, the victim verifies again (one Argon2) from its own address and gets in.
    t.gateway.auth.forgetVerified();
    expect((await post(t, other, ME)).status).toBe(200);
  });

  it("a fresh random key id per request does not bypass the per-address limit, and costs no Argon2", async () => {
    const before = { ...t.gateway.auth.verifications };
    const from = { "x-forwarded-for": "203.0.113.3" };
    const answers = await sequential(40, () => post(t, `sgk_${randomBytes(10).toString("hex")}_${junk(43)}`, ME, from));
    // Before issue 11: 40 of 40 passed the limiter (each random id had a bucket of its own).
    expect(answers.length - limited(answers).length).toBe(PER_MINUTE);
    expect(argon2Since(t, before)).toBe(0);
    // Another address has its own bucket; the spoofed addresses of a proxy nobody trusts do not (below).
    expect(
      (await post(t, `sgk_${randomBytes(10).toString("hex")}_${junk(43)}`, ME, { "x-forwarded-for": "203.0.113.4" }))
        .status,
    ).toBe(200);
  });

  it("anonymous requests count per address too, and no forged bucket reaches a tenant key", async () => {
    const from = { "x-forwarded-for": "2001:db8:7:7::1" };
    const anonymous = await sequential(25, (i) =>
      // Cycling through the addresses of one IPv6 /64 does not multiply the allowance.
      post(t, null, ME, { "x-forwarded-for": `2001:db8:7:7::${(i + 1).toString(16)}` }),
    );
    expect(limited(anonymous).length).toBe(5);
    expect((await post(t, null, ME, from)).status).toBe(429);
    expect((await post(t, other, ME, from)).status).toBe(200);
  });
});

describe("client address: X-Forwarded-For only from trusted proxies", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(undefined, { rateLimitPerMinute: 5 });
  });
  afterAll(() => t.close());

  it("without SCOPEGATE_TRUSTED_PROXIES a client cannot pick its address with the header", async () => {
    const answers = await sequential(10, (i) => post(t, null, ME, { "x-forwarded-for": `198.51.100.${i}` }));
    expect(limited(answers).length).toBe(5);
  });
});

describe("batches count per operation", () => {
  let t: TestGateway;
  let key: string;

  beforeAll(async () => {
    t = await startTestGateway(undefined, { rateLimitPerMinute: 250, batching: true });
    await t.mgmt(`mutation { createContext(input: { id: "batch", namespace: "tenants", database: "batch" }) { id } }`);
    await t.mgmt(
      `mutation { updateContext(id: "batch", config: { rateLimit: { requestsPerMinute: 100000 } }) { id } }`,
    );
    key = await createKey(t, "batch", "agent", "AGENT", { org: "a" });
  });
  afterAll(() => t.close());

  it("one POST of 200 operations costs 200", async () => {
    const batch = (n: number) => Array.from({ length: n }, () => ME);
    const first = await post(t, key, batch(200));
    expect(first.status).toBe(200);
    expect((first.body as any[]).length).toBe(200);
    // 50 left: the next 200 are refused as a whole, 50 still fit.
    const second = await post(t, key, batch(200));
    expect(second.status).toBe(429);
    expect(codesOf(second)).toEqual(["RATE_LIMITED"]);
    expect((await post(t, key, batch(50))).status).toBe(200);
    // What refilled meanwhile (250 a minute) is less than another 20.
    expect((await post(t, key, batch(20))).status).toBe(429);
  });
});

describe("subscriptions count at connect and at each subscribe", () => {
  const PER_MINUTE = 30;
  let t: TestGateway;
  let spent: string;
  let key: string;

  beforeAll(async () => {
    t = await startTestGateway(undefined, { rateLimitPerMinute: PER_MINUTE });
    await t.mgmt(
      `mutation { createContext(input: { id: "live", namespace: "tenants", database: "live", config: { rateLimit: { requestsPerMinute: 0 } } }) { id } }`,
    );
    spent = await createKey(t, "live", "spent", "AGENT", { org: "a" });
    key = await createKey(t, "live", "agent", "AGENT", { org: "b" });
    await sequential(PER_MINUTE, () => post(t, spent, ME));
  });
  afterAll(() => t.close());

  it("a spent key's WebSocket closes with 4429 and its SSE request answers 429", async () => {
    const ws = new WebSocket(t.http.url.replace(/^http/, "ws"), "graphql-transport-ws");
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${spent}` } }));
    const [code] = await new Promise<[number]>((r) => ws.once("close", (c) => r([c])));
    expect(code).toBe(4429);
    const sse = await fetch(`${t.http.url}/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${spent}` },
      body: JSON.stringify({ query: "subscription { memoryEvents { id } }" }),
    });
    expect(sse.status).toBe(429);
    expect(sse.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await sse.json()).errors[0].extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfter: expect.any(Number),
    });
  });

  it("each subscribe on one connection costs one request", async () => {
    const socket = new WebSocket(t.http.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const messages: any[] = [];
    socket.on("message", (m) => messages.push(JSON.parse(String(m))));
    await new Promise((r) => socket.once("open", r));
    socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${key}` } }));
    await waitUntil(() => messages.some((m) => m.type === "connection_ack"));
    // sessionTurns of an unknown session: each admitted subscribe is refused NOT_FOUND before any
    // live query opens (the embedded engine has panicked closing a gateway with live queries in flight).
    const query = `subscription { sessionTurns(sessionId: "01HZZZZZZZZZZZZZZZZZZZZZZZ") { seq } }`;
    for (let i = 0; i < 60; i++) socket.send(JSON.stringify({ id: `s${i}`, type: "subscribe", payload: { query } }));
    const errorCodes = () =>
      messages.flatMap((m) =>
        m.type === "error"
          ? [m.payload[0].extensions.code]
          : (m.payload?.errors ?? []).map((e: any) => e.extensions.code),
      );
    await waitUntil(() => errorCodes().length >= 60).catch(() => {
      throw new Error(JSON.stringify(messages.slice(0, 80)));
    });
    // 29 tokens were left after connecting (one or two more refill meanwhile): those subscribes
    // were admitted (and found no session), every other one RATE_LIMITED.
    const rateLimited = errorCodes().filter((c) => c === "RATE_LIMITED").length;
    expect(rateLimited).toBeGreaterThanOrEqual(60 - 29 - 2);
    expect(rateLimited).toBeLessThanOrEqual(60 - 29);
    expect(errorCodes().filter((c) => c !== "RATE_LIMITED" && c !== "NOT_FOUND")).toEqual([]);
    expect(t.gateway.openLiveFeeds).toBe(0);
    socket.close();
  });
});

describe("a Context's rate limit is shared fairly between its tenants", () => {
  let t: TestGateway;
  let heavy: string;
  let light: string;

  beforeAll(async () => {
    t = await startTestGateway(undefined, { rateLimitPerMinute: 1000 });
    await t.mgmt(
      `mutation { createContext(input: { id: "shared", namespace: "tenants", database: "shared", config: { rateLimit: { requestsPerMinute: 30 } } }) { id config { rateLimit { requestsPerMinute } } } }`,
    );
    heavy = await createKey(t, "shared", "heavy", "AGENT", { org: "heavy" });
    light = await createKey(t, "shared", "light", "AGENT", { org: "light" });
  });
  afterAll(() => t.close());

  it("one tenant hammering the Context neither passes its limit nor slows another tenant", async () => {
    const hammer = await sequential(100, () => post(t, heavy, ME));
    const admitted = hammer.filter((a) => a.status === 200).length;
    // Alone, it gets its guaranteed half and borrows none of the half kept for a newcomer.
    expect(admitted).toBeGreaterThanOrEqual(15);
    expect(admitted).toBeLessThanOrEqual(17);
    expect(codesOf(limited(hammer)[0]!)).toEqual(["RATE_LIMITED"]);
    // The other tenant arrives afterwards and gets its share at once.
    const own = await sequential(10, () => post(t, light, ME));
    expect(own.map((a) => a.status)).toEqual(Array(10).fill(200));
  });

  it("the fair share, step by step (RateLimits directly)", async () => {
    const limits = new RateLimits(1000);
    const caller = async (secret: string) => t.gateway.authenticate(secret, "fair");
    const [h, l] = [await caller(heavy), await caller(light)];
    const now = Date.now();
    const admitted = (who: typeof h, at: number) => {
      let n = 0;
      for (let i = 0; i < 100; i++) if (limits.charge(who, "a", 1, at) === 0) n++;
      return n;
    };
    // Alone (n = 1): a share of 30 / 2 = 15, and the other 15 held for a newcomer.
    expect(admitted(h, now)).toBe(15);
    // 20 s later: 5 from its share's refill, 5 borrowed from the pool's (it refills twice as fast) down to 15.
    expect(admitted(h, now + 20_000)).toBe(10);
    // A newcomer (n = 2, shares of 10, 20 reserved) gets its whole share at once…
    expect(admitted(l, now + 20_000)).toBe(10);
    // …and the heavy one nothing more until its share refills.
    expect(admitted(h, now + 20_000)).toBe(0);
  });

  it("rateLimit is validated, described and exposed; 0 turns the Context-wide limit off", async () => {
    const shown = await t.mgmt(`{ context(id: "shared") { config { rateLimit { requestsPerMinute } } } }`);
    expect(shown.context.config.rateLimit).toEqual({ requestsPerMinute: 30 });
    for (const bad of [-1, 10_000_001]) {
      const r = await t.gql(
        MANAGEMENT_KEY,
        `mutation($n: Int!) { updateContext(id: "shared", config: { rateLimit: { requestsPerMinute: $n } }) { id } }`,
        { n: bad },
      );
      expect(codes(r)).toEqual(["BAD_USER_INPUT"]);
    }
    await t.mgmt(`mutation { createContext(input: { id: "dflt", namespace: "tenants", database: "dflt" }) { id } }`);
    const dflt = await t.mgmt(`{ context(id: "dflt") { config { rateLimit { requestsPerMinute } } } }`);
    expect(dflt.context.config.rateLimit).toEqual({ requestsPerMinute: 600 });
    await t.mgmt(`mutation { updateContext(id: "shared", config: { rateLimit: { requestsPerMinute: 0 } }) { id } }`);
    const open = await sequential(40, () => post(t, heavy, ME));
    expect(limited(open).length).toBe(0);
  });
});

describe("GET /metrics", () => {
  const METRICS_TOKEN = noteSecret(`metrics-${"t".repeat(40)}`);
  let t: TestGateway;
  let key: string;

  beforeAll(async () => {
    t = await startTestGateway(undefined, { metricsToken: METRICS_TOKEN });
    await t.mgmt(`mutation { createContext(input: { id: "gone", namespace: "tenants", database: "gone" }) { id } }`);
    key = await createKey(t, "gone", "agent", "AGENT", { org: "a" });
  });
  afterAll(() => t.close());

  const scrape = (secret: string | null) =>
    fetch(t.http.url.replace(/\/graphql$/, "/metrics"), {
      headers: secret ? { authorization: `Bearer ${secret}` } : {},
    });

  it("needs the management key or SCOPEGATE_METRICS_TOKEN", async () => {
    const none = await scrape(null);
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain("scopegate_");
    expect((await scrape(junk(40))).status).toBe(401);
    expect((await scrape(key)).status).toBe(403);
    expect((await scrape(MANAGEMENT_KEY)).status).toBe(200);
    const byToken = await scrape(METRICS_TOKEN);
    expect(byToken.status).toBe(200);
    expect(await byToken.text()).toContain("scopegate_graphql_requests_total");
  });

  it("3,000 anonymous requests with random operation names do not grow the page", async () => {
    const send = () => post(t, null, { query: `query Op${junk(12).replace(/[^A-Za-z0-9_]/g, "x")} { __typename }` });
    await send();
    // Series of this gateway's own metrics (Node's and the process's come and go with GC kinds).
    const lines = async () =>
      (await (await scrape(MANAGEMENT_KEY)).text())
        .split("\n")
        .filter((l) => l.startsWith("scopegate_") && !/^scopegate_(nodejs|process)_/.test(l));
    const before = (await lines()).map((l) => l.replace(/ [^ ]+$/, ""));
    for (let i = 0; i < 3000; i += 50) await Promise.all(Array.from({ length: 50 }, send));
    const after = (await lines()).map((l) => l.replace(/ [^ ]+$/, ""));
    // The same series (names and labels), only other values.
    expect(after.filter((l) => !before.includes(l))).toEqual([]);
    expect(after.filter((l) => /operation="Op/.test(l))).toEqual([]);
    expect(after.some((l) => l.startsWith('scopegate_graphql_requests_total{operation="introspection"'))).toBe(true);
  });

  it("labels Contexts that exist only: a deleted Context's series go", async () => {
    expect((await t.gql(key, `{ memories(first: 1) { edges { node { id } } } }`)).errors).toBeUndefined();
    expect(await (await scrape(MANAGEMENT_KEY)).text()).toContain('context="gone"');
    await t.mgmt(`mutation { deleteContext(id: "gone") }`);
    expect(await (await scrape(MANAGEMENT_KEY)).text()).not.toContain('context="gone"');
  });
});

async function waitUntil(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
