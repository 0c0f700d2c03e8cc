/**
 * Tenant-size and shared/alone sweeps over real HTTP (issue 11). One process: the gateway on the
 * embedded engine (`mem://`), rows loaded in process through the tenant services (HTTP would take
 * far longer), every measurement a sequential GraphQL request on 127.0.0.1, no rate limit, logs off.
 *
 * 1. Shared/alone: probe tenant `p` (an agent key and a supervisor key, both floored {org: p})
 *    alone in its own Context, and with the same rows in a shared Context that also holds
 *    SCOPEGATE_BENCH_FOREIGN_FACTOR (100) × as many rows of 100 foreign tenants (each spread over
 *    {org} and four {org, user} partitions). Lists, by-id reads, recall (warm and cold), forget by
 *    scope (dry run) and usage; the two Contexts are measured in alternation, request by request.
 *    Target: shared/alone ≤ 1.3.
 * 2. Tenant size: one tenant grown step by step to each of SCOPEGATE_BENCH_SIZES own memories
 *    (default 100,1000,10000,50000; sessions, documents and decision traces grow to the same
 *    count up to SCOPEGATE_BENCH_SIDE_MAX, 10,000; one session's turns up to
 *    SCOPEGATE_BENCH_TURNS_MAX, 2,000). At every step it is measured in alternation with a fixed
 *    100-row reference tenant (its own Context), so each ratio is taken in one time window on this
 *    noisy machine. Target: p50 at the largest size ≤ 1.5 × p50 at 100.
 *
 * Cold recall: the in-memory recall caches are emptied (`forgetRecallCaches`: corpus rows and
 * ranking indexes) before each request, as after a restart; the persisted corpus snapshots stay.
 * Every response is checked: a non-2xx status or `errors` stops the run with a non-zero exit.
 *
 * Run: npm run bench:scaling   (SCOPEGATE_BENCH_SIZES, _SIDE_MAX, _TURNS_MAX, _PROBE_ROWS (500),
 *      _PROBE_SIDE_ROWS (50), _FOREIGN_FACTOR (100), _SAMPLES (max per cell, 40), _CELL_SECONDS (3),
 *      _SKIP_SHARED=1, _SKIP_SIZES=1)
 */
// The logger is built when src/log.ts is first imported: silence it before importing the gateway.
process.env.SCOPEGATE_LOG = "silent";
const { Gateway } = await import("../src/gateway.js");
const { startHttp } = await import("../src/http/server.js");
import { loadavg } from "node:os";
import { globalId } from "../src/domain/globalIds.js";
import { textSource } from "./lib/corpus.js";
import { BenchFailure, int, ms, pct, pool, ratio, seconds, table } from "./lib/stats.js";

type Scope = Record<string, string>;
type GatewayT = Awaited<ReturnType<typeof Gateway.start>>;

const list = (v: string | undefined, d: string) => (v ?? d).split(",").map(Number);
const SIZES = list(process.env.SCOPEGATE_BENCH_SIZES, "100,1000,10000,50000");
const SIDE_MAX = Number(process.env.SCOPEGATE_BENCH_SIDE_MAX ?? 10_000);
const TURNS_MAX = Number(process.env.SCOPEGATE_BENCH_TURNS_MAX ?? 2_000);
const PROBE_ROWS = Number(process.env.SCOPEGATE_BENCH_PROBE_ROWS ?? 500);
const PROBE_SIDE = Number(process.env.SCOPEGATE_BENCH_PROBE_SIDE_ROWS ?? 50);
const FACTOR = Number(process.env.SCOPEGATE_BENCH_FOREIGN_FACTOR ?? 100);
const FOREIGN_TENANTS = 100;
const MAX_SAMPLES = Number(process.env.SCOPEGATE_BENCH_SAMPLES ?? 40);
const MIN_SAMPLES = 5;
const CELL_MS = 1000 * Number(process.env.SCOPEGATE_BENCH_CELL_SECONDS ?? 3);
const MGMT = "bench-management-key-0123456789abcdef0123456789";

const foreignText = textSource(4242);
const started = performance.now();

