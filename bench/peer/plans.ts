/**
 * How the naive peer's page statement was chosen (PERF-FINDINGS §1: check EXPLAIN and a size
 * sweep). One org grows to each size inside a table that also holds 100,000 rows of 200 other
 * orgs; each candidate statement's p50 over 15 runs and its plan are printed, and its rows are
 * compared with the right answer (the org's rows sorted by `created`, after the cursor).
 * Run: npx tsx bench/peer/plans.ts   (SCOPEGATE_BENCH_SIZES, default 100,1000,10000,50000)
 */
import { createNodeEngines } from "@surrealdb/node";
import { Surreal } from "surrealdb";
import { monotonicFactory } from "ulid";
import { ms, pct, table } from "../lib/stats.js";

const SIZES = (process.env.SCOPEGATE_BENCH_SIZES ?? "100,1000,10000,50000").split(",").map(Number);
const FOREIGN = 100_000;
const ulid = monotonicFactory();

const db = new Surreal({ engines: createNodeEngines() });
await db.connect("mem://");
await db.use({ namespace: "plans", database: "plans" });
const q = (sql: string, vars: Record<string, unknown> = {}) => db.query(sql, vars).collect();
const fields = (t: string) => `
  DEFINE TABLE ${t} SCHEMAFULL;
  DEFINE FIELD org ON ${t} TYPE string;
  DEFINE FIELD text ON ${t} TYPE string;
  DEFINE FIELD scope ON ${t} TYPE object FLEXIBLE;
  DEFINE FIELD created ON ${t} TYPE string;
  DEFINE FIELD created_at ON ${t} TYPE datetime DEFAULT time::now();`;
await q(`${fields("by_org")} DEFINE INDEX by_org_org ON by_org FIELDS org;
         ${fields("by_org_created")} DEFINE INDEX by_org_created_idx ON by_org_created FIELDS org, created;`);

const SELECT = "SELECT id, org, text, scope, created, created_at";
const candidates = [
  {
    name: "index (org); WHERE org AND created > cursor ORDER BY created",
    sql: `${SELECT} FROM by_org WHERE org = $org AND created > $after ORDER BY created LIMIT 21`,
  },
  {
    name: "index (org, created); same statement",
    sql: `${SELECT} FROM by_org_created WHERE org = $org AND created > $after ORDER BY created LIMIT 21`,
  },
  {
    name: "index (org, created); ORDER BY org, created (the peer's)",
    sql: `${SELECT} FROM by_org_created WHERE org = $org AND created > $after ORDER BY org, created LIMIT 21`,
  },
];

const created = new Map<string, string[]>();
async function insert(org: string, n: number): Promise<void> {
  const list = created.get(org) ?? [];
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, j) => {
      const c = ulid();
      list.push(c);
      return { org, text: `row ${i + j} of ${org}`, scope: { org }, created: c };
    });
    await q("INSERT INTO by_org $rows RETURN NONE; INSERT INTO by_org_created $rows RETURN NONE;", { rows });
  }
  created.set(org, list);
}

let t0 = performance.now();
for (let t = 0; t < 200; t++) await insert(`f${t}`, FOREIGN / 200);
console.log(`foreign: ${FOREIGN} rows of 200 orgs in each table, ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const rows: string[][] = [];
const plans = new Map<string, string>();
let have = 0;
for (const size of SIZES) {
  t0 = performance.now();
  await insert("probe", size - have);
  have = size;
  console.log(`probe org at ${size} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const all = created.get("probe")!;
  for (const c of candidates) {
    const cells: string[] = [];
    for (const [where, after] of [
      ["first page", ""],
      ["cursor at the middle", all[Math.floor(all.length / 2)]!],
    ] as const) {
      const times: number[] = [];
      let got: Array<{ created: string }> = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        [got] = (await q(c.sql, { org: "probe", after })) as [Array<{ created: string }>];
        times.push(performance.now() - t);
      }
      const want = all.filter((x) => x > after).slice(0, 21);
      const right = JSON.stringify(got.map((r) => r.created)) === JSON.stringify(want);
      cells.push(`${ms(pct(times, 0.5))}${right ? "" : " (wrong rows)"}`);
      if (where === "first page" && !plans.has(c.name)) {
        const [plan] = await q(`${c.sql} EXPLAIN`, { org: "probe", after });
        plans.set(c.name, JSON.stringify(plan));
      }
    }
    rows.push([String(size), c.name, ...cells]);
  }
}
console.log(`\n${table(["probe rows", "statement", "p50, first page", "p50, cursor at the middle"], rows)}\n`);
for (const [name, plan] of plans) console.log(`${name}:\n  ${plan}\n`);
await db.close();
process.exit(0);
