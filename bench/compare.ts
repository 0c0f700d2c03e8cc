/**
 * scopegate versus a naive gateway (issue 11), measured side by side in one run.
 *
 * Each side runs in its own child process (bench/lib/serverChild.ts) so its CPU is read per
 * process (process.cpuUsage(): JS thread, GC and SurrealDB's engine threads). Both load the same
 * 200 tenants × 500 memories in process before serving (the fastest correct path: no HTTP):
 * scopegate into one shared Context, each tenant through its own agent key floored {org: tN}
 * (one rememberMany of 500 per tenant); the peer (bench/peer/server.ts) with INSERT batches.
 * Both serve without request logs and without rate limits. Then, per operation and connection
 * count, autocannon drives each side for SCOPEGATE_BENCH_SECONDS (after a short warm-up), with
 * requests rotating over all 200 tenants' keys, and the sides alternate which goes first.
 * Any non-2xx response or any body with `errors` stops the run with a non-zero exit.
 *
 * Run: npm run bench:compare              (SCOPEGATE_BENCH_SECONDS, default 10; _WARMUP_SECONDS, 2;
 *                                          _CONNECTIONS, "1,10,50"; _TENANTS, 200; _PER_TENANT, 500)
 *      npm run bench:compare -- --profile  (scopegate only: a V8 CPU profile of its process under
 *                                          memories(first: 20) at 10 connections, grouped by package;
 *                                          started and stopped around the measured window through
 *                                          node:inspector, so loading is not in it; --profile=peer: the peer)
 */
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cannon, assertClean, type CannonResult } from "./lib/cannon.js";
import { type BenchServer, startServer } from "./lib/children.js";
import { textSource } from "./lib/corpus.js";
import { printProfile, summarizeProfile } from "./lib/profile.js";
import { BenchFailure, int, ms, pool, ratio, seconds, table } from "./lib/stats.js";

