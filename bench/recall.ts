/**
 * Recall and write-path benchmark (issue 3). One run, one machine, ratios side by side:
 *  1. recall p50/p99 for one tenant (500 memories) inside a shared Context of 200 tenants
 *     (100k memories) versus the same tenant's 500 memories alone in its own Context;
 *  2. rememberMany throughput into the shared Context once it holds 100k memories;
 *  3. recall over real HTTP versus the same recall called on the service directly.
 * Run: npx tsx bench/recall.ts   (SCOPEGATE_BENCH_TENANTS, default 200; _PER_TENANT, default 500)
 */
// The logger is built when src/log.ts is first imported: silence it before importing the gateway.
process.env.SCOPEGATE_LOG = "silent";
const { Gateway } = await import("../src/gateway.js");
const { startHttp } = await import("../src/http/server.js");

const TENANTS = Number(process.env.SCOPEGATE_BENCH_TENANTS ?? 200);
const PER_TENANT = Number(process.env.SCOPEGATE_BENCH_PER_TENANT ?? 500);
const QUERIES = 60;
const ROUNDS = Number(process.env.SCOPEGATE_BENCH_ROUNDS ?? 5);
const MGMT = "bench-management-key-0123456789abcdef0123456789";

// Deterministic text: a Zipf-like draw from a fixed vocabulary, so every run writes the same corpus.
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const VOCAB = Array.from({ length: 4000 }, (_, i) => syllables(i));
function syllables(n: number): string {
  const parts = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "ho", "ze", "bi", "fa", "wu"];
  let s = "";
  do {
    s += parts[n % 16];
    n = Math.floor(n / 16);
  } while (n > 0);
  return `${s}n`;
}
const word = () => VOCAB[Math.floor(rand() ** 2.2 * VOCAB.length)]!;
const sentence = (len: number) => Array.from({ length: len }, word).join(" ");
const memoryText = () => sentence(12 + Math.floor(rand() * 10));

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const g = await Gateway.start({
  settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
  announce: () => undefined,
});
const mgmt = await g.requestContext(MGMT, "bench");
await g.contexts.create({ id: "shared", namespace: "platform", database: "shared" });
await g.contexts.create({ id: "solo", namespace: "tenants", database: "solo" });
const probeTenant = "t7";
const soloKey = (await g.keys.create("solo", { name: "t7", principal: "AGENT", scopeFloor: { org: probeTenant } }))
  .secret;
const sharedKey = (await g.keys.create("shared", { name: "t7", principal: "AGENT", scopeFloor: { org: probeTenant } }))
  .secret;

// ---- load: 200 tenants × 500 memories, written tenant-interleaved in batches of 1,000 ----------
const probeTexts: string[] = [];
const loadStart = performance.now();
const batchRates: number[] = [];
let pending: Array<{ text: string; scope: Record<string, string> }> = [];
const flush = async () => {
  const t0 = performance.now();
  await mgmt.tenant("shared").memories.rememberMany({ items: pending });
  batchRates.push(pending.length / ((performance.now() - t0) / 1000));
  pending = [];
};
for (let i = 0; i < PER_TENANT; i++) {
  for (let t = 0; t < TENANTS; t++) {
    const text = memoryText();
    if (`t${t}` === probeTenant) probeTexts.push(text);
    pending.push({ text, scope: { org: `t${t}` } });
    if (pending.length === 1000) await flush();
  }
}
if (pending.length) await flush();
const loadSeconds = (performance.now() - loadStart) / 1000;
const soloCtx = await g.requestContext(soloKey, "bench");
for (let i = 0; i < probeTexts.length; i += 500)
  await soloCtx.tenant().memories.rememberMany({ items: probeTexts.slice(i, i + 500).map((text) => ({ text })) });

// ---- write throughput into the full Context: 10 batches of 1,000 for new tenants ----------------
const writeTimes: number[] = [];
for (let b = 0; b < 10; b++) {
  const items = Array.from({ length: 1000 }, (_, i) => ({
    text: memoryText(),
    scope: { org: `new${b}`, user: `u${i % 10}` },
  }));
  const t0 = performance.now();
  await mgmt.tenant("shared").memories.rememberMany({ items });
  writeTimes.push(performance.now() - t0);
}
const agentWriteTimes: number[] = [];
const sharedCtx0 = await g.requestContext(sharedKey, "bench");
for (let b = 0; b < 5; b++) {
  const items = Array.from({ length: 1000 }, () => ({ text: memoryText() }));
  const t0 = performance.now();
  await sharedCtx0.tenant().memories.rememberMany({ items: items.map((x) => ({ ...x, scope: { user: `w${b}` } })) });
  agentWriteTimes.push(performance.now() - t0);
}