const g: GatewayT = await Gateway.start({
  settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
  announce: () => undefined,
});
const http = await startHttp(g, 0, "127.0.0.1", { rateLimitPerMinute: 0 });

// ---- tenants and loading --------------------------------------------------------------------

interface Counts {
  memories: number;
  sessions: number;
  documents: number;
  traces: number;
  turns: number;
}
const TABLES: ReadonlyArray<keyof Counts> = ["memories", "sessions", "documents", "traces", "turns"];

interface Tenant {
  label: string;
  contextId: string;
  org: string;
  agent: string;
  supervisor: string;
  counts: Counts;
  /** Rows at exactly the floor {org}: what the agent's lists see (its lists show no sub-scopes). */
  atFloor: Counts;
  /** The tenant's own text source: two tenants made with the same seed write the same texts. */
  text: ReturnType<typeof textSource>;
  /** The session that holds the turns, and one record of each kind for by-id reads. */
  sessionId: string | null;
  memoryId: string | null;
  documentId: string | null;
  /** Words of the tenant's own texts, for recall queries. */
  words: string[];
}

async function tenant(
  label: string,
  contextId: string,
  org: string,
  seed: number,
  createContext = true,
): Promise<Tenant> {
  if (createContext) await g.contexts.create({ id: contextId, namespace: "bench", database: contextId });
  const key = async (principal: "AGENT" | "SUPERVISOR") =>
    (await g.keys.create(contextId, { name: `${org}-${principal}`, principal, scopeFloor: { org } })).secret;
  return {
    label,
    contextId,
    org,
    agent: await key("AGENT"),
    supervisor: await key("SUPERVISOR"),
    counts: { memories: 0, sessions: 0, documents: 0, traces: 0, turns: 0 },
    atFloor: { memories: 0, sessions: 0, documents: 0, traces: 0, turns: 0 },
    text: textSource(seed),
    sessionId: null,
    memoryId: null,
    documentId: null,
    words: [],
  };
}

/** Load timings of one grow step, per table (ms). */
type LoadTimes = Partial<Record<keyof Counts, { rows: number; ms: number }>>;

const trace = (scope: Scope) => ({
  scope,
  purpose: "RESPONSE" as const,
  model: "local/extractive",
  promptTokens: 120,
  completionTokens: 30,
  latencyMs: 3,
  sessionId: null,
  outcome: "SUCCESS" as const,
  error: null,
});

/**
 * Grows `t` to `target` rows per table, written by its agent key (owner and floor as in
 * production). `subScope(i)` adds a sub-scope to row i (e.g. {user: "u1"}), or none.
 * Decision traces have no write API (LLM calls write them): they go through the executor's
 * `traces.record`, the very write a model call makes.
 */
async function grow(t: Tenant, target: Counts, subScope: (i: number) => Scope = () => ({})): Promise<LoadTimes> {
  const times: LoadTimes = {};
  const api = (await g.requestContext(t.agent, "load")).tenant();
  const text = t.text;
  const timed = async (table: keyof Counts, f: (from: number, to: number) => Promise<void>) => {
    const from = t.counts[table];
    const to = target[table];
    if (to <= from) return;
    const t0 = performance.now();
    await f(from, to);
    times[table] = { rows: to - from, ms: performance.now() - t0 };
    t.counts[table] = to;
    for (let i = from; i < to; i++)
      if (table === "turns" || Object.keys(subScope(i)).length === 0) t.atFloor[table] += 1;
  };
  await timed("memories", async (from, to) => {
    // Batches of 1,000: a rememberMany of 5,000 costs more per row on this engine.
    for (let i = from; i < to; i += 1000) {
      const items = Array.from({ length: Math.min(1000, to - i) }, (_, j) => {
        const s = text.memoryText();
        if (t.words.length < 400) t.words.push(...s.split(" ").slice(0, 2));
        return { text: s, scope: subScope(i + j) };
      });
      const made = await api.memories.rememberMany({ items });
      t.memoryId ??= made[0]!.id;
    }
  });
  await timed("sessions", async (from, to) => {
    await pool(to - from, 4, async (i) => {
      const s = await api.sessions.create({ scope: subScope(from + i), metadata: { n: from + i } });
      if (from + i === 0) t.sessionId = s.id;
    });
  });
  await timed("turns", async (from, to) => {
    t.sessionId ??= (await api.sessions.create({})).id;
    for (let i = from; i < to; i++)
      await api.sessions.addTurn(t.sessionId, { role: i % 2 ? "ASSISTANT" : "USER", content: text.memoryText() });
  });
  await timed("documents", async (from, to) => {
    await pool(to - from, 4, async (i) => {
      const { document } = await api.documents.upload({
        title: `doc ${from + i}`,
        content: `${text.memoryText()} (${t.org} ${from + i})`,
        mimeType: "text/plain",
        scope: subScope(from + i),
      });
      if (from + i === 0) t.documentId = document.id;
    });
  });
  await timed("traces", async (from, to) => {
    const exec = await api.binding.executor();
    await pool(to - from, 4, (i) => exec.traces.record(trace({ org: t.org, ...subScope(from + i) })));
  });
  return times;
}

