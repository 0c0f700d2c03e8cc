import { mkdirSync, writeFileSync } from "node:fs";
import { decodeGlobalId } from "../src/domain/globalIds.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { LayerSwitches } from "../src/db/executor/scopedExecutor.js";
import { ConfigError, readSettings } from "../src/config.js";
import { Gateway } from "../src/gateway.js";
import { startHttp, type HttpGateway } from "../src/http/server.js";
import {
  codes,
  createKey,
  MANAGEMENT_KEY,
  noteSecret,
  remember,
  startTestGateway,
  type TestGateway,
} from "./harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fakeOpenAI.js";
import { feedsOpen, liveClient, type Sub, type Transport } from "./liveClients.js";

const MEMORY_EVENTS = `subscription($s: Scope) { memoryEvents(scope: $s) { kind id memoryId scope memory { text scope } } }`;
const SESSION_TURNS = `subscription($id: ID!) { sessionTurns(sessionId: $id) { seq role content } }`;
const ANSWER_STREAM = `subscription($i: AnswerInput!) { answerStream(input: $i) { text done citations { kind memory { text } } usage { promptTokens completionTokens totalTokens model } } }`;
const TRANSPORTS: Transport[] = ["ws", "sse"];
/** Time allowed for an event that must NOT arrive to show up anyway (notifications arrive in ~1–10 ms here). */
const QUIET_MS = 400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const texts = (sub: Sub) => sub.results.map((r) => r.data?.memoryEvents?.memory?.text ?? null);
/**
 * Codes of an operation refused before it ran: graphql-ws sends an `error` message (the client's
 * sink gets the errors), graphql-sse streams `next` with errors, then `complete`.
 */
async function refusal(sub: Sub, transport: Transport): Promise<string[]> {
  const ended = await sub.ended;
  const errors: any[] =
    transport === "ws" && ended !== "complete" ? (ended.error as any[]) : (sub.results[0]?.errors ?? []);
  return errors.map((e) => e.extensions?.code);
}
const errorCodes = (sub: Sub) => sub.results.flatMap((r) => (r.errors ?? []).map((e: any) => e.extensions?.code));

/** Context keys of two tenants sharing `platform-prod`, plus narrower keys of tenant alpha. */
interface Keys {
  alpha: string;
  beta: string;
  alphaBob: string;
  alphaSupervisor: string;
}

