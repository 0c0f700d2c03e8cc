import { appendFileSync } from "node:fs";
import { Gateway } from "../src/gateway.js";
import { startHttp, type HttpGateway } from "../src/http/server.js";
import type { HttpLimits } from "../src/http/hardening.js";
import type { LayerSwitches } from "../src/db/executor/scopedExecutor.js";
import { setLogDestination } from "../src/log.js";

export const MANAGEMENT_KEY = "test-management-key-0123456789abcdef0123456789";

/** Records a secret the run uses, for the log scan of test/logScan.globalSetup.ts. */
export function noteSecret(secret: string): string {
  const file = process.env.SCOPEGATE_SECRETS_FILE;
  if (file) appendFileSync(file, `${secret}\n`);
  return secret;
}

export interface TestGateway {
  gateway: Gateway;
  http: HttpGateway;
  /** POST a GraphQL request over real HTTP on 127.0.0.1 (`headers`: extra ones, e.g. X-Scopegate-Context). */
  gql(
    secret: string | null,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ data?: any; errors?: any[] }>;
  mgmt(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** Like gql, but also returns the HTTP status; `body` is null when the response is not JSON. */
  request(
    secret: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: { data?: any; errors?: any[] } | null; text: string }>;
  close(): Promise<void>;
}

/** Where a test gateway keeps its data, and whether it shares another gateway's connection. */
export interface TestDatabase {
  /** Default `mem://`; races that depend on the storage engine use a `surrealkv://` temp folder. */
  surrealUrl?: string;
  /** Run on this gateway's connection (a replica over the same engine, see GatewayOptions.database). */
  database?: Gateway["db"];
}

/** A started gateway on the real embedded engine (mem:// unless told) behind real HTTP. */
export async function startTestGateway(
  unsafeLayers?: Partial<LayerSwitches>,
  http: Partial<HttpLimits> = {},
  db: TestDatabase = {},
): Promise<TestGateway> {
  noteSecret(MANAGEMENT_KEY);
  if (process.env.SCOPEGATE_LOG === undefined) {
    process.env.SCOPEGATE_LOG = "silent";
    setLogDestination(undefined); // the logger was built at import, before this default
  }
  const gateway = await Gateway.start({
    settings: { surrealUrl: db.surrealUrl ?? "mem://", connectTimeoutMs: 10_000, managementKey: MANAGEMENT_KEY },
    database: db.database,
    unsafeLayers,
    announce: () => undefined,
  });
  const server = await startHttp(gateway, 0, "127.0.0.1", { rateLimitPerMinute: 0, ...http });
  const gql: TestGateway["gql"] = async (secret, query, variables, headers = {}) => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  };
  const request: TestGateway["request"] = async (secret, query, variables) => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: { data?: any; errors?: any[] } | null = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, body, text };
  };
  const mgmt = async (query: string, variables?: Record<string, unknown>) => {
    const r = await gql(MANAGEMENT_KEY, query, variables);
    if (r.errors) throw new Error(`management call failed: ${JSON.stringify(r.errors)}`);
    return r.data;
  };
  return {
    gateway,
    http: server,
    gql,
    mgmt,
    request,
    async close() {
      await server.close();
      await gateway.close();
    },
  };
}

export const codes = (r: { errors?: any[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

/** The seed's pattern 1: one Context per tenant, agent key floored at {org: tenant}. */
export async function provisionSeparate(t: TestGateway, tenantId: string): Promise<string> {
  await t.mgmt(
    `mutation($id: ID!, $db: String!) { createContext(input: { id: $id, namespace: "tenants", database: $db,
      config: { tokenLimit: 1000000, models: { extraction: "openai/gpt-4o-mini", response: "openai/gpt-4o" }, providers: { openai: "${noteSecret("sk-test-secret-of-tenant-0123")}" } } }) { id } }`,
    { id: `tenant-${tenantId}`, db: tenantId },
  );
  return createKey(t, `tenant-${tenantId}`, "app-agent", "AGENT", { org: tenantId });
}

/** The seed's pattern 2: one shared Context, a key per tenant floored at {org: tenant}. */
export async function provisionShared(t: TestGateway, tenantId: string): Promise<string> {
  return createKey(t, "platform-prod", `tenant-${tenantId}`, "AGENT", { org: tenantId });
}

export async function createKey(
  t: TestGateway,
  contextId: string,
  name: string,
  principal: string,
  floor: Record<string, string>,
  expiresAt?: string,
  access?: "READ" | "READ_WRITE",
): Promise<string> {
  const d = await t.mgmt(`mutation($c: ID!, $i: CreateKeyInput!) { createKey(contextId: $c, input: $i) { secret } }`, {
    c: contextId,
    i: { name, principal, scopeFloor: floor, expiresAt, access },
  });
  return noteSecret(d.createKey.secret);
}

export interface IssuedTokenResult {
  token: string;
  expiresAt: string;
  scopeFloor: Record<string, string>;
  access: "READ" | "READ_WRITE";
}

/** A browser token issued by `keySecret` (recorded for the log scan). Throws on errors; see issueTokenRaw for refusals. */
export async function issueToken(
  t: TestGateway,
  keySecret: string,
  input: { scope?: Record<string, string>; ttlSeconds?: number; access?: "READ" | "READ_WRITE" } = {},
): Promise<IssuedTokenResult> {
  const r = await issueTokenRaw(t, keySecret, input);
  if (r.errors) throw new Error(`issueToken failed: ${JSON.stringify(r.errors)}`);
  return r.data.issueToken;
}

/** issueToken's raw GraphQL answer (errors included); an issued token is recorded for the log scan. */
export async function issueTokenRaw(
  t: TestGateway,
  secret: string,
  input: Record<string, unknown>,
): Promise<{ data?: any; errors?: any[] }> {
  const r = await t.gql(
    secret,
    `mutation($i: IssueTokenInput!) { issueToken(input: $i) { token expiresAt scopeFloor access } }`,
    { i: input },
  );
  if (r.data?.issueToken?.token) noteSecret(r.data.issueToken.token);
  return r;
}

export async function remember(t: TestGateway, secret: string, text: string, scope?: Record<string, string>) {
  const r = await t.gql(secret, `mutation($i: RememberInput!) { remember(input: $i) { id scope } }`, {
    i: { text, scope },
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.remember as { id: string; scope: Record<string, string> };
}

export async function memoryTexts(t: TestGateway, secret: string, scope?: Record<string, string>): Promise<string[]> {
  const r = await t.gql(secret, `query($s: Scope) { memories(first: 100, scope: $s) { edges { node { text } } } }`, {
    s: scope,
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.memories.edges.map((e: any) => e.node.text).sort();
}