/** Foreign tenants of a shared Context, written with the management key: `total` rows per table. */
async function foreign(contextId: string, total: Counts): Promise<LoadTimes> {
  const api = (await g.requestContext(MGMT, "load")).tenant(contextId);
  const scopeOf = (i: number): Scope => {
    const org = `f${i % FOREIGN_TENANTS}`;
    const u = Math.floor(i / FOREIGN_TENANTS) % 5;
    return u === 0 ? { org } : { org, user: `u${u}` };
  };
  const times: LoadTimes = {};
  const timed = async (table: keyof Counts, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    times[table] = { rows: total[table], ms: performance.now() - t0 };
  };
  await timed("memories", async () => {
    for (let i = 0; i < total.memories; i += 1000) {
      const items = Array.from({ length: Math.min(1000, total.memories - i) }, (_, j) => ({
        text: foreignText.memoryText(),
        scope: scopeOf(i + j),
      }));
      await api.memories.rememberMany({ items });
    }
  });
  await timed("sessions", () => pool(total.sessions, 4, (i) => api.sessions.create({ scope: scopeOf(i) })));
  await timed("documents", () =>
    pool(total.documents, 4, (i) =>
      api.documents.upload({
        title: `foreign ${i}`,
        content: `${foreignText.memoryText()} (foreign ${i})`,
        mimeType: "text/plain",
        scope: scopeOf(i),
      }),
    ),
  );
  await timed("traces", async () => {
    const exec = await api.binding.executor();
    await pool(total.traces, 4, (i) => exec.traces.record(trace(scopeOf(i))));
  });
  return times;
}

const loadLine = (label: string, times: LoadTimes) =>
  `${label}: ${TABLES.flatMap((k) => {
    const x = times[k];
    return x ? [`${int(x.rows)} ${k} in ${seconds(x.ms)} (${int(x.rows / (x.ms / 1000))}/s)`] : [];
  }).join(", ")}`;

// ---- measuring ------------------------------------------------------------------------------

type Principal = "agent" | "supervisor";
interface Probe {
  name: string;
  body(t: Tenant): string;
  /** Runs before each request, outside its timing. */
  before?(t: Tenant): void | Promise<void>;
  /** Checks the answer (beyond "2xx without errors"); returns a value that must match across targets. */
  check?(data: any, t: Tenant, principal: Principal): unknown;
}

const PAGE = "edges { cursor } pageInfo { hasNextPage endCursor }";
const expectPage = (conn: any, rows: number) => {
  if (conn.edges.length !== Math.min(20, rows) || conn.pageInfo.hasNextPage !== rows > 20)
    throw new BenchFailure(`a page of ${rows} rows came back with ${conn.edges.length} edges`);
  return conn.edges.length;
};
let query = 0;
const recallQuery = (t: Tenant) => {
  const w = t.words;
  const i = query++;
  return `${w[(i * 7) % w.length]} ${w[(i * 13 + 5) % w.length]}`;
};
const gql = (q: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query: q, variables });