const SECONDS = Number(process.env.SCOPEGATE_BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.SCOPEGATE_BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = (process.env.SCOPEGATE_BENCH_CONNECTIONS ?? "1,10,50").split(",").map(Number);
const TENANTS = process.env.SCOPEGATE_BENCH_TENANTS ?? "200";
const PER_TENANT = process.env.SCOPEGATE_BENCH_PER_TENANT ?? "500";
/** `--profile`: profile scopegate; `--profile=peer`: the peer, for the floor a naive gateway sets. */
const PROFILE = process.argv.find((a) => a.startsWith("--profile"));
const PROFILED: "scopegate" | "peer" = PROFILE === "--profile=peer" ? "peer" : "scopegate";

const LIST =
  "{ memories(first: 20) { edges { node { id text scope createdAt } cursor } pageInfo { hasNextPage endCursor } } }";
const LIST_AFTER =
  "query($after: String) { memories(first: 20, after: $after) { edges { node { id text scope createdAt } cursor } pageInfo { hasNextPage endCursor } } }";
const REMEMBER = "mutation($text: String!) { remember(input: { text: $text }) { id scope } }";
const LIST_BODY = JSON.stringify({ query: LIST });
const src = textSource(7);
const rememberBodies = Array.from({ length: 2000 }, () =>
  JSON.stringify({ query: REMEMBER, variables: { text: src.memoryText() } }),
);

const OPS = [
  { name: "memories(first: 20)", body: () => LIST_BODY },
  { name: "remember", body: (n: number) => rememberBodies[n % rememberBodies.length]! },
] as const;

async function post(server: BenchServer, key: string, body: string): Promise<any> {
  const res = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
  });
  const text = await res.text();
  if (!res.ok || text.includes('"errors"'))
    throw new BenchFailure(`${server.kind}: HTTP ${res.status} for ${body.slice(0, 80)}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Every key answers, and both sides return the same pages (same texts in the same order), each following its own cursors. */
async function checkEquivalent(a: BenchServer, b: BenchServer): Promise<void> {
  await pool(a.keys.length, 4, async (t) => {
    await post(a, a.keys[t]!, LIST_BODY);
    await post(b, b.keys[t]!, LIST_BODY);
  });
  const page = async (s: BenchServer, t: number, after: string | null) => {
    const r = await post(s, s.keys[t]!, JSON.stringify({ query: LIST_AFTER, variables: { after } }));
    const m = r.data.memories;
    return {
      summary: JSON.stringify({
        texts: m.edges.map((e: any) => e.node.text),
        scopes: m.edges.map((e: any) => e.node.scope),
        more: m.pageInfo.hasNextPage,
      }),
      next: m.pageInfo.endCursor as string | null,
    };
  };
  for (const t of [0, 1, Math.floor(a.keys.length / 2), a.keys.length - 1]) {
    let afterA: string | null = null;
    let afterB: string | null = null;
    for (let n = 0; n < 3; n++) {
      const x: { summary: string; next: string | null } = await page(a, t, afterA);
      const y: { summary: string; next: string | null } = await page(b, t, afterB);
      if (x.summary !== y.summary)
        throw new BenchFailure(`tenant t${t} page ${n + 1}: the sides disagree:\n  ${x.summary}\n  ${y.summary}`);
      [afterA, afterB] = [x.next, y.next];
    }
  }
}

interface Cell {
  result: CannonResult;
  cpuMsPerRequest: number;
  /** Argon2id key verifications the server ran during the cell (scopegate's 60 s cache expiring). */
  verifications: number;
}

async function measure(server: BenchServer, op: (typeof OPS)[number], connections: number): Promise<Cell> {
  const label = `${server.kind} ${op.name} @${connections}`;
  const base = { url: server.url, connections, keys: server.keys, body: op.body };
  if (WARMUP > 0) assertClean(`${label} (warm-up)`, await cannon({ ...base, label, seconds: WARMUP }), true);
  // Requests cut off when a run ends are still served: wait for them before and after the cell, and
  // divide the CPU by the requests sent, so neither the warm-up's leftovers nor the cell's own count wrong.
  const u0 = await idle(server);
  const result = await cannon({ ...base, label, seconds: SECONDS });
  const u1 = await idle(server);
  assertClean(label, result);
  return {
    result,
    cpuMsPerRequest: (u1.cpuMs - u0.cpuMs) / result.sent,
    verifications: u1.verifications - u0.verifications,
  };
}

/** Waits until the server burns < 10% of a core over 250 ms (at most 30 s); returns its CPU ms then. */
async function idle(server: BenchServer): Promise<{ cpuMs: number; verifications: number }> {
  let last = await server.usage();
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await server.usage();
    if (now.cpuMs - last.cpuMs < 25) return now;
    last = now;
  }
  throw new BenchFailure(`${server.kind} did not go idle within 30 s after a run`);
}

async function compare(sg: BenchServer, peer: BenchServer): Promise<void> {
  await checkEquivalent(sg, peer);
  console.log("both sides answer every key, and the first three pages of 4 tenants are identical");
  console.log(
    `scopegate verifies each key's Argon2id again when its 60 s cache entry expires: ${sg.verifyCpuMs.toFixed(1)} ms CPU each ` +
      `(${((sg.keys.length * sg.verifyCpuMs) / 1000).toFixed(1)} s per minute for ${sg.keys.length} keys), counted per cell below\n`,
  );
  let order = 0;
  for (const op of OPS) {
    const rows: string[][] = [];
    for (const c of CONNECTIONS) {
      const sides = order++ % 2 === 0 ? [sg, peer] : [peer, sg];
      const cells = new Map<string, Cell>();
      for (const s of sides) cells.set(s.kind, await measure(s, op, c));
      const a = cells.get("scopegate")!;
      const b = cells.get("peer")!;
      const row = [
        String(c),
        int(a.result.rps),
        int(b.result.rps),
        ratio(a.result.rps, b.result.rps),
        `${ms(a.result.p50)} / ${ms(a.result.p99)}`,
        `${ms(b.result.p50)} / ${ms(b.result.p99)}`,
        a.cpuMsPerRequest.toFixed(2),
        b.cpuMsPerRequest.toFixed(2),
        ratio(a.cpuMsPerRequest, b.cpuMsPerRequest),
        `${a.verifications} (${((a.verifications * sg.verifyCpuMs) / a.result.sent).toFixed(2)})`,
      ];
      rows.push(row);
      console.log(`  measured ${op.name} @${c}: ${row.join(" | ")}`);
    }
    console.log(
      `\n${op.name}\n\n${table(
        [
          "connections",
          "req/s scopegate",
          "req/s peer",
          "ratio scopegate/peer",
          "p50 / p99 scopegate",
          "p50 / p99 peer",
          "CPU ms/req scopegate",
          "CPU ms/req peer",
          "CPU ratio scopegate/peer",
          "scopegate key re-verifications in the cell (≈ CPU ms/req)",
        ],
        rows,
      )}\n`,
    );
  }
}