async function sharedContext(t: TestGateway, id = "platform-prod", database = "prod"): Promise<Keys> {
  await t.mgmt(`mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
    i: { id, namespace: "shared", database },
  });
  return {
    alpha: await createKey(t, id, "alpha", "AGENT", { org: "alpha" }),
    beta: await createKey(t, id, "beta", "AGENT", { org: "beta" }),
    alphaBob: await createKey(t, id, "alpha-bob", "AGENT", { org: "alpha", user: "bob" }),
    alphaSupervisor: await createKey(t, id, "alpha-ops", "SUPERVISOR", { org: "alpha" }),
  };
}

/** General knowledge `{}`: only the management key (or a floorless key) writes it. */
async function rememberShared(t: TestGateway, text: string, contextId = "platform-prod") {
  await t.mgmt(`mutation($i: RememberInput!) { remember(input: $i) { id } }`, { i: { text, contextId } });
}

describe("live data: two tenants in a shared Context", () => {
  let t: TestGateway;
  let k: Keys;
  beforeAll(async () => {
    t = await startTestGateway(undefined, { liveRecheckMs: 1000 });
    k = await sharedContext(t);
  });
  afterAll(() => t.close());

  for (const transport of TRANSPORTS) {
    describe(transport, () => {
      it("each tenant sees its own and shared {} memories appear and go, never the other tenant's", async () => {
        const [ca, cb] = [liveClient(t, transport, k.alpha), liveClient(t, transport, k.beta)];
        const [a, b] = [ca.subscribe(MEMORY_EVENTS), cb.subscribe(MEMORY_EVENTS)];
        await feedsOpen(t, 2);
        const mine = await remember(t, k.alpha, `${transport} alpha plan`);
        await remember(t, k.beta, `${transport} beta plan`);
        await rememberShared(t, `${transport} company holiday`);
        // Within alpha's floor but narrower than an org-wide list: memories(scope: null) does not list it either.
        await remember(t, k.alpha, `${transport} bob's note`, { user: "bob" });
        await Promise.all([a.waitFor(2), b.waitFor(2)]);
        await t.gql(k.alpha, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, { ids: [mine.id] });
        await a.waitFor(3);
        await sleep(QUIET_MS);
        expect(texts(a).slice(0, 2).sort()).toEqual([`${transport} alpha plan`, `${transport} company holiday`]);
        const forgotten = a.results[2]!.data.memoryEvents;
        expect(forgotten).toMatchObject({
          kind: "FORGOTTEN",
          memoryId: mine.id,
          scope: { org: "alpha" },
          memory: null,
        });
        // Each event has a global id of its own: neither the memory's nor its other event's.
        const created = a.results.find((r) => r.data?.memoryEvents?.memoryId === mine.id)!.data.memoryEvents;
        expect(created.kind).toBe("CREATED");
        expect(new Set([forgotten.id, created.id, mine.id]).size).toBe(3);
        expect(decodeGlobalId(forgotten.id)).toMatchObject({ type: "MemoryEvent", contextId: "platform-prod" });
        expect(a.results).toHaveLength(3);
        expect(texts(b).sort()).toEqual([`${transport} beta plan`, `${transport} company holiday`]);
        expect(JSON.stringify(b.results)).not.toMatch(/alpha|bob/);
        a.stop();
        b.stop();
        await feedsOpen(t, 0);
        await Promise.all([ca.close(), cb.close()]);
      });

      it("a narrowed scope, a narrower key and a supervisor each get exactly what memories(scope:) lists", async () => {
        const clients = [k.alpha, k.alphaBob, k.alphaSupervisor].map((key) => liveClient(t, transport, key));
        const bobView = clients[0]!.subscribe(MEMORY_EVENTS, { s: { user: "bob" } });
        const bobKey = clients[1]!.subscribe(MEMORY_EVENTS);
        const supervisor = clients[2]!.subscribe(MEMORY_EVENTS);
        await feedsOpen(t, 3);
        const written = [
          ["org", undefined],
          ["bob", { user: "bob" }],
          ["carol", { user: "carol" }],
          ["bob-project", { user: "bob", project: "x" }],
        ] as const;
        for (const [name, scope] of written) await remember(t, k.alpha, `${transport} ${name}`, scope);
        await remember(t, k.beta, `${transport} beta-only`);
        await rememberShared(t, `${transport} shared`);
        const expected = {
          bobView: ["bob", "org", "shared"],
          bobKey: ["bob", "org", "shared"],
          supervisor: ["bob", "bob-project", "carol", "org", "shared"],
        };
        await Promise.all([bobView.waitFor(3), bobKey.waitFor(3), supervisor.waitFor(5)]);
        await sleep(QUIET_MS);
        const names = (s: Sub) =>
          texts(s)
            .map((x) => x!.replace(`${transport} `, ""))
            .sort();
        expect({ bobView: names(bobView), bobKey: names(bobKey), supervisor: names(supervisor) }).toEqual(expected);
        for (const c of clients) await c.close();
        await feedsOpen(t, 0);
      });

      it("a scope outside the floor is FORBIDDEN at subscribe; no feed opens", async () => {
        const c = liveClient(t, transport, k.alpha);
        const sub = c.subscribe(MEMORY_EVENTS, { s: { org: "beta" } });
        expect(await sub.ended).toBe("complete");
        expect(errorCodes(sub)).toEqual(["FORBIDDEN"]);
        expect(t.gateway.openLiveFeeds).toBe(0);
        await c.close();
      });

      it("sessionTurns streams turns of a readable session; another tenant's or a malformed id is NOT_FOUND", async () => {
        const session = (await t.gql(k.alpha, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
        const [ca, cb] = [liveClient(t, transport, k.alpha), liveClient(t, transport, k.beta)];
        const turns = ca.subscribe(SESSION_TURNS, { id: session });
        await feedsOpen(t, 1);
        const stolen = cb.subscribe(SESSION_TURNS, { id: session });
        const forged = cb.subscribe(SESSION_TURNS, { id: "not-an-id" });
        expect([await stolen.ended, await forged.ended]).toEqual(["complete", "complete"]);
        expect([errorCodes(stolen), errorCodes(forged)]).toEqual([["NOT_FOUND"], ["NOT_FOUND"]]);
        expect(t.gateway.openLiveFeeds).toBe(1);
        for (const content of ["hello", "world"])
          await t.gql(
            k.alpha,
            `mutation($s: ID!, $c: String!) { addTurn(sessionId: $s, input: { role: USER, content: $c }) { seq } }`,
            { s: session, c: content },
          );
        // Another session's turns do not reach this stream.
        const other = (await t.gql(k.alpha, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
        await t.gql(
          k.alpha,
          `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "elsewhere" }) { seq } }`,
          {
            s: other,
          },
        );
        await turns.waitFor(2);
        await sleep(QUIET_MS);
        expect(turns.results.map((r) => r.data.sessionTurns)).toEqual([
          { seq: 1, role: "USER", content: "hello" },
          { seq: 2, role: "USER", content: "world" },
        ]);
        await Promise.all([ca.close(), cb.close()]);
        await feedsOpen(t, 0);
      });

      it("one operation opens one stream: aliased or repeated root fields fail validation", async () => {
        const c = liveClient(t, transport, k.alpha);
        const twice = c.subscribe(
          `subscription { a: memoryEvents { id } b: memoryEvents(scope: { user: "x" }) { id } }`,
        );
        expect(await refusal(twice, transport)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
        expect(t.gateway.openLiveFeeds).toBe(0);
        await c.close();
      });
    });
  }

  it("WebSocket: connecting without a valid context key closes with 4403; queries are refused over WebSocket", async () => {
    for (const secret of [null, "sgk_00000000000000000000_nope", MANAGEMENT_KEY]) {
      const ws = new WebSocket(t.http.url.replace(/^http/, "ws"), "graphql-transport-ws");
      await new Promise((r) => ws.once("open", r));
      ws.send(
        JSON.stringify({ type: "connection_init", payload: secret ? { Authorization: `Bearer ${secret}` } : {} }),
      );
      const [code] = await new Promise<[number]>((r) => ws.once("close", (c) => r([c])));
      expect(code).toBe(4403);
    }
    const c = liveClient(t, "ws", k.alpha);
    expect(await refusal(c.subscribe(`{ me { kind } }`), "ws")).toEqual(["BAD_REQUEST"]);
    expect(await refusal(c.subscribe(`subscription { memoryEvents { id `), "ws")).toEqual(["GRAPHQL_PARSE_FAILED"]);
    await c.close();
  });

  it("SSE: no key is UNAUTHENTICATED in the stream; wrong Accept or method are HTTP errors", async () => {
    const c = liveClient(t, "sse", null);
    const sub = c.subscribe(MEMORY_EVENTS);
    expect(await sub.ended).toBe("complete");
    expect(errorCodes(sub)).toEqual(["UNAUTHENTICATED"]);
    await c.close();
    const url = `${t.http.url}/stream`;
    const json = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(406);
    expect((await fetch(url, { method: "PUT", headers: { accept: "text/event-stream" } })).status).toBe(405);
  });

  it("a subscription over POST or GET /graphql is a 400 naming the live transports, not a 500", async () => {
    const post = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${k.alpha}` },
      body: JSON.stringify({ query: "subscription { memoryEvents { id } }" }),
    });
    const body = (await post.json()) as any;
    expect(post.status).toBe(400);
    expect(codes(body)).toEqual(["BAD_REQUEST"]);
    expect(body.errors[0].message).toMatch(/WebSocket.*\/graphql.*Server-Sent Events.*\/graphql\/stream/);
    const get = await fetch(`${t.http.url}?query=${encodeURIComponent("subscription { memoryEvents { id } }")}`, {
      headers: { authorization: `Bearer ${k.alpha}`, "apollo-require-preflight": "true" },
    });
    // Apollo refuses non-query operations over GET with 405 first; the message still names the transports.
    expect(get.status).toBe(405);
    const got = (await get.json()) as any;
    expect(codes(got)).toEqual(["BAD_REQUEST"]);
    expect(got.errors[0].message).toBe(body.errors[0].message);
  });

  it("a client that goes away releases its live query (WebSocket terminated, SSE request aborted)", async () => {
    const ws = new WebSocket(t.http.url.replace(/^http/, "ws"), "graphql-transport-ws");
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${k.alpha}` } }));
    await new Promise((r) => ws.once("message", r));
    ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { memoryEvents { id } }" } }));
    await feedsOpen(t, 1);
    const metrics = await (
      await fetch(t.http.url.replace(/graphql$/, "metrics"), { headers: { authorization: `Bearer ${MANAGEMENT_KEY}` } })
    ).text();
    expect(metrics).toMatch(/^scopegate_live_subscriptions 1$/m);
    ws.terminate();
    await feedsOpen(t, 0);
    const abort = new AbortController();
    const res = await fetch(`${t.http.url}/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${k.alpha}` },
      body: JSON.stringify({ query: "subscription { memoryEvents { id } }" }),
      signal: abort.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    await feedsOpen(t, 1);
    abort.abort();
    await feedsOpen(t, 0);
  });
});