const LISTS: Probe[] = [
  {
    name: "memories(first: 20)",
    body: () =>
      gql(
        `{ memories(first: 20) { edges { node { id text scope createdAt } cursor } pageInfo { hasNextPage endCursor } } }`,
      ),
    check: (d, t, p) => expectPage(d.memories, visible(t, "memories", p)),
  },
  {
    name: "sessions(first: 20)",
    body: () => gql(`{ sessions(first: 20) { edges { node { id scope createdAt } } ${PAGE} } }`),
    check: (d, t, p) => expectPage(d.sessions, visible(t, "sessions", p)),
  },
  {
    name: "documents(first: 20)",
    body: () => gql(`{ documents(first: 20) { edges { node { id title scope createdAt } } ${PAGE} } }`),
    check: (d, t, p) => expectPage(d.documents, visible(t, "documents", p)),
  },
  {
    name: "decisionTraces(first: 20)",
    body: () => gql(`{ decisionTraces(first: 20) { edges { node { id model totalTokens createdAt } } ${PAGE} } }`),
    check: (d, t) => expectPage(d.decisionTraces, t.counts.traces),
  },
  {
    name: "session.turns(first: 20)",
    body: (t) =>
      gql(`query($id: ID!) { session(id: $id) { turns(first: 20) { edges { node { id seq content } } ${PAGE} } } }`, {
        id: globalId("Session", t.contextId, t.sessionId!),
      }),
    check: (d, t) => expectPage(d.session.turns, t.counts.turns),
  },
];
/** Before each request: nothing (warm), one new memory by the tenant's agent (after a write), or empty caches (cold). */
type RecallState = "warm" | "after a write" | "cold";
const RECALL_NAMES: Record<RecallState, string> = {
  warm: "recall, warm",
  "after a write": "recall, right after a remember",
  cold: "recall, cold (caches emptied)",
};
const RECALL = (state: RecallState): Probe => ({
  name: RECALL_NAMES[state],
  body: (t) =>
    gql(`query($q: String!) { recall(query: $q, topK: 10) { hits { score text memory { id } } } }`, {
      q: recallQuery(t),
    }),
  before:
    state === "cold"
      ? (t) => g.forgetRecallCaches(t.contextId)
      : state === "after a write"
        ? async (t) => {
            const api = (await g.requestContext(t.agent, "bench-write")).tenant();
            await api.memories.remember({ text: t.text.memoryText() });
            t.counts.memories += 1;
            t.atFloor.memories += 1;
          }
        : undefined,
  check: (d) => {
    if (d.recall.hits.length === 0) throw new BenchFailure("recall found nothing");
  },
});
const BY_ID: Probe = {
  name: "by id: memory + session + document",
  body: (t) =>
    gql(
      `query($m: ID!, $s: ID!, $d: ID!) { memory(id: $m) { id text } session(id: $s) { id } document(id: $d) { id title } }`,
      {
        m: globalId("Memory", t.contextId, t.memoryId!),
        s: globalId("Session", t.contextId, t.sessionId!),
        d: globalId("Document", t.contextId, t.documentId!),
      },
    ),
  check: (d) => {
    if (!d.memory || !d.session || !d.document) throw new BenchFailure("a by-id read came back null");
  },
};
const FORGET: Probe = {
  name: "forget by scope, dry run",
  body: () => gql(`mutation { forget(input: { scope: {}, dryRun: true }) { count } }`),
  check: (d) => d.forget.count,
};
const USAGE: Probe = {
  name: "tokenUsage(groupBy: [org])",
  body: () => gql(`{ tokenUsage(groupBy: ["org"]) { scope totalTokens calls } }`),
  check: (d) => JSON.stringify(d.tokenUsage),
};

/** Rows a principal's list sees: a supervisor its whole subtree, an agent the rows at exactly its floor. */
const visible = (t: Tenant, table: keyof Counts, principal: Principal) =>
  principal === "supervisor" ? t.counts[table] : t.atFloor[table];

