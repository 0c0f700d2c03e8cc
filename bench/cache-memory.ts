/**
 * Memory per cached recall row (issue 11: "memory per cached row reported"). One process, the
 * gateway on `mem://`, one tenant grown to each of SCOPEGATE_BENCH_SIZES memories (default
 * 10000,50000) through the tenant services. At each size: a full GC, the heap (`heapUsed` +
 * `arrayBuffers`, where the typed-array vectors live) with both recall caches empty, one recall
 * (which fills the corpus cache with the partition's rows and the recall-index cache with its
 * postings and vectors), a full GC, the heap again. The difference over the rows cached is the
 * cost of one cached row, both caches together; SCOPEGATE_RECALL_CACHE_ROWS (default 200,000)
 * times it is what a full cache holds. Run: npm run bench:cache-memory (node --expose-gc).
 */
process.env.SCOPEGATE_LOG = "silent";
const { Gateway } = await import("../src/gateway.js");
import { textSource } from "./lib/corpus.js";
import { int, table } from "./lib/stats.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:cache-memory)");
const SIZES = (process.env.SCOPEGATE_BENCH_SIZES ?? "10000,50000").split(",").map(Number);
const MGMT = "bench-management-key-0123456789abcdef0123456789";

const g = await Gateway.start({
  settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
  announce: () => undefined,
});
await g.contexts.create({ id: "mem", namespace: "bench", database: "mem" });
const secret = (await g.keys.create("mem", { name: "agent", principal: "AGENT", scopeFloor: { org: "o" } })).secret;
const text = textSource(7);

/** heapUsed + arrayBuffers after two full collections, in bytes. */
function heap(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const rows: string[][] = [];
let loaded = 0;
let query = "";
for (const size of SIZES) {
  const api = (await g.requestContext(secret, "load")).tenant();
  for (; loaded < size; loaded += 1000) {
    const items = Array.from({ length: Math.min(1000, size - loaded) }, () => ({ text: text.memoryText(), scope: {} }));
    query ||= items[0]!.text.split(" ").slice(0, 3).join(" "); // words the corpus holds: the recall ranks real hits
    await api.memories.rememberMany({ items });
  }
  g.forgetRecallCaches("mem");
  await g.tenants.corpusSnapshots.settled(); // a snapshot write holds its encoded segments until it lands
  const empty = heap();
  const t0 = performance.now();
  const hits = await (await g.requestContext(secret, "recall")).tenant().recall.recall({ query, topK: 10 });
  const coldMs = performance.now() - t0;
  await g.tenants.corpusSnapshots.settled();
  const full = heap();
  const perRow = (full - empty) / size;
  rows.push([
    int(size),
    `${(coldMs / 1000).toFixed(2)} s`,
    `${((full - empty) / 2 ** 20).toFixed(1)} MiB`,
    `${int(perRow)} B`,
    `${((perRow * 200_000) / 2 ** 20).toFixed(0)} MiB`,
    String(hits.hits.length),
  ]);
}
console.log(
  table(
    ["rows cached", "cold recall", "heap of both caches", "per cached row", "× 200,000 (default cache)", "hits"],
    rows,
  ),
);
await g.close();
process.exit(0);