describe("live data: limits", () => {
  let t: TestGateway;
  let k: Keys;
  beforeAll(async () => {
    t = await startTestGateway(undefined, { liveMaxPerConnection: 2, liveMaxPerKey: 3 });
    k = await sharedContext(t);
  });
  afterAll(() => t.close());

  it("SUBSCRIPTION_LIMIT per connection and per key; a closed stream gives its slot back", async () => {
    const one = liveClient(t, "ws", k.alpha);
    const [s1, s2] = [0, 1].map(() => one.subscribe(MEMORY_EVENTS));
    await feedsOpen(t, 2);
    const s3 = one.subscribe(MEMORY_EVENTS);
    expect(await s3.ended).toBe("complete");
    expect(errorCodes(s3)).toEqual(["SUBSCRIPTION_LIMIT"]);
    const other = liveClient(t, "sse", k.alpha);
    const s4 = other.subscribe(MEMORY_EVENTS);
    await feedsOpen(t, 3);
    const s5 = other.subscribe(MEMORY_EVENTS);
    expect(await s5.ended).toBe("complete");
    expect(errorCodes(s5)).toEqual(["SUBSCRIPTION_LIMIT"]);
    // Another key of the same Context is not affected.
    const beta = liveClient(t, "sse", k.beta);
    const b = beta.subscribe(MEMORY_EVENTS);
    await feedsOpen(t, 4);
    s1!.stop();
    await feedsOpen(t, 3);
    const s6 = other.subscribe(MEMORY_EVENTS);
    await feedsOpen(t, 4);
    for (const s of [s2!, s4, s6, b]) s.stop();
    await feedsOpen(t, 0);
    await Promise.all([one.close(), other.close(), beta.close()]);
  });
});