async function request(t: Tenant, key: string, probe: Probe): Promise<{ ms: number; data: any }> {
  await probe.before?.(t);
  const body = probe.body(t);
  const t0 = performance.now();
  const res = await fetch(http.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
  });
  const raw = await res.text();
  const elapsed = performance.now() - t0;
  if (!res.ok || raw.includes('"errors"'))
    throw new BenchFailure(`${probe.name} on ${t.label}: HTTP ${res.status}: ${raw.slice(0, 400)}`);
  return { ms: elapsed, data: JSON.parse(raw).data };
}

/** One warm-up request each, then rounds of one request per target in turn, until enough samples. */
async function interleaved(targets: Tenant[], principal: Principal, probe: Probe): Promise<number[][]> {
  const key = (t: Tenant) => (principal === "agent" ? t.agent : t.supervisor);
  const checks: unknown[] = [];
  for (const t of targets) checks.push(probe.check?.((await request(t, key(t), probe)).data, t, principal));
  if (probe === FORGET || probe === USAGE) {
    if (new Set(checks.map((c) => JSON.stringify(c))).size > 1)
      throw new BenchFailure(
        `${probe.name} (${principal}) differs between ${targets.map((t) => t.label).join(" and ")}: ${JSON.stringify(checks)}`,
      );
  }
  const samples: number[][] = targets.map(() => []);
  const t0 = performance.now();
  for (let r = 0; r < MAX_SAMPLES; r++) {
    for (const [i, t] of targets.entries()) samples[i]!.push((await request(t, key(t), probe)).ms);
    if (r + 1 >= MIN_SAMPLES && performance.now() - t0 > CELL_MS) break;
  }
  return samples;
}

const mark = (x: number, limit: number) => (x <= limit ? "yes" : "**no**");

// ---- 1. shared / alone ----------------------------------------------------------------------

async function sharedAlone(): Promise<void> {
  console.log(
    `\n## shared / alone — probe tenant: ${int(PROBE_ROWS)} memories, ${PROBE_SIDE} sessions, documents and traces, ${PROBE_SIDE} turns; ` +
      `foreign: ${FACTOR}× that over ${FOREIGN_TENANTS} tenants\n`,
  );
  // The same seed: both copies of the probe tenant write the same texts.
  const alone = await tenant("alone", "alone", "p", 99);
  await g.contexts.create({ id: "shared", namespace: "bench", database: "shared" });
  const shared = await tenant("shared", "shared", "p", 99, false);
  const probeCounts: Counts = {
    memories: PROBE_ROWS,
    sessions: PROBE_SIDE,
    documents: PROBE_SIDE,
    traces: PROBE_SIDE,
    turns: PROBE_SIDE,
  };
  // One row in five sits in a {org: p, user: uK} sub-scope: supervisors see it, the agent's lists do not.
  const sub = (i: number): Scope => (i % 5 === 4 ? { user: `u${i % 3}` } : {});
  const foreignCounts: Counts = {
    memories: FACTOR * PROBE_ROWS,
    sessions: FACTOR * PROBE_SIDE,
    documents: FACTOR * PROBE_SIDE,
    traces: FACTOR * PROBE_SIDE,
    turns: 0,
  };
  console.log(loadLine("load, foreign rows of the shared Context", await foreign("shared", foreignCounts)));
  console.log(loadLine("load, probe tenant alone", await grow(alone, probeCounts, sub)));
  console.log(loadLine("load, probe tenant in the shared Context", await grow(shared, probeCounts, sub)));

  const probes = [...LISTS, BY_ID, RECALL("warm"), RECALL("cold"), FORGET, USAGE];
  for (const principal of ["agent", "supervisor"] as const) {
    const rows: string[][] = [];
    for (const probe of probes) {
      const [a, s] = await interleaved([alone, shared], principal, probe);
      const r = pct(s!, 0.5) / pct(a!, 0.5);
      rows.push([
        probe.name,
        ms(pct(a!, 0.5)),
        ms(pct(s!, 0.5)),
        ratio(pct(s!, 0.5), pct(a!, 0.5)),
        mark(r, 1.3),
        String(a!.length),
      ]);
    }
    console.log(
      `\n${principal} (floor {org: p}), sequential requests, p50\n\n${table(
        ["operation", "alone", "shared", "shared/alone", "≤ 1.3×", "samples each"],
        rows,
      )}`,
    );
  }
}

