import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse, type GraphQLSchema } from "graphql";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { composeServices } from "@apollo/composition";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ROUTER_SECRET_HEADER } from "../src/http/federation.js";
import { createKey, MANAGEMENT_KEY, noteSecret, remember, startTestGateway, type TestGateway } from "./harness.js";

/** The router's shared secret (SCOPEGATE_ROUTER_SECRET); recorded for the run's log scan. */
const ROUTER_SECRET = noteSecret("router-secret-for-federation-tests-0123456789");

/** A second, tiny subgraph that extends Memory with ratings and hands out Memory references. */
function ratingsSubgraph(referencedIds: () => string[]) {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Memory @key(fields: "id") { id: ID! rating: Int! }
    type Query { topRated: [Memory]! }
  `);
  const resolvers = {
    Query: { topRated: () => referencedIds().map((id) => ({ id })) },
    Memory: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      rating: (m: { id: string }) => m.id.length % 5,
    },
  };
  return { typeDefs, schema: buildSubgraphSchema([{ typeDefs, resolvers: resolvers as any }]) };
}

async function serve(schema: GraphQLSchema): Promise<{ url: string; close(): Promise<void> }> {
  // The second subgraph needs no traces: disabled, so Apollo does not announce inline tracing for it.
  const apollo = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const r = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method!,
        headers,
        search: "",
        body: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
      },
      context: async () => ({}),
    });
    res.statusCode = r.status ?? 200;
    for (const [k, v] of r.headers) res.setHeader(k, v);
    res.end(r.body.kind === "complete" ? r.body.string : "");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await apollo.stop();
    },
  };
}

describe("scopegate as a Federation 2 subgraph behind @apollo/gateway", () => {
  let t: TestGateway;
  let ratings: { url: string; close(): Promise<void> };
  let router: ApolloServer;
  const key: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway(undefined, { routerSecret: ROUTER_SECRET });
    await t.mgmt(
      `mutation { createContext(input: { id: "platform-prod", namespace: "platform", database: "prod" }) { id } }`,
    );
    key.alpha = await createKey(t, "platform-prod", "alpha", "AGENT", { org: "alpha" });
    key.beta = await createKey(t, "platform-prod", "beta", "AGENT", { org: "beta" });
    ids.alpha = (await remember(t, key.alpha, "alpha's federated memory")).id;
    ids.beta = (await remember(t, key.beta, "beta's federated memory")).id;

    const sub = ratingsSubgraph(() => [ids.alpha!, ids.beta!]);
    ratings = await serve(sub.schema);
    // Composition reads scopegate's SDL from its own _service field, as `rover` would, with the
    // management key: tenants cannot read the SDL (it is the whole schema even with introspection off).
    expect((await t.gql(key.alpha, `{ _service { sdl } }`)).errors?.[0].extensions.code).toBe("FORBIDDEN");
    const sdl = (await t.mgmt(`{ _service { sdl } }`))._service.sdl as string;
    // The router may read it with its secret alone (IntrospectAndCompose), without the management key.
    expect(
      (await direct({ [ROUTER_SECRET_HEADER]: ROUTER_SECRET }, `{ _service { sdl } }`)).body.data._service.sdl,
    ).toBe(sdl);
    const composed = composeServices([
      { name: "scopegate", typeDefs: parse(sdl), url: t.http.url },
      { name: "ratings", typeDefs: sub.typeDefs, url: ratings.url },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl!,
      // The router forwards the caller's Authorization to every subgraph, and proves itself with its secret.
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest({ request, context }) {
            const auth = (context as { authorization?: string }).authorization;
            if (auth) request.http?.headers.set("authorization", auth);
            request.http?.headers.set(ROUTER_SECRET_HEADER, ROUTER_SECRET);
          },
        }),
    });
    router = new ApolloServer({ gateway });
    await router.start();
  });
  afterAll(async () => {
    await router.stop();
    await ratings.close();
    await t.close();
  });

  /** POST straight to scopegate with the given headers, as a router (or anyone) would. */
  const direct = async (headers: Record<string, string>, query: string, variables?: Record<string, unknown>) => {
    const r = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: r.status, body: (await r.json()) as { data?: any; errors?: any[]; extensions?: any } };
  };

  const viaRouter = async (secret: string, query: string) => {
    const r = await router.executeOperation({ query }, { contextValue: { authorization: `Bearer ${secret}` } } as any);
    if (r.body.kind !== "single") throw new Error("unexpected incremental result");
    return r.body.singleResult as { data?: any; errors?: any[] };
  };

  it("queries across both subgraphs with a tenant's key", async () => {
    const r = await viaRouter(key.alpha!, `{ memories { edges { node { id text rating } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.memories.edges).toEqual([
      { node: { id: ids.alpha, text: "alpha's federated memory", rating: expect.any(Number) } },
    ]);
  });

  it("resolves another tenant's entity reference to null through _entities", async () => {
    const alpha = await viaRouter(key.alpha!, `{ topRated { id rating text } }`);
    // scopegate answers null for beta's reference; text is non-null, so that list item is null.
    expect(alpha.data.topRated).toEqual([
      { id: ids.alpha, rating: expect.any(Number), text: "alpha's federated memory" },
      null,
    ]);
    expect(JSON.stringify(alpha)).not.toContain("beta's federated memory");
    const beta = await viaRouter(key.beta!, `{ topRated { id text } }`);
    expect(JSON.stringify(beta)).toContain("beta's federated memory");
    expect(JSON.stringify(beta)).not.toContain("alpha's federated memory");
  });

  it("_entities on scopegate directly: another tenant's reference is null, and no key gets nothing", async () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Memory { id text } } }`;
    const r = await t.gql(key.alpha!, q, {
      r: [
        { __typename: "Memory", id: ids.alpha },
        { __typename: "Memory", id: ids.beta },
      ],
    });
    expect(r.data._entities).toEqual([{ id: ids.alpha, text: "alpha's federated memory" }, null]);
    const anonymous = await t.gql(null, q, { r: [{ __typename: "Memory", id: ids.alpha }] });
    expect(anonymous.data?._entities ?? null).toBeNull();
    expect(anonymous.errors?.[0].extensions.code).toBe("UNAUTHENTICATED");
    const ctx = await t.gql(
      key.alpha!,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Context { id } } }`,
      { r: [{ __typename: "Context", id: "platform-prod" }] },
    );
    expect(ctx.data._entities).toEqual([null]);
  });

  describe("federation traces (ftv1) only for the router's secret or the management key", () => {
    const FTV1 = { "apollo-federation-include-trace": "ftv1" };
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Memory { id text } } }`;
    const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

    it("a tenant key asking for ftv1 gets its data and no trace, also with a wrong router secret", async () => {
      for (const headers of [
        { ...FTV1, ...bearer(key.alpha!) },
        { ...FTV1, ...bearer(key.alpha!), [ROUTER_SECRET_HEADER]: "not-the-router-secret-0123456789abcdef" },
      ]) {
        const r = await direct(headers, entities, { r: [{ __typename: "Memory", id: ids.alpha }] });
        expect(r.body.data._entities).toEqual([{ id: ids.alpha, text: "alpha's federated memory" }]);
        expect(r.body.extensions?.ftv1).toBeUndefined();
        expect(JSON.stringify(r.body)).not.toContain("ftv1");
      }
      const me = await direct({ ...FTV1, ...bearer(key.alpha!) }, `{ me { kind } }`);
      expect(me.body).toEqual({ data: { me: { kind: "CONTEXT_KEY" } } });
    });

    it("the router with its secret (forwarding a tenant key) gets the trace; so does the management key", async () => {
      const routed = await direct({ ...FTV1, ...bearer(key.alpha!), [ROUTER_SECRET_HEADER]: ROUTER_SECRET }, entities, {
        r: [
          { __typename: "Memory", id: ids.alpha },
          { __typename: "Memory", id: ids.beta },
        ],
      });
      // The secret unlocks traces, not data: beta's memory stays null for alpha's key.
      expect(routed.body.data._entities).toEqual([{ id: ids.alpha, text: "alpha's federated memory" }, null]);
      expect(routed.body.extensions.ftv1).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);
      const trace = Buffer.from(routed.body.extensions.ftv1, "base64");
      expect(trace.includes(Buffer.from("_entities"))).toBe(true);

      const management = await direct({ ...FTV1, ...bearer(MANAGEMENT_KEY) }, `{ contexts { id } }`);
      expect(management.body.extensions.ftv1).toEqual(expect.any(String));
      // Without the ftv1 header nobody gets a trace.
      const plain = await direct({ ...bearer(key.alpha!), [ROUTER_SECRET_HEADER]: ROUTER_SECRET }, `{ me { kind } }`);
      expect(plain.body.extensions).toBeUndefined();
    });

    it("the router secret alone reads the SDL but no tenant data; _service stays closed to tenants and anonymous callers", async () => {
      const router = { [ROUTER_SECRET_HEADER]: ROUTER_SECRET };
      const noKey = await direct(router, entities, { r: [{ __typename: "Memory", id: ids.alpha }] });
      expect(noKey.body.errors?.[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(JSON.stringify(noKey.body)).not.toContain("alpha's federated memory");
      expect((await direct({}, `{ _service { sdl } }`)).body.errors?.[0].extensions.code).toBe("UNAUTHENTICATED");
      expect((await direct(bearer(key.beta!), `{ _service { sdl } }`)).body.errors?.[0].extensions.code).toBe(
        "FORBIDDEN",
      );
      const wrong = await direct({ [ROUTER_SECRET_HEADER]: `${ROUTER_SECRET}x` }, `{ _service { sdl } }`);
      expect(wrong.body.errors?.[0].extensions.code).toBe("UNAUTHENTICATED");
    });
  });
});
