import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextGlobalId, decodeGlobalId, globalId, localIdOf, MAX_GLOBAL_ID_CHARS } from "../src/domain/globalIds.js";
import { codes, createKey, MANAGEMENT_KEY, startTestGateway, type TestGateway } from "./harness.js";

describe("global ids (domain/globalIds.ts)", () => {
  it("round-trip type, Context and local id; Contexts carry only their id", () => {
    const id = globalId("Memory", "platform-prod", "WyJbXSIsIjAxQVJaM05ERUtUU1Y0UlJGRlE2OUc1RkFWIl0");
    expect(decodeGlobalId(id)).toEqual({
      type: "Memory",
      contextId: "platform-prod",
      local: "WyJbXSIsIjAxQVJaM05ERUtUU1Y0UlJGRlE2OUc1RkFWIl0",
    });
    expect(decodeGlobalId(contextGlobalId("tenant-alpha"))).toEqual({
      type: "Context",
      contextId: "tenant-alpha",
      local: "",
    });
    expect(localIdOf(id, "Memory", "platform-prod")).toBe("WyJbXSIsIjAxQVJaM05ERUtUU1Y0UlJGRlE2OUc1RkFWIl0");
    expect(localIdOf(id, "Session", "platform-prod")).toBeNull();
    expect(localIdOf(id, "Memory", "tenant-alpha")).toBeNull();
    // The same local id under two types is two ids (the Key/AuditKey collision this scheme fixes).
    expect(globalId("Key", "c", "k1")).not.toBe(globalId("AuditKey", "c", "k1"));
  });

  it("decode only canonical ids of known types, never throwing", () => {
    const id = globalId("Session", "c", "abc");
    const text = (v: string) => Buffer.from(v).toString("base64url");
    const rejected: unknown[] = [
      `${id}=`, // padding
      text("Session:c:a?>").replace(/_/g, "/").replace(/-/g, "+"), // the other base64 alphabet
      `${id.slice(0, -1)}${String.fromCharCode(id.charCodeAt(id.length - 1) ^ 1)}`, // another last character
      text("Nothing:c:abc"),
      text("Session:c"),
      text("Session::abc"),
      text("Session:c:"),
      text("Session:UPPER:abc"),
      text("Context:"),
      text("Context:a:b"),
      text("Context:Bad_Name"),
      Buffer.from([0x53, 0x3a, 0xff, 0xfe]).toString("base64url"), // not UTF-8
      "",
      "!!!",
      "a".repeat(MAX_GLOBAL_ID_CHARS + 1),
      42,
      null,
      { id },
    ];
    expect(text("Session:c:a?>")).toMatch(/[-_]/); // the alphabet case above really differs
    for (const bad of rejected) expect(decodeGlobalId(bad), String(bad)).toBeNull();
    // Trailing bits: "Q" + "Q" and "Q" + "R" spell the same byte for Node's decoder; only the canonical one is an id.
    const one = text("Context:ab"); // 10 bytes: the last character carries 4 unused bits
    expect(decodeGlobalId(one)).toEqual({ type: "Context", contextId: "ab", local: "" });
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = one.slice(0, -1) + alphabet[alphabet.indexOf(one.at(-1)!) + 1]!;
    expect(Buffer.from(sibling, "base64url")).toEqual(Buffer.from(one, "base64url"));
    expect(decodeGlobalId(sibling)).toBeNull();
  });
});

interface Owned {
  session: string;
  turn: string;
  memory: string;
  privateMemory: string;
  document: string;
  chunk: string;
  trace: string;
}