// ---- recall: the same queries against the tenant in the shared Context and alone ----------------
const queries = Array.from({ length: QUERIES }, (_, i) => {
  const words = probeTexts[(i * 37) % probeTexts.length]!.split(" ");
  return `${words[i % words.length]} ${words[(i + 3) % words.length]} ${word()}`;
});
async function directRecall(secret: string, mode: "HYBRID" | "LEXICAL" | "VECTOR", cold = false): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const q of queries) {
      const ctx = await g.requestContext(secret, "bench");
      // Cold: empty the corpus cache first, so the partitions are scanned in SurrealDB.
      if (cold) for (const id of ["shared", "solo"]) g.tenants.corpusCache.forgetContext(id);
      const t0 = performance.now();
      await ctx.tenant().recall.recall({ query: q, topK: 10, mode });
      if (r > 0) times.push(performance.now() - t0); // round 0 warms up
    }
  }
  return times;
}
const rows: string[][] = [];
for (const mode of ["HYBRID", "LEXICAL", "VECTOR"] as const) {
  const shared = await directRecall(sharedKey, mode);
  const solo = await directRecall(soloKey, mode);
  rows.push([
    `recall ${mode}, service call`,
    ms(pct(shared, 0.5)),
    ms(pct(shared, 0.99)),
    ms(pct(solo, 0.5)),
    ms(pct(solo, 0.99)),
    `${(pct(shared, 0.5) / pct(solo, 0.5)).toFixed(2)}×`,
  ]);
}

for (const mode of ["HYBRID"] as const) {
  const shared = await directRecall(sharedKey, mode, true);
  const solo = await directRecall(soloKey, mode, true);
  rows.push([
    `recall ${mode}, service call, cache emptied before each query`,
    ms(pct(shared, 0.5)),
    ms(pct(shared, 0.99)),
    ms(pct(solo, 0.5)),
    ms(pct(solo, 0.99)),
    `${(pct(shared, 0.5) / pct(solo, 0.5)).toFixed(2)}×`,
  ]);
}

// ---- recall over HTTP (sequential, one connection) versus the service call -----------------------
const http = await startHttp(g, 0, "127.0.0.1");
const httpTimes: number[] = [];
const body = (q: string) =>
  JSON.stringify({
    query: "query($q: String!) { recall(query: $q, topK: 10) { hits { score text memory { id scope createdAt } } } }",
    variables: { q },
  });
for (let r = 0; r < ROUNDS + 1; r++) {
  for (const q of queries) {
    const t0 = performance.now();
    const res = await fetch(http.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${sharedKey}` },
      body: body(q),
    });
    const json = (await res.json()) as { errors?: unknown };
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    if (r > 0) httpTimes.push(performance.now() - t0);
  }
}
const service = await directRecall(sharedKey, "HYBRID");
await http.close();

const totalShared = TENANTS * PER_TENANT;
console.log(
  `\nscopegate recall bench — ${TENANTS} tenants × ${PER_TENANT} memories = ${totalShared} in the shared Context; probe tenant ${probeTenant} has ${probeTexts.length}`,
);
console.log(
  `load: ${totalShared} memories in ${loadSeconds.toFixed(1)} s (${(totalShared / loadSeconds).toFixed(0)} memories/s; first batch ${batchRates[0]!.toFixed(0)}/s, last ${batchRates.at(-1)!.toFixed(0)}/s)\n`,
);
console.log("| measurement | shared p50 | shared p99 | alone p50 | alone p99 | ratio p50 shared/alone |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
const rate = (t: number[]) => (1000 * t.length) / (t.reduce((a, b) => a + b, 0) / 1000);
console.log(`\n| write path (Context holds ≥ ${totalShared}) | memories/s | p50 per 1,000 | p99 per 1,000 |`);
console.log("|---|---|---|---|");
console.log(
  `| rememberMany ×1,000, management key (root session) | ${rate(writeTimes).toFixed(0)} | ${ms(pct(writeTimes, 0.5))} | ${ms(pct(writeTimes, 0.99))} |`,
);
console.log(
  `| rememberMany ×1,000, agent key (record-user session, DB permissions on) | ${rate(agentWriteTimes).toFixed(0)} | ${ms(pct(agentWriteTimes, 0.5))} | ${ms(pct(agentWriteTimes, 0.99))} |`,
);
console.log(`\n| recall HYBRID in the shared Context | p50 | p99 |`);
console.log("|---|---|---|");
console.log(`| over HTTP (GraphQL, one connection) | ${ms(pct(httpTimes, 0.5))} | ${ms(pct(httpTimes, 0.99))} |`);
console.log(`| service call (no HTTP, no GraphQL) | ${ms(pct(service, 0.5))} | ${ms(pct(service, 0.99))} |`);
console.log(`| ratio HTTP / service (p50) | ${(pct(httpTimes, 0.5) / pct(service, 0.5)).toFixed(2)}× | |`);
await g.close().catch(() => undefined);
process.exit(0);
