/**
 * Cold recall from persisted corpus snapshots (issue 11: "recall at 50k own rows: cold ≤ 500 ms").
 * One process, the gateway on `mem://`, one agent key, one tenant grown to each of
 * SCOPEGATE_BENCH_SIZES memories (default 10000,50000) through the tenant services. At each size,
 * service calls of `recall` (no HTTP), p50 of SCOPEGATE_BENCH_SAMPLES (default 7) each:
 * - first: the first recall after the writes, caches empty (as after a restart right after
 *   loading): the snapshot the writes kept up to date (one sample);
 * - scan: both in-memory recall caches emptied and the partition's snapshot deleted, so every
 *   record is read (the cost before snapshots; now only after a redaction or an upgrade);
 * - snapshot: both caches emptied (as after a restart or on another replica), the snapshot read;
 * - snapshot + 100 appended: 100 memories written after the snapshot, caches emptied: the
 *   snapshot plus the append log's 100 records;
 * - after a forget: one memory forgotten, caches emptied: the snapshot less the one data segment
 *   that held it, whose range is read from the table;
 * - after a remember: one memory written, caches warm: the cached rows plus the log's one record;
 * - warm: nothing changed.
 * Then a supervisor over many users' small partitions (SCOPEGATE_BENCH_SPREADS, default
 * 200x250,1000x50: partitions × rows, one Context each): cold recall from the snapshots the writes
 * kept, and by scans (snapshots deleted).
 * Every recall must return hits, or the run stops with exit code 1.
 * Run: npm run bench:cold-recall
 */
process.env.SCOPEGATE_LOG = "silent";
const { Gateway } = await import("../src/gateway.js");
import { loadavg } from "node:os";
import { textSource } from "./lib/corpus.js";
import { int, table } from "./lib/stats.js";

const SIZES = (process.env.SCOPEGATE_BENCH_SIZES ?? "10000,50000").split(",").map(Number);
const SAMPLES = Number(process.env.SCOPEGATE_BENCH_SAMPLES ?? 7);
const MGMT = "bench-management-key-0123456789abcdef0123456789";
const CONTEXT = "cold";

const g = await Gateway.start({
  settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
  announce: () => undefined,
});
await g.contexts.create({ id: CONTEXT, namespace: "bench", database: CONTEXT });
const secret = (await g.keys.create(CONTEXT, { name: "agent", principal: "AGENT", scopeFloor: { org: "o" } })).secret;
const text = textSource(11);
const tenant = async () => (await g.requestContext(secret, "bench")).tenant();
const stored = await g.contexts.stored(CONTEXT);
const dropSnapshots = () =>
  g.tenants.onRoot(stored, (s) => s.query("DELETE corpus_segment; DELETE partition_log").collect());

let query = "";
async function timedRecall(before: () => unknown): Promise<number> {
  await before();
  const api = await tenant();
  const t0 = performance.now();
  const r = await api.recall.recall({ query, topK: 10 });
  const ms = performance.now() - t0;
  if (r.hits.length === 0) {
    console.error(`recall of "${query}" found nothing`);
    process.exit(1);
  }
  await g.tenants.corpusSnapshots.settled(); // the writes it started land outside the next timing
  return ms;
}
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function cell(before: () => unknown): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push(await timedRecall(before));
  return `${p50(times).toFixed(0)} ms`;
}
const emptyCaches = () => g.forgetRecallCaches(CONTEXT);
const write = async (n: number) => {
  const api = await tenant();
  await api.memories.rememberMany({ items: Array.from({ length: n }, () => ({ text: text.memoryText(), scope: {} })) });
};

const startLoad = loadavg()[0]!;
const rows: string[][] = [];
let loaded = 0;
const ids: string[] = [];
for (const size of SIZES) {
  const api = await tenant();
  for (; loaded < size; loaded += 1000) {
    const items = Array.from({ length: Math.min(1000, size - loaded) }, () => ({ text: text.memoryText(), scope: {} }));
    query ||= items[0]!.text.split(" ").slice(0, 3).join(" ");
    for (const m of await api.memories.rememberMany({ items })) ids.push(m.id);
  }
  await g.tenants.corpusSnapshots.settled(); // the writes keep the snapshot up to date in the background
  const first = `${(await timedRecall(emptyCaches)).toFixed(0)} ms`;
  const scan = await cell(async () => {
    emptyCaches();
    await dropSnapshots();
  });
  const snapshot = await cell(emptyCaches);
  const appended = await cell(async () => {
    await write(100);
    loaded += 100;
    emptyCaches();
  });
  const afterForget = await cell(async () => {
    const id = ids.splice(Math.floor(Math.random() * ids.length), 1)[0]!;
    const { count } = await (await tenant()).memories.forget({ ids: [id] });
    if (count !== 1) {
      console.error(`forget of ${id} removed ${count}`);
      process.exit(1);
    }
    emptyCaches();
  });
  const afterWrite = await cell(async () => {
    await write(1);
    loaded += 1;
  });
  const warm = await cell(() => undefined);
  rows.push([int(size), first, scan, snapshot, appended, afterForget, afterWrite, warm]);
  console.error(`  measured ${int(size)}`);
}
console.log(
  table(
    [
      "rows",
      "cold, first after loading",
      "cold, scan (no snapshot)",
      "cold, snapshot",
      "cold, snapshot + 100 appended",
      "cold, after a forget",
      "after a remember",
      "warm",
    ],
    rows,
  ),
);

// A supervisor's recall loads every partition of its subtree: many users' small partitions.
const SPREADS = (process.env.SCOPEGATE_BENCH_SPREADS ?? "200x250,1000x50")
  .split(",")
  .map((s) => s.split("x").map(Number));
const spreadRows: string[][] = [];
for (const [parts, per] of SPREADS as Array<[number, number]>) {
  const id = `spread-${parts}x${per}`;
  await g.contexts.create({ id, namespace: "bench", database: id.replace("-", "_") });
  const sup = (await g.keys.create(id, { name: "sup", principal: "SUPERVISOR", scopeFloor: { org: "o" } })).secret;
  const api = (await g.requestContext(sup, "load")).tenant();
  for (let p = 0; p < parts; p++) {
    await api.memories.rememberMany({
      items: Array.from({ length: per }, () => ({ text: text.memoryText(), scope: { user: `u${p}` } })),
    });
  }
  await g.tenants.corpusSnapshots.settled();
  const spreadStored = await g.contexts.stored(id);
  const supRecall = async (before: () => unknown) => {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await before();
      const supApi = (await g.requestContext(sup, "bench")).tenant();
      const t0 = performance.now();
      const r = await supApi.recall.recall({ query, topK: 10 });
      times.push(performance.now() - t0);
      if (r.hits.length === 0) {
        console.error(`supervisor recall of "${query}" found nothing`);
        process.exit(1);
      }
      await g.tenants.corpusSnapshots.settled();
    }
    return `${p50(times).toFixed(0)} ms`;
  };
  const fromSnapshots = await supRecall(() => g.forgetRecallCaches(id));
  const scanned = await supRecall(async () => {
    g.forgetRecallCaches(id);
    await g.tenants.onRoot(spreadStored, (s) => s.query("DELETE corpus_segment; DELETE partition_log").collect());
  });
  spreadRows.push([`${int(parts)} × ${int(per)}`, int(parts * per), scanned, fromSnapshots]);
  console.error(`  measured ${parts} x ${per}`);
}
console.log(
  table(["supervisor's partitions × rows", "rows", "cold, scan (no snapshots)", "cold, snapshots"], spreadRows),
);
console.log(`load average ${startLoad.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`);
await g.close();
process.exit(0);