// ---- 2. tenant size -------------------------------------------------------------------------

async function sizes(): Promise<void> {
  const side = (n: number) => Math.min(n, SIDE_MAX);
  const countsAt = (n: number): Counts => ({
    memories: n,
    sessions: side(n),
    documents: side(n),
    traces: side(n),
    turns: Math.min(n, TURNS_MAX),
  });
  console.log(
    `\n## tenant size — one tenant grown to ${SIZES.map(int).join(" / ")} memories (sessions, documents, traces: up to ${int(SIDE_MAX)}; turns of one session: up to ${int(TURNS_MAX)}), ` +
      `each step measured in alternation with a 100-row reference tenant\n`,
  );
  const ref = await tenant("reference (100)", "size-ref", "t", 7);
  const grown = await tenant("grown", "size-grown", "t", 8);
  console.log(loadLine("load, reference tenant", await grow(ref, countsAt(100))));
  const probes = [...LISTS, RECALL("warm"), RECALL("after a write"), RECALL("cold")];
  // results[principal][probe][step] = { p50 grown, p50 reference }
  const results = new Map<string, Array<{ grown: number; ref: number; n: number }>>();
  for (const n of SIZES) {
    console.log(loadLine(`load, grow to ${int(n)}`, await grow(grown, countsAt(n))));
    for (const principal of ["agent", "supervisor"] as const) {
      for (const probe of probes) {
        const [x, r] = await interleaved([grown, ref], principal, probe);
        const key = `${principal}\u0000${probe.name}`;
        const list = results.get(key) ?? [];
        list.push({ grown: pct(x!, 0.5), ref: pct(r!, 0.5), n: x!.length });
        results.set(key, list);
      }
      console.log(`  measured ${principal} at ${int(n)} (${seconds(performance.now() - started)} since start)`);
    }
  }
  for (const principal of ["agent", "supervisor"] as const) {
    const rows = probes.map((probe) => {
      const steps = results.get(`${principal}\u0000${probe.name}`)!;
      const last = steps.at(-1)!;
      const r = last.grown / last.ref;
      const limit = probe.name.startsWith("recall") ? Number.POSITIVE_INFINITY : 1.5;
      return [
        probe.name,
        ...steps.map((s) => `${ms(s.grown)} (${ratio(s.grown, s.ref)})`),
        ms(steps.reduce((a, s) => a + s.ref, 0) / steps.length),
        ratio(last.grown, last.ref),
        Number.isFinite(limit) ? mark(r, limit) : "(linear by design)",
      ];
    });
    console.log(
      `\n${principal}: p50 at each size (× the 100-row reference measured alongside)\n\n${table(
        [
          "operation",
          ...SIZES.map((n) => `${int(n)}`),
          "reference (mean p50)",
          `${int(SIZES.at(-1)!)} / 100`,
          "≤ 1.5×",
        ],
        rows,
      )}\n\nrows at each step: memories ${SIZES.map(int).join(" / ")}; sessions, documents, traces ${SIZES.map((n) => int(side(n))).join(" / ")}; turns of the session ${SIZES.map((n) => int(Math.min(n, TURNS_MAX))).join(" / ")}`,
    );
  }
}

try {
  console.log(
    `bench:scaling — sequential HTTP requests, p50 of up to ${MAX_SAMPLES} per cell (≥ ${MIN_SAMPLES}, ~${CELL_MS / 1000} s); ` +
      `load average at start ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
  );
  if (!process.env.SCOPEGATE_BENCH_SKIP_SHARED) await sharedAlone();
  if (!process.env.SCOPEGATE_BENCH_SKIP_SIZES) await sizes();
  console.log(
    `\ntotal ${seconds(performance.now() - started)}; load average at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
} catch (err) {
  console.error(`\nbench:scaling FAILED: ${err instanceof BenchFailure ? err.message : String((err as Error).stack)}`);
  process.exitCode = 1;
} finally {
  await http.close();
  await g.close().catch(() => undefined);
}
process.exit(process.exitCode ?? 0);