describe("Relay: node(id:), nodes(ids:) and global ids through the API", () => {
  let t: TestGateway;
  const keys: Record<string, string> = {};
  const owned: Record<string, Owned> = {};
  let acmeKeyId: string;

  const gql = async (who: string, query: string, variables?: Record<string, unknown>) =>
    t.gql(who === "mgmt" ? MANAGEMENT_KEY : keys[who]!, query, variables);
  const ok = async (who: string, query: string, variables?: Record<string, unknown>) => {
    const r = await gql(who, query, variables);
    if (r.errors) throw new Error(`${who}: ${JSON.stringify(r.errors)}`);
    return r.data;
  };

  /** A tenant's records of every Node type: a session with a turn, memories, a document and its chunk, a trace. */
  async function populate(who: string, tag: string): Promise<Owned> {
    const session = (await ok(who, `mutation { createSession(input: {}) { id } }`)).createSession.id;
    const turn = (
      await ok(
        who,
        `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "hello ${tag}" }) { id } }`,
        {
          s: session,
        },
      )
    ).addTurn.id;
    const memory = (
      await ok(who, `mutation($s: ID!) { remember(input: { text: "${tag} likes tea", sessionId: $s }) { id } }`, {
        s: session,
      })
    ).remember.id;
    // At a narrower scope: the writing agent reads it by id, other agents of the same floor do not.
    const privateMemory = (
      await ok(who, `mutation { remember(input: { text: "${tag} private", scope: { user: "bob" } }) { id } }`)
    ).remember.id;
    const doc = (
      await ok(
        who,
        `mutation { uploadDocument(input: { title: "${tag} handbook", mimeType: "text/plain", content: "${tag} handbook text" }) { document { id chunks { id } } } }`,
      )
    ).uploadDocument.document;
    await ok(who, `mutation { answer(input: { question: "what does ${tag} drink?" }) { text } }`);
    const trace = (await ok(who, `{ decisionTraces(first: 1) { edges { node { id } } } }`)).decisionTraces.edges[0].node
      .id;
    return { session, turn, memory, privateMemory, document: doc.id, chunk: doc.chunks[0].id, trace };
  }

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    await t.mgmt(
      `mutation { createContext(input: { id: "tenant-umbrella", namespace: "tenants", database: "umbrella" }) { id } }`,
    );
    keys.acme = await createKey(t, "platform-prod", "acme", "AGENT", { org: "acme" });
    keys.acme2 = await createKey(t, "platform-prod", "acme-2", "AGENT", { org: "acme" });
    keys.acmeSup = await createKey(t, "platform-prod", "acme-sup", "SUPERVISOR", { org: "acme" });
    keys.globex = await createKey(t, "platform-prod", "globex", "AGENT", { org: "globex" });
    keys.umbrella = await createKey(t, "tenant-umbrella", "umbrella", "AGENT", { org: "umbrella" });
    keys.acmeRead = await createKey(t, "platform-prod", "acme-read", "AGENT", { org: "acme" }, undefined, "READ");
    owned.acme = await populate("acme", "acme");
    owned.globex = await populate("globex", "globex");
    owned.umbrella = await populate("umbrella", "umbrella");
    const all = await t.mgmt(`{ keys(contextId: "platform-prod") { id keyId name } }`);
    acmeKeyId = all.keys.find((k: any) => k.name === "acme").id;
  });
  afterAll(() => t.close());

  const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;

  it("every id is a global id of its own type; a key and its audit row no longer share one", async () => {
    const d = await ok(
      "mgmt",
      `{ context(id: "platform-prod") { id name keys { id keyId } } scopeAudit(contextId: "platform-prod") { keys { id keyId } } }`,
    );
    expect(decodeGlobalId(d.context.id)).toEqual({ type: "Context", contextId: "platform-prod", local: "" });
    expect(d.context.name).toBe("platform-prod");
    const keyIds = d.context.keys.map((k: any) => k.id);
    const auditIds = d.scopeAudit.keys.map((k: any) => k.id);
    expect(new Set([...keyIds, ...auditIds]).size).toBe(keyIds.length + auditIds.length);
    expect(d.scopeAudit.keys.map((k: any) => k.keyId).sort()).toEqual(d.context.keys.map((k: any) => k.keyId).sort());
    for (const k of d.context.keys)
      expect(decodeGlobalId(k.id)).toEqual({ type: "Key", contextId: "platform-prod", local: k.keyId });
    for (const k of d.scopeAudit.keys) expect(decodeGlobalId(k.id)?.type).toBe("AuditKey");
    const types: Record<keyof Owned, string> = {
      session: "Session",
      turn: "Turn",
      memory: "Memory",
      privateMemory: "Memory",
      document: "Document",
      chunk: "DocumentChunk",
      trace: "DecisionTrace",
    };
    for (const [field, type] of Object.entries(types)) {
      expect(decodeGlobalId(owned.acme![field as keyof Owned])).toMatchObject({ type, contextId: "platform-prod" });
      expect(decodeGlobalId(owned.umbrella![field as keyof Owned])).toMatchObject({
        type,
        contextId: "tenant-umbrella",
      });
    }
  });

  it("node(id:) answers the caller's own objects of every Node type, as the typed fields show them", async () => {
    const o = owned.acme!;
    const d = await ok(
      "acme",
      `query($s: ID!, $t: ID!, $m: ID!, $d: ID!, $c: ID!, $tr: ID!) {
        s: node(id: $s) { __typename id ... on Session { scope turns(first: 5) { totalCount edges { node { id content } } } } }
        t: node(id: $t) { __typename id ... on Turn { seq role content } }
        m: node(id: $m) { __typename id ... on Memory { text scope session { id } } }
        d: node(id: $d) { __typename id ... on Document { title chunks { id } } }
        c: node(id: $c) { __typename id ... on DocumentChunk { position text document { id } } }
        tr: node(id: $tr) { __typename id ... on DecisionTrace { purpose model } }
        memory(id: $m) { id text scope session { id } }
        session(id: $s) { id scope }
      }`,
      { s: o.session, t: o.turn, m: o.memory, d: o.document, c: o.chunk, tr: o.trace },
    );
    expect(d.s).toMatchObject({ __typename: "Session", id: o.session, scope: d.session.scope });
    expect(d.s.turns).toEqual({ totalCount: 1, edges: [{ node: { id: o.turn, content: "hello acme" } }] });
    expect(d.t).toEqual({ __typename: "Turn", id: o.turn, seq: 1, role: "USER", content: "hello acme" });
    expect(d.m).toEqual({ __typename: "Memory", ...d.memory });
    expect(d.m.session.id).toBe(o.session);
    expect(d.d).toEqual({ __typename: "Document", id: o.document, title: "acme handbook", chunks: [{ id: o.chunk }] });
    expect(d.c).toMatchObject({ __typename: "DocumentChunk", id: o.chunk, position: 0, document: { id: o.document } });
    expect(d.tr).toMatchObject({ __typename: "DecisionTrace", id: o.trace, purpose: "RESPONSE" });
    // nodes(ids:) keeps the order and answers null in place.
    const n = await ok("acme", `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [o.memory, owned.globex!.memory, "garbage", o.session],
    });
    expect(n.nodes).toEqual([
      { __typename: "Memory", id: o.memory },
      null,
      null,
      { __typename: "Session", id: o.session },
    ]);
  });

  it("the management key resolves every Node type of every Context, Contexts and Keys included", async () => {
    const ids = [
      ...Object.values(owned.acme!),
      ...Object.values(owned.umbrella!),
      contextGlobalId("platform-prod"),
      contextGlobalId("tenant-umbrella"),
      acmeKeyId,
    ];
    const d = await ok(
      "mgmt",
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Key { name } ... on Context { name } } }`,
      {
        ids,
      },
    );
    expect(d.nodes.map((n: any) => n?.id)).toEqual(ids);
    expect(d.nodes.at(-1)).toEqual({ __typename: "Key", id: acmeKeyId, name: "acme" });
    expect(d.nodes.at(-3)).toEqual({
      __typename: "Context",
      id: contextGlobalId("platform-prod"),
      name: "platform-prod",
    });
    // Unknown Contexts, keys and records: null.
    const unknown = [
      contextGlobalId("no-such-context"),
      globalId("Key", "platform-prod", "00000000000000000000"),
      globalId("Memory", "no-such-context", decodeGlobalId(owned.acme!.memory)!.local),
    ];
    const u = await gql("mgmt", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: unknown });
    expect(u).toEqual({ data: { nodes: [null, null, null] } });
  });

  it("isolation: another tenant's or Context's id of every type is null for node(id:), never an error or another object", async () => {
    const callers = ["acme", "acme2", "acmeSup", "acmeRead", "globex", "umbrella"];
    for (const caller of callers) {
      for (const [tenant, records] of Object.entries(owned)) {
        for (const [field, id] of Object.entries(records)) {
          const r = await gql(caller, NODE, { id });
          expect(r.errors, `${caller} → ${tenant}.${field}`).toBeUndefined();
          const sameTenant = caller.startsWith(tenant);
          if (!sameTenant) expect(r.data.node, `${caller} → ${tenant}.${field}`).toBeNull();
          else if (r.data.node) expect(r.data.node.id).toBe(id);
        }
      }
    }
  });

  it("node(id:) sees exactly what the typed fields see, for every caller and id", async () => {
    const callers = ["acme", "acme2", "acmeSup", "acmeRead", "globex", "umbrella"];
    const TYPED = `query($s: ID!, $m: ID!, $pm: ID!, $d: ID!) {
      session(id: $s) { id turns(first: 100) { edges { node { id } } } }
      memory(id: $m) { id } pm: memory(id: $pm) { id }
      document(id: $d) { id chunks { id } }
      decisionTraces(first: 100) { edges { node { id } } } }`;
    for (const caller of callers) {
      for (const [tenant, o] of Object.entries(owned)) {
        const typed = await ok(caller, TYPED, { s: o.session, m: o.memory, pm: o.privateMemory, d: o.document });
        const visible = {
          session: typed.session !== null,
          turn: (typed.session?.turns.edges ?? []).some((e: any) => e.node.id === o.turn),
          memory: typed.memory !== null,
          privateMemory: typed.pm !== null,
          document: typed.document !== null,
          chunk: (typed.document?.chunks ?? []).some((c: any) => c.id === o.chunk),
          trace: typed.decisionTraces.edges.some((e: any) => e.node.id === o.trace),
        };
        const ids = Object.values(o);
        const viaNode = (await ok(caller, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids })).nodes;
        const seen = Object.fromEntries(Object.keys(o).map((field, i) => [field, viaNode[i] !== null]));
        expect(seen, `${caller} → ${tenant}`).toEqual(visible);
      }
    }
    // The matrix is not trivially empty: the writer sees its private memory, its sibling agent does not, the supervisor does.
    const pm = owned.acme!.privateMemory;
    expect((await ok("acme", NODE, { id: pm })).node).not.toBeNull();
    expect((await ok("acme2", NODE, { id: pm })).node).toBeNull();
    expect((await ok("acmeSup", NODE, { id: pm })).node).not.toBeNull();
  });

  it("types the caller may not read (Context, Key) and ids that are no Node (AuditKey, MemoryEvent) are null", async () => {
    const audit = await ok("mgmt", `{ scopeAudit(contextId: "platform-prod") { keys { id name } } }`);
    const auditKey = audit.scopeAudit.keys.find((k: any) => k.name === "acme").id;
    const memoryLocal = decodeGlobalId(owned.acme!.memory)!.local;
    const ids = [
      contextGlobalId("platform-prod"), // its own Context
      acmeKeyId, // its own key
      auditKey,
      globalId("MemoryEvent", "platform-prod", `CREATED:${memoryLocal}`),
    ];
    for (const who of ["acme", "acmeSup", "acmeRead", "mgmt"]) {
      const r = await gql(who, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
      expect(r.errors, who).toBeUndefined();
      if (who === "mgmt")
        expect(r.data.nodes.map((n: any) => n?.__typename ?? null)).toEqual(["Context", "Key", null, null]);
      else expect(r.data.nodes).toEqual([null, null, null, null]);
    }
  });

  it("forged and malformed ids are null for node(id:) and unknown for typed fields, never a server error", async () => {
    const acme = owned.acme!;
    const globex = owned.globex!;
    const local = (id: string) => decodeGlobalId(id)!.local;
    const forged = [
      // Real local ids under other types and Contexts.
      globalId("Session", "platform-prod", local(acme.memory)),
      globalId("Memory", "platform-prod", local(acme.session)),
      globalId("Turn", "platform-prod", local(acme.memory)),
      globalId("DocumentChunk", "platform-prod", local(acme.document)),
      globalId("DecisionTrace", "platform-prod", local(acme.memory)),
      globalId("Memory", "tenant-umbrella", local(acme.memory)),
      globalId("Memory", "platform-prod", "not-base64-json"),
      globalId("Memory", "platform-prod", Buffer.from('[["zz"],"01ARZ3NDEKTSV4RRFFQ69G5FAV"]').toString("base64url")),
      globalId("Key", "platform-prod", "x".repeat(1000)),
      local(acme.memory), // a local (pre-Relay) id
      `${acme.memory}=`,
      "",
      "x",
      "🙂",
      "a".repeat(5000),
    ];
    for (const who of ["acme", "globex", "mgmt"]) {
      const r = await gql(who, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: forged });
      expect(r, who).toEqual({ data: { nodes: forged.map(() => null) } });
      for (const id of forged) {
        const typed = await gql(
          who,
          who === "mgmt"
            ? `query($id: ID!) { context(id: "platform-prod") { memory(id: $id) { id } session(id: $id) { id } document(id: $id) { id } } }`
            : `query($id: ID!) { memory(id: $id) { id } session(id: $id) { id } document(id: $id) { id } }`,
          { id },
        );
        expect(codes(typed), `${who} ${id}`).toEqual([]);
      }
    }
    // Ids are not secret: anyone can spell globex's turn id from its session id. That names globex's
    // real turn, which globex reads and acme does not.
    const [skey, sulid] = JSON.parse(Buffer.from(local(globex.session), "base64url").toString());
    const spelled = globalId(
      "Turn",
      "platform-prod",
      Buffer.from(JSON.stringify([skey, sulid, 1])).toString("base64url"),
    );
    expect(spelled).toBe(globex.turn);
    expect((await ok("globex", NODE, { id: spelled })).node).toEqual({ __typename: "Turn", id: globex.turn });
    expect((await ok("acme", NODE, { id: spelled })).node).toBeNull();
    // Writes that take ids: unknown for anything forged or foreign (NOT_FOUND / count 0), no other code.
    for (const id of [...forged.slice(0, 8), globex.session, globex.memory, globex.document]) {
      const add = await gql(
        "acme",
        `mutation($s: ID!) { addTurn(sessionId: $s, input: { role: USER, content: "x" }) { id } }`,
        {
          s: id,
        },
      );
      expect(codes(add)).toEqual(["NOT_FOUND"]);
      const forget = await ok(
        "acme",
        `mutation($ids: [ID!]!) { forget(input: { ids: $ids, dryRun: true }) { count } }`,
        {
          ids: [id],
        },
      );
      expect(forget.forget.count).toBe(0);
      expect(codes(await gql("acme", `mutation($d: ID!) { deleteDocument(id: $d) }`, { d: id }))).toEqual([
        "NOT_FOUND",
      ]);
    }
    // Too many ids at once is the client's mistake.
    const many = await gql("acme", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: Array.from({ length: 101 }, () => acme.memory),
    });
    expect(codes(many)).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await t.gql(null, NODE, { id: acme.memory }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("_entities resolves global ids like node(id:), restricted to the representation's type", async () => {
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Memory { id text } ... on Session { id } ... on Context { id name } } }`;
    const acme = owned.acme!;
    const reps = [
      { __typename: "Memory", id: acme.memory },
      { __typename: "Session", id: acme.session },
      { __typename: "Memory", id: acme.session }, // another type's id
      { __typename: "Memory", id: owned.globex!.memory }, // another tenant's
      { __typename: "Memory", id: decodeGlobalId(acme.memory)!.local }, // a pre-Relay local id
      { __typename: "Context", id: contextGlobalId("platform-prod") }, // management only
    ];
    const r = await gql("acme", ENTITIES, { r: reps });
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([
      { __typename: "Memory", id: acme.memory, text: "acme likes tea" },
      { __typename: "Session", id: acme.session },
      null,
      null,
      null,
      null,
    ]);
    const m = await gql("mgmt", ENTITIES, { r: [reps[5], reps[0]] });
    expect(m.data._entities).toEqual([
      { __typename: "Context", id: contextGlobalId("platform-prod"), name: "platform-prod" },
      { __typename: "Memory", id: acme.memory, text: "acme likes tea" },
    ]);
  });

  it("id arguments take global ids: forget answers them, and Contexts are named by global id or own id", async () => {
    const m = (await ok("acme", `mutation { remember(input: { text: "to forget" }) { id } }`)).remember.id;
    const f = await ok("acme", `mutation($ids: [ID!]!) { forget(input: { ids: $ids }) { count ids } }`, { ids: [m] });
    expect(f.forget).toEqual({ count: 1, ids: [m] });
    const ctx = contextGlobalId("platform-prod");
    const byGlobal = await ok("mgmt", `query($c: ID!) { context(id: $c) { name } keys(contextId: $c) { name } }`, {
      c: ctx,
    });
    expect(byGlobal.context.name).toBe("platform-prod");
    expect(byGlobal.keys.length).toBeGreaterThan(3);
    // A tenant naming its own Context by global id is not naming a foreign one.
    const own = await ok("acme", `mutation($c: ID!) { remember(input: { text: "own ctx", contextId: $c }) { id } }`, {
      c: ctx,
    });
    expect(decodeGlobalId(own.remember.id)?.contextId).toBe("platform-prod");
    const foreign = await gql("acme", `mutation($c: ID!) { remember(input: { text: "x", contextId: $c }) { id } }`, {
      c: contextGlobalId("tenant-umbrella"),
    });
    expect(codes(foreign)).toEqual(["FORBIDDEN"]);
  });
});
