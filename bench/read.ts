/**
 * Read-path benchmark (issue 2). One run, one machine, ratios side by side:
 *  - memories(first: 20) over real HTTP with 10 connections (autocannon): req/s, p50, p99;
 *  - the same tenant query through the record-user session (DB permissions on) versus a
 *    root session with only the executor predicate, called directly on the executor.
 * Run: npx tsx bench/read.ts   (SCOPEGATE_BENCH_SECONDS, default 10)
 */
import autocannon from "autocannon";
import { Gateway } from "../src/gateway.js";
import { startHttp } from "../src/http/server.js";

const SECONDS = Number(process.env.SCOPEGATE_BENCH_SECONDS ?? 10);
const MGMT = "bench-management-key-0123456789abcdef0123456789";
process.env.SCOPEGATE_LOG = "silent";

async function gateway(dbPermissions: boolean) {
  return Gateway.start({
    settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
    unsafeLayers: { dbPermissions },
    announce: () => undefined,
  });
}

async function seed(g: Gateway) {
  await g.contexts.create({ id: "platform-prod", namespace: "platform", database: "prod" });
  const secrets: string[] = [];
  for (const tenant of ["alpha", "beta", "gamma", "delta"]) {
    const { secret } = await g.keys.create("platform-prod", {
      name: tenant,
      principal: "AGENT",
      scopeFloor: { org: tenant },
    });
    secrets.push(secret);
    const ctx = await g.requestContext(secret, "seed");
    for (let i = 0; i < 500; i++)
      await ctx.tenant().memories.remember({ text: `${tenant} memory ${i} about tea and planning` });
  }
  return secrets[0]!;
}

async function directP50(g: Gateway, secret: string, n = 2000): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const ctx = await g.requestContext(secret, "bench");
    const t0 = performance.now();
    await ctx.tenant().memories.page({ first: 20 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)]!, p99: times[Math.floor(n * 0.99)]! };
}

const withPerms = await gateway(true);
const secret = await seed(withPerms);
const rootOnly = await gateway(false);
const secret2 = await seed(rootOnly);

const recordUser = await directP50(withPerms, secret);
const rootSession = await directP50(rootOnly, secret2);

const http = await startHttp(withPerms, 0, "127.0.0.1");
const result = await autocannon({
  url: http.url,
  connections: 10,
  duration: SECONDS,
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
  body: JSON.stringify({ query: "{ memories(first: 20) { edges { node { id text scope createdAt } } } }" }),
});
await http.close();

const rows = [
  [
    "HTTP memories(first: 20), 10 connections",
    `${result.requests.average.toFixed(0)} req/s`,
    `p50 ${result.latency.p50} ms`,
    `p99 ${result.latency.p99} ms`,
    `${result.non2xx} non-2xx`,
  ],
  [
    "executor, record-user session (DB permissions on)",
    "",
    `p50 ${recordUser.p50.toFixed(3)} ms`,
    `p99 ${recordUser.p99.toFixed(3)} ms`,
    "",
  ],
  [
    "executor, root session (predicate only)",
    "",
    `p50 ${rootSession.p50.toFixed(3)} ms`,
    `p99 ${rootSession.p99.toFixed(3)} ms`,
    "",
  ],
  ["ratio record-user / root (p50)", `${(recordUser.p50 / rootSession.p50).toFixed(2)}×`, "", "", ""],
];
console.log("| measurement | throughput | p50 | p99 | notes |\n|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
await withPerms.close();
await rootOnly.close();
process.exit(0);
