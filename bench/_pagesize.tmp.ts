import { Gateway } from "../src/gateway.js";
process.env.SCOPEGATE_LOG = "silent";
const { setLogDestination } = await import("../src/log.js"); setLogDestination(undefined);
const MGMT = "bench-management-key-0123456789abcdef0123456789";
const g = await Gateway.start({ settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT }, announce: () => undefined });
await g.contexts.create({ id: "p", namespace: "platform", database: "p" });
const sizes = (process.argv[2] ?? "100,10000,50000").split(",").map(Number);
async function p50(fn: () => Promise<unknown>, n = 40) { const t: number[] = []; for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[Math.floor(n / 2)]!.toFixed(2); }
for (const size of sizes) {
  const { secret } = await g.keys.create("p", { name: `t${size}`, principal: "AGENT", scopeFloor: { org: `t${size}` } });
  const { secret: sup } = await g.keys.create("p", { name: `s${size}`, principal: "SUPERVISOR", scopeFloor: { org: `t${size}` } });
  const t0 = performance.now();
  for (let i = 0; i < size; i += 1000) {
    const ctx = await g.requestContext(secret, "load");
    await ctx.tenant().memories.rememberMany({ items: Array.from({ length: Math.min(1000, size - i) }, (_, j) => ({ text: `memory ${i + j} about tea` })) });
  }
  const load = ((performance.now() - t0) / 1000).toFixed(1);
  const ctxOf = async (s: string) => (await g.requestContext(s, "b")).tenant();
  const first = (await (await ctxOf(secret)).memories.page({ first: 20 })).items;
  const cursor = Buffer.from(first.at(-1)!.ulid).toString("base64url");
  console.log(`size ${size} load ${load}s agent first ${await p50(async () => (await ctxOf(secret)).memories.page({ first: 20 }))}ms after ${await p50(async () => (await ctxOf(secret)).memories.page({ first: 20, after: cursor }))}ms supervisor ${await p50(async () => (await ctxOf(sup)).memories.page({ first: 20 }))}ms recall ${await p50(async () => (await ctxOf(secret)).recall.recall({ query: "tea memory 42" }), 50)}ms`);
}
process.exit(0);
