/**
 * Cost of the HTTP hardening and request logging (issue 5), one run: the same small query over
 * real HTTP, sequentially, against (a) the default hardening (graphql-armor rules, rate limiter,
 * timeout race) with one info log line per request written to a file, and (b) limits raised so
 * far they never bite, rate limiting off, logs silent.
 * Run: npx tsx bench/http.ts
 */
import { Gateway } from "../src/gateway.js";
import { startHttp } from "../src/http/server.js";
import { setLogDestination } from "../src/log.js";

const N = Number(process.env.SCOPEGATE_BENCH_CALLS ?? 2000);
const MGMT = "bench-management-key-0123456789abcdef0123";
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

process.env.SCOPEGATE_LOG = "silent";
setLogDestination(undefined);
const g = await Gateway.start({
  settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
  announce: () => undefined,
});
await g.contexts.create({ id: "h", namespace: "bench", database: "h" });
const { secret } = await g.keys.create("h", { name: "a", principal: "AGENT", scopeFloor: { org: "a" } });
const ctx = await g.requestContext(secret, "seed");
await ctx.tenant().memories.rememberMany({ items: Array.from({ length: 50 }, (_, i) => ({ text: `memory ${i}` })) });

async function measure(label: string, limits: Parameters<typeof startHttp>[3], logToFile: boolean): Promise<string> {
  process.env.SCOPEGATE_LOG = logToFile ? "info" : "silent";
  if (logToFile) process.env.SCOPEGATE_LOG_FILE = "/tmp/scopegate-bench-http.log";
  else delete process.env.SCOPEGATE_LOG_FILE;
  setLogDestination(undefined);
  const http = await startHttp(g, 0, "127.0.0.1", limits);
  const body = JSON.stringify({ query: "query List { memories(first: 20) { edges { node { id text scope } } } }" });
  const times: number[] = [];
  for (let i = 0; i < N + 100; i++) {
    const t0 = performance.now();
    const r = await fetch(http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body,
    });
    await r.text();
    if (i >= 100) times.push(performance.now() - t0);
  }
  await http.close();
  return `| ${label} | ${pct(times, 0.5).toFixed(2)} ms | ${pct(times, 0.99).toFixed(2)} ms |`;
}

const rows = [
  await measure(
    "limits effectively off, no rate limit, logs silent",
    { maxDepth: 1000, maxAliases: 10_000, maxCost: 1e9, maxTokens: 1e6, maxDirectives: 1e4, rateLimitPerMinute: 0 },
    false,
  ),
  await measure("default hardening, logs silent", { rateLimitPerMinute: 1e7 }, false),
  await measure("default hardening + one info log line per request (file)", { rateLimitPerMinute: 1e7 }, true),
  await measure(
    "limits effectively off again (order check)",
    { maxDepth: 1000, maxAliases: 10_000, maxCost: 1e9, maxTokens: 1e6, maxDirectives: 1e4, rateLimitPerMinute: 0 },
    false,
  ),
];
console.log(
  `\n| memories(first: 20) over HTTP, ${N} sequential requests | p50 | p99 |\n|---|---|---|\n${rows.join("\n")}`,
);
await g.close().catch(() => undefined);
process.exit(0);