describe("live data across replicas and revocation", () => {
  let t: TestGateway;
  let k: Keys;
  // A second replica: its own Gateway (control store, authenticator, sessions, caches, retention)
  // and its own HTTP server, on the first one's database connection. An embedded engine is one
  // SurrealDB node; a second engine cannot open the same surrealkv folder (it hangs) and a second
  // mem:// engine is another database, so sharing the connection is what two replicas against
  // one SurrealDB server look like from here. Nothing else is shared: no in-process bus exists.
  let replica: Gateway;
  let replicaHttp: HttpGateway;
  const viaReplica = async (secret: string, query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(replicaHttp.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: any[] };
  };

  beforeAll(async () => {
    t = await startTestGateway(undefined, { liveRecheckMs: 2000 });
    k = await sharedContext(t);
    replica = await Gateway.start({
      settings: { surrealUrl: "unused://", connectTimeoutMs: 10_000, managementKey: MANAGEMENT_KEY },
      database: t.gateway.db,
      announce: () => undefined,
    });
    replicaHttp = await startHttp(replica, 0, "127.0.0.1", { rateLimitPerMinute: 0 });
  });
  afterAll(async () => {
    await replicaHttp.close();
    await replica.close();
    await t.close();
  });

  for (const transport of TRANSPORTS) {
    it(`${transport}: a memory written through another replica reaches the subscriber, filtered by its floor`, async () => {
      const ca = liveClient(t, transport, k.alpha);
      const sub = ca.subscribe(MEMORY_EVENTS);
      await feedsOpen(t, 1);
      expect(replica.openLiveFeeds).toBe(0);
      const remembered = `mutation($t: String!) { remember(input: { text: $t }) { id } }`;
      expect((await viaReplica(k.beta, remembered, { t: `${transport} beta via replica` })).errors).toBeUndefined();
      expect((await viaReplica(k.alpha, remembered, { t: `${transport} alpha via replica` })).errors).toBeUndefined();
      await sub.waitFor(1);
      await sleep(QUIET_MS);
      expect(texts(sub)).toEqual([`${transport} alpha via replica`]);
      await ca.close();
      await feedsOpen(t, 0);
    });
  }

  for (const transport of TRANSPORTS) {
    it(`${transport}: revoking the key on another replica ends its streams with UNAUTHENTICATED within 5 s`, async () => {
      const name = `revoked-${transport}`;
      const key = await createKey(t, "platform-prod", name, "AGENT", { org: "alpha" });
      const c = liveClient(t, transport, key);
      const events = c.subscribe(MEMORY_EVENTS);
      const session = (await t.gql(key, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
      // Out of phase: the two streams check the key at different moments, and each must still end with its own error.
      await sleep(700);
      const turns = c.subscribe(SESSION_TURNS, { id: session });
      await feedsOpen(t, 2);
      const revoked = await viaReplica(
        MANAGEMENT_KEY,
        `mutation($n: String!) { revokeKey(contextId: "platform-prod", name: $n) { name } }`,
        {
          n: name,
        },
      );
      expect(revoked.errors).toBeUndefined();
      const started = performance.now();
      const ends = await Promise.all([events.ended, turns.ended]);
      const ms = performance.now() - started;
      console.log(
        `live revoke (${transport}, other replica): both streams ended ${Math.round(ms)} ms after revokeKey returned`,
      );
      expect(ms).toBeLessThan(5000);
      for (const [i, s] of [events, turns].entries()) {
        expect(errorCodes(s)).toEqual(["UNAUTHENTICATED"]);
        // WebSocket: the stream's UNAUTHENTICATED then complete; the socket closes with 4403 after.
        expect(ends[i]).toBe("complete");
      }
      await feedsOpen(t, 0);
      await c.close();
    });
  }

  it("rotating a key on this replica ends its stream at once; deleting the Context ends its streams", async () => {
    const key = await createKey(t, "platform-prod", "rotated", "AGENT", { org: "alpha" });
    const c = liveClient(t, "sse", key);
    const sub = c.subscribe(MEMORY_EVENTS);
    await feedsOpen(t, 1);
    const started = performance.now();
    await t
      .mgmt(`mutation { rotateKey(contextId: "platform-prod", name: "rotated") { secret } }`)
      .then((d) => noteSecret(d.rotateKey.secret));
    expect(await sub.ended).toBe("complete");
    expect(performance.now() - started).toBeLessThan(1000); // the local feed ends at once, not at the next tick
    expect(errorCodes(sub)).toEqual(["UNAUTHENTICATED"]);
    await c.close();

    const other = await sharedContext(t, "doomed", "doomed");
    const d = liveClient(t, "ws", other.alpha);
    const doomed = d.subscribe(MEMORY_EVENTS);
    await feedsOpen(t, 1);
    await viaReplica(MANAGEMENT_KEY, `mutation { deleteContext(id: "doomed") }`);
    expect(await doomed.ended).toBe("complete");
    expect(errorCodes(doomed)).toEqual(["UNAUTHENTICATED"]);
    await feedsOpen(t, 0);
    await d.close();
  });

  it("write→event latency over 200 events (graphql-ws)", async () => {
    const c = liveClient(t, "ws", k.alpha);
    const sub = c.subscribe(`subscription { memoryEvents { memory { text } } }`);
    await feedsOpen(t, 1);
    const N = 200;
    const sentAt: number[] = [];
    const ackAt: number[] = [];
    const seenAt = new Map<number, number>();
    // Each event is timestamped as the client's sink receives it (the sink pushes into `results`).
    const seen = sub.results;
    const push = seen.push.bind(seen);
    seen.push = (...items) => {
      for (const item of items) {
        const n = Number(/#(\d+)$/.exec(item.data.memoryEvents.memory.text)?.[1]);
        if (!seenAt.has(n)) seenAt.set(n, performance.now());
      }
      return push(...items);
    };
    for (let i = 0; i < N; i++) {
      sentAt[i] = performance.now();
      await remember(t, k.alpha, `latency #${i}`);
      ackAt[i] = performance.now();
    }
    await sub.waitFor(N, 20_000);
    const fromWrite = sentAt.map((s, i) => seenAt.get(i)! - s).sort((a, b) => a - b);
    const fromAck = ackAt.map((s, i) => seenAt.get(i)! - s).sort((a, b) => a - b);
    const q = (xs: number[], p: number) =>
      Math.round(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! * 100) / 100;
    const report = {
      events: N,
      transport: "graphql-ws",
      engine: "@surrealdb/node 3.0.2 mem://",
      writeToEventMs: { p50: q(fromWrite, 0.5), p99: q(fromWrite, 0.99), max: q(fromWrite, 1) },
      ackToEventMs: { p50: q(fromAck, 0.5), p99: q(fromAck, 0.99), max: q(fromAck, 1) },
    };
    mkdirSync("test-artifacts", { recursive: true });
    writeFileSync("test-artifacts/live-latency.json", `${JSON.stringify(report, null, 2)}\n`);
    console.log(`live latency: ${JSON.stringify(report)}`);
    expect(seenAt.size).toBe(N);
    expect(report.writeToEventMs.p99).toBeLessThan(1000);
    await c.close();
    await feedsOpen(t, 0);
  });
});

describe("answerStream", () => {
  let t: TestGateway;
  let api: FakeOpenAI;
  let local: string;
  let remote: string;
  const SECRET = noteSecret("sk-test-live-stream-0123456789abcdef");
  const TRACES = `{ decisionTraces(first: 50) { edges { node { purpose outcome model promptTokens completionTokens } } } }`;

  beforeAll(async () => {
    api = await startFakeOpenAI();
    t = await startTestGateway();
    const create = `mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`;
    await t.mgmt(create, { i: { id: "local-ctx", namespace: "live", database: "local" } });
    await t.mgmt(create, {
      i: {
        id: "remote-ctx",
        namespace: "live",
        database: "remote",
        config: {
          models: { response: "openai/gpt-4o" },
          providers: { openai: SECRET },
          providerUrls: { openai: api.baseUrl },
        },
      },
    });
    local = await createKey(t, "local-ctx", "agent", "AGENT", { org: "alpha" });
    remote = await createKey(t, "remote-ctx", "agent", "AGENT", { org: "alpha" });
    for (const key of [local, remote]) {
      await remember(t, key, "The blue team deploys every Tuesday after the standup meeting in Lisbon.");
      await remember(t, key, "Lunch is at noon.");
    }
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  for (const transport of TRANSPORTS) {
    it(`${transport}: streams the local model's answer in pieces, then citations and usage; one decision trace`, async () => {
      const before = (await t.gql(local, TRACES)).data.decisionTraces.edges.length;
      const c = liveClient(t, transport, local);
      const sub = c.subscribe(ANSWER_STREAM, { i: { question: "When does the blue team deploy?" } });
      expect(await sub.ended).toBe("complete");
      const chunks = sub.results.map((r) => r.data.answerStream);
      const pieces = chunks.filter((x) => !x.done);
      const last = chunks.at(-1);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.every((x) => x.citations === null && x.usage === null && x.text.length > 0)).toBe(true);
      expect(pieces.map((x) => x.text).join("")).toMatch(/Tuesday/);
      expect(last).toMatchObject({ done: true, text: "", usage: { model: "local/extractive" } });
      expect(last.citations.map((x: any) => x.memory.text)).toContain(
        "The blue team deploys every Tuesday after the standup meeting in Lisbon.",
      );
      const traces = (await t.gql(local, TRACES)).data.decisionTraces.edges.map((e: any) => e.node);
      expect(traces.length).toBe(before + 1);
      expect(traces.at(-1)).toMatchObject({
        purpose: "RESPONSE",
        outcome: "SUCCESS",
        model: "local/extractive",
        completionTokens: last.usage.completionTokens,
      });
      await c.close();
    });
  }

  it("streams a remote model's deltas (OpenAI stream: true) and counts the usage it reports", async () => {
    api.chatUsage = { prompt_tokens: 90, completion_tokens: 7 };
    const c = liveClient(t, "ws", remote);
    const sub = c.subscribe(ANSWER_STREAM, { i: { question: "When does the blue team deploy?" } });
    expect(await sub.ended).toBe("complete");
    const chunks = sub.results.map((r) => r.data.answerStream);
    expect(chunks.filter((x) => !x.done).map((x) => x.text)).toEqual(["From ", "the ", "passages: ", "see ", "[1]."]);
    expect(chunks.at(-1).usage).toEqual({
      promptTokens: 90,
      completionTokens: 7,
      totalTokens: 97,
      model: "openai/gpt-4o",
    });
    const call = api.requests.filter((q) => q.path === "/v1/chat/completions").at(-1)!;
    expect(call.body.stream).toBe(true);
    const traces = (await t.gql(remote, TRACES)).data.decisionTraces.edges.map((e: any) => e.node);
    expect(traces).toEqual([
      { purpose: "RESPONSE", outcome: "SUCCESS", model: "openai/gpt-4o", promptTokens: 90, completionTokens: 7 },
    ]);
    await c.close();
  });

  it("refuses before streaming: another tenant's session NOT_FOUND, an empty question BAD_USER_INPUT, an exhausted budget TOKEN_LIMIT_EXCEEDED", async () => {
    const c = liveClient(t, "sse", local);
    const other = await createKey(t, "local-ctx", "other", "AGENT", { org: "beta" });
    const theirs = (await t.gql(other, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
    const s1 = c.subscribe(ANSWER_STREAM, { i: { question: "anything?", sessionId: theirs } });
    const s2 = c.subscribe(ANSWER_STREAM, { i: { question: "   " } });
    await Promise.all([s1.ended, s2.ended]);
    expect([errorCodes(s1), errorCodes(s2)]).toEqual([["NOT_FOUND"], ["BAD_USER_INPUT"]]);
    await t.mgmt(`mutation { updateContext(id: "local-ctx", config: { tokenLimit: 1 }) { id } }`);
    const s3 = c.subscribe(ANSWER_STREAM, { i: { question: "When does the blue team deploy?" } });
    expect(await s3.ended).toBe("complete");
    expect(errorCodes(s3)).toEqual(["TOKEN_LIMIT_EXCEEDED"]);
    expect(s3.results).toHaveLength(1);
    await c.close();
  });
});

/**
 * DESIGN §4 for live data: with one layer switched off (test-only switches), another tenant's
 * events still never arrive. Layer 2 is the live query's WHERE, layer 3 the PERMISSIONS of the
 * subscriber's record-user session; the shield admits the field and its scope.
 */
describe.each([
  ["executor predicate off", { executorPredicate: false }],
  ["database permissions off", { dbPermissions: false }],
  ["only database permissions on", { shield: false, executorPredicate: false }],
  ["only the executor on", { shield: false, dbPermissions: false }],
] as Array<[string, Partial<LayerSwitches>]>)("live data with %s", (_name, layers) => {
  let t: TestGateway;
  let k: Keys;
  beforeAll(async () => {
    t = await startTestGateway(layers);
    k = await sharedContext(t);
  });
  afterAll(() => t.close());

  it("alpha's streams carry nothing of beta's, and beta's session cannot be watched", async () => {
    const betaSession = (await t.gql(k.beta, `mutation { createSession(input: {}) { id } }`)).data.createSession.id;
    const c = liveClient(t, "ws", k.alpha);
    const events = c.subscribe(MEMORY_EVENTS);
    const foreign = c.subscribe(MEMORY_EVENTS, { s: { org: "beta" } });
    const turns = c.subscribe(SESSION_TURNS, { id: betaSession });
    expect(await foreign.ended).toBe("complete");
    expect(await turns.ended).toBe("complete");
    expect([errorCodes(foreign), errorCodes(turns)]).toEqual([["FORBIDDEN"], ["NOT_FOUND"]]);
    await feedsOpen(t, 1);
    const secret = await remember(t, k.beta, "beta private");
    await t.gql(
      k.beta,
      `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "beta turn" }) { seq } }`,
      {
        s: betaSession,
      },
    );
    await t.gql(k.beta, `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count } }`, { ids: [secret.id] });
    await rememberShared(t, "shared note");
    await events.waitFor(1);
    await sleep(QUIET_MS);
    expect(texts(events)).toEqual(["shared note"]);
    await c.close();
    await feedsOpen(t, 0);
  });
});

describe("live data settings", () => {
  it("reads the limits from the environment and keeps the re-check interval inside the 5 s promise", () => {
    const http = readSettings({
      SCOPEGATE_LIVE_MAX_PER_KEY: "7",
      SCOPEGATE_LIVE_MAX_PER_CONNECTION: "3",
      SCOPEGATE_LIVE_RECHECK_MS: "4500",
    }).http;
    expect([http.liveMaxPerKey, http.liveMaxPerConnection, http.liveRecheckMs]).toEqual([7, 3, 4500]);
    expect(readSettings({}).http).toMatchObject({ liveMaxPerKey: 50, liveMaxPerConnection: 20, liveRecheckMs: 2000 });
    for (const [name, value] of <Array<[string, string]>>[
      ["SCOPEGATE_LIVE_RECHECK_MS", "5000"],
      ["SCOPEGATE_LIVE_RECHECK_MS", "50"],
      ["SCOPEGATE_LIVE_MAX_PER_KEY", "0"],
      ["SCOPEGATE_LIVE_MAX_PER_CONNECTION", "many"],
    ])
      expect(() => readSettings({ [name]: value })).toThrow(ConfigError);
  });
});