async function profile(sg: BenchServer, readyAt: number): Promise<void> {
  const name = sg.kind;
  // scopegate verified each key while loading and verifies it again 60 s later: let those entries
  // expire first, so one pass re-verifies them all together and none expires inside the window.
  if (name === "scopegate") await new Promise((r) => setTimeout(r, Math.max(0, readyAt + 61_000 - Date.now())));
  await pool(sg.keys.length, 4, (t) => post(sg, sg.keys[t]!, LIST_BODY));
  const op = OPS[0];
  const base = { url: sg.url, connections: 10, keys: sg.keys, body: op.body, label: "profile" };
  assertClean("profile warm-up", await cannon({ ...base, seconds: WARMUP }), true);
  await idle(sg);
  const path = join(tmpdir(), `${name}-memories-${Date.now()}.cpuprofile`);
  await sg.profileStart();
  const u0 = await sg.usage();
  const result = await cannon({ ...base, seconds: SECONDS });
  const u1 = await sg.usage();
  const [cpu0, cpu1] = [u0.cpuMs, u1.cpuMs];
  await sg.profileStop(path);
  assertClean("profile", result);
  const summary = await summarizeProfile(path);
  console.log(
    `${name}, memories(first: 20), 10 connections, ${SECONDS} s: ${int(result.rps)} req/s, p50 ${ms(result.p50)}; ` +
      `process CPU ${(cpu1 - cpu0).toFixed(0)} ms (${((cpu1 - cpu0) / result.sent).toFixed(2)} ms/request sent, all threads); ` +
      `main JS thread not idle for ${summary.busyMs.toFixed(0)} ms (wall-time samples) = ${((100 * summary.busyMs) / (cpu1 - cpu0)).toFixed(0)}% of it; ` +
      `${u1.verifications - u0.verifications} key re-verifications in the window. Profile: ${path}`,
  );
  printProfile(summary, result.requests);
}

const t0 = performance.now();
const env = { BENCH_TENANTS: TENANTS, BENCH_PER_TENANT: PER_TENANT };
const servers: BenchServer[] = [];
try {
  console.log(
    `bench:compare — ${TENANTS} tenants × ${PER_TENANT} memories per side, ${SECONDS} s per cell after ${WARMUP} s warm-up, ` +
      `connections ${CONNECTIONS.join("/")}; load average at start ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")} on this machine`,
  );
  const kinds = PROFILE ? [PROFILED] : (["scopegate", "peer"] as const);
  // Both sides load at once (their load times overlap; the measured cells never do).
  const started = await Promise.allSettled(kinds.map((k) => startServer(k, env)));
  for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
  const readyAt = Date.now();
  for (const s of started) if (s.status === "rejected") throw s.reason;
  for (const s of servers)
    console.log(
      `${s.kind} (pid ${s.pid}) loaded ${int(s.rows)} memories in ${seconds(s.loadMs)} (${int(s.rows / (s.loadMs / 1000))}/s${
        s.keysMs ? `; ${s.keys.length} keys created in ${seconds(s.keysMs)}` : ""
      }), serving ${s.url}`,
    );
  if (PROFILE) await profile(servers[0]!, readyAt);
  else await compare(servers[0]!, servers[1]!);
  console.log(
    `total ${seconds(performance.now() - t0)}; load average at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
} catch (err) {
  console.error(`\nbench:compare FAILED: ${err instanceof BenchFailure ? err.message : String((err as Error).stack)}`);
  process.exitCode = 1;
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
process.exit(process.exitCode ?? 0);
