/**
 * Crash safety (issue 10), as a script: `npm run crash-test` (CYCLES=10 by default).
 *
 * Starts the gateway as a child process on a fresh surrealkv:// folder, runs mixed writes from
 * four clients (remember, rememberMany, addTurn, uploadDocument) and records every write the
 * gateway acknowledged, kills the gateway with SIGKILL at a random moment, waits until the
 * process is gone (two processes on one surrealkv folder hang the engine), restarts it on the
 * same folder, and checks:
 *   - every acknowledged write is there, by id (memory(id:), document(id:), the session's turns)
 *     with its exact text, and by recall (LEXICAL, on a token unique to the write);
 *   - no batch is partial: every rememberMany sent (acknowledged or not) is stored whole or not
 *     at all, and every stored document has all its chunks.
 * Prints cycles, writes acknowledged, writes lost (must be 0), partial batches (must be 0), and
 * restart time p50/max; exits 1 if anything was lost or partial.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildGateway, startChildGateway } from "../test/childGateway.js";

const CYCLES = Number(process.env.CYCLES ?? 10);
const WRITERS = 4;
const MGMT = "crash-test-management-key-0123456789abcdef";

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<{ data?: any; errors?: any[] }>;

interface Acked {
  memories: Array<{ id: string; text: string; token: string }>;
  turns: Array<{ sessionId: string; seq: number; content: string }>;
  documents: Array<{ id: string; chunkCount: number; token: string }>;
}

let seq = 0;
/** A token the analyzer keeps whole (letters and digits, not stemmed) and no other write uses. */
const token = (cycle: number) => `k${cycle}x${++seq}q`;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const WORDS = "tea coffee morning report garden river mountain budget meeting travel music winter".split(" ");
const prose = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

function client(url: string, secret: string): Gql {
  return async (query, variables) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: any[] };
  };
}

/** One writer: mixed writes until the gateway dies; records what was acknowledged and every batch sent. */
async function writer(gql: Gql, cycle: number, acked: Acked, batchesSent: Map<string, number>): Promise<void> {
  let sessionId: string | null = null;
  let seqInSession = 0;
  try {
    const s = await gql(`mutation { createSession(input: {}) { id } }`);
    sessionId = s.data?.createSession?.id ?? null;
    for (;;) {
      const roll = Math.random();
      if (roll < 0.35) {
        const t = token(cycle);
        const text = `crash memory ${t} ${prose(8)}`;
        const r = await gql(`mutation($i: RememberInput!) { remember(input: $i) { id } }`, { i: { text } });
        if (r.data?.remember) acked.memories.push({ id: r.data.remember.id, text, token: t });
      } else if (roll < 0.6) {
        const batch = `b${cycle}x${++seq}`;
        const size = 2 + Math.floor(Math.random() * 7);
        const items = Array.from({ length: size }, (_, i) => {
          const t = token(cycle);
          return { t, text: `crash batch ${batch} item ${i} ${t} ${prose(6)}` };
        });
        batchesSent.set(batch, size);
        const r = await gql(`mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
          i: { items: items.map((x) => ({ text: x.text })) },
        });
        if (r.data?.rememberMany)
          r.data.rememberMany.forEach((m: { id: string }, i: number) => {
            acked.memories.push({ id: m.id, text: items[i]!.text, token: items[i]!.t });
          });
      } else if (roll < 0.85 && sessionId) {
        const content = `turn ${token(cycle)} ${prose(10)}`;
        const r = await gql(`mutation($s: ID!, $i: AddTurnInput!) { addTurn(sessionId: $s, input: $i) { seq } }`, {
          s: sessionId,
          i: { role: pick(["USER", "ASSISTANT"]), content },
        });
        if (r.data?.addTurn) {
          seqInSession = r.data.addTurn.seq;
          acked.turns.push({ sessionId, seq: seqInSession, content });
        }
      } else {
        const t = token(cycle);
        // Some small (inline), some past the compute pool's inline bound (a worker thread).
        const content = `# Report ${t}\n\n${prose(Math.random() < 0.5 ? 60 : 3000)}\n\nThe code word is ${t}.`;
        const r = await gql(
          `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { id chunkCount } } }`,
          { i: { title: `doc ${t}`, mimeType: "text/markdown", content } },
        );
        const d = r.data?.uploadDocument?.document;
        if (d) acked.documents.push({ id: d.id, chunkCount: d.chunkCount, token: t });
      }
    }
  } catch {
    // The gateway was killed: this writer is done.
  }
}

/** Runs `f` over `xs` with `n` at a time. */
async function eachLimit<T>(xs: readonly T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < xs.length) await f(xs[next++]!);
    }),
  );
}

/** Every page of a connection (`memories` or `documents`), as nodes. */
async function listAll(gql: Gql, field: "memories" | "documents", fields: string): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const r = await gql(
      `query($a: String) { ${field}(first: 100, after: $a) { edges { node { ${fields} } } pageInfo { hasNextPage endCursor } } }`,
      { a: after },
    );
    if (r.errors) throw new Error(`listing ${field}: ${JSON.stringify(r.errors)}`);
    const page = r.data[field];
    out.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

interface Check {
  lost: string[];
  partial: string[];
}

async function verify(gql: Gql, acked: Acked, batchesSent: Map<string, number>): Promise<Check> {
  const lost: string[] = [];
  const partial: string[] = [];
  // Atomicity, over everything stored: batches whole or absent, documents with all their chunks.
  const memories = await listAll(gql, "memories", "id text");
  const perBatch = new Map<string, number>();
  for (const m of memories) {
    const b = /^crash batch (\S+) item/.exec(m.text)?.[1];
    if (b) perBatch.set(b, (perBatch.get(b) ?? 0) + 1);
  }
  for (const [batch, n] of perBatch)
    if (n !== batchesSent.get(batch)) partial.push(`batch ${batch}: ${n} of ${batchesSent.get(batch)} items stored`);
  const documents = await listAll(gql, "documents", "id chunkCount chunks { id }");
  for (const d of documents)
    if (d.chunks.length !== d.chunkCount)
      partial.push(`document ${d.id}: ${d.chunks.length} of ${d.chunkCount} chunks`);

  // Every acknowledged write, by id and by recall.
  const byId = new Map(memories.map((m) => [m.id, m.text]));
  await eachLimit(acked.memories, 8, async (m) => {
    if (byId.get(m.id) !== m.text) return void lost.push(`memory ${m.id} missing from the list`);
    const r = await gql(`query($id: ID!) { memory(id: $id) { text } }`, { id: m.id });
    if (r.data?.memory?.text !== m.text) return void lost.push(`memory ${m.id} not readable by id`);
    const hits = await gql(
      `query($q: String!) { recall(query: $q, topK: 5, mode: LEXICAL) { hits { memory { id } } } }`,
      {
        q: m.token,
      },
    );
    if (!hits.data?.recall.hits.some((h: any) => h.memory?.id === m.id)) lost.push(`memory ${m.id} not recalled`);
  });
  await eachLimit(acked.documents, 8, async (d) => {
    const r = await gql(`query($id: ID!) { document(id: $id) { chunkCount chunks { id } } }`, { id: d.id });
    const doc = r.data?.document;
    if (!doc || doc.chunkCount !== d.chunkCount || doc.chunks.length !== d.chunkCount)
      return void lost.push(`document ${d.id} missing or incomplete`);
    const hits = await gql(
      `query($q: String!) { recall(query: $q, topK: 5, mode: LEXICAL) { hits { chunk { document { id } } } } }`,
      { q: d.token },
    );
    if (!hits.data?.recall.hits.some((h: any) => h.chunk?.document?.id === d.id))
      lost.push(`document ${d.id} not recalled`);
  });
  const sessions = new Map<string, Map<number, string>>();
  for (const t of acked.turns) if (!sessions.has(t.sessionId)) sessions.set(t.sessionId, new Map());
  await eachLimit([...sessions.keys()], 8, async (id) => {
    const turns = sessions.get(id)!;
    let after: string | null = null;
    for (;;) {
      const r = await gql(
        `query($id: ID!, $a: String) { session(id: $id) { turns(first: 100, after: $a) { edges { node { seq content } } pageInfo { hasNextPage endCursor } } } }`,
        { id, a: after },
      );
      const page = r.data?.session?.turns;
      if (!page) return;
      for (const e of page.edges) turns.set(e.node.seq, e.node.content);
      if (!page.pageInfo.hasNextPage) return;
      after = page.pageInfo.endCursor;
    }
  });
  for (const t of acked.turns)
    if (sessions.get(t.sessionId)?.get(t.seq) !== t.content) lost.push(`turn ${t.seq} of session ${t.sessionId}`);
  return { lost, partial };
}

const folder = mkdtempSync(join(tmpdir(), "scopegate-crash-"));
const env = {
  SCOPEGATE_SURREAL_URL: `surrealkv://${join(folder, "data")}`,
  SCOPEGATE_MANAGEMENT_KEY: MGMT,
  SCOPEGATE_LOG: "warn",
  SCOPEGATE_LOG_FILE: undefined,
  SCOPEGATE_RATE_LIMIT_PER_MINUTE: "0",
  SCOPEGATE_RETENTION_INTERVAL_MS: "0",
};

async function start(): Promise<{ g: ChildGateway; ms: number }> {
  const t0 = performance.now();
  const g = await startChildGateway(env, { readyTimeoutMs: 120_000 });
  return { g, ms: performance.now() - t0 };
}

let { g } = await start();
const mgmt = client(g.url, MGMT);
await mgmt(`mutation { createContext(input: { id: "crash", namespace: "crash", database: "crash" }) { id } }`);
const key = await mgmt(
  `mutation { createKey(contextId: "crash", input: { name: "writer", principal: AGENT, scopeFloor: { org: "crash" } }) { secret } }`,
);
const secret: string = key.data.createKey.secret;
const all: Acked = { memories: [], turns: [], documents: [] };
const batchesSent = new Map<string, number>();
const restarts: number[] = [];
let lost = 0;
let partial = 0;

for (let cycle = 1; cycle <= CYCLES; cycle++) {
  const acked: Acked = { memories: [], turns: [], documents: [] };
  const gql = client(g.url, secret);
  const writers = Array.from({ length: WRITERS }, () => writer(gql, cycle, acked, batchesSent));
  const killAfter = 300 + Math.random() * 2700;
  await new Promise((r) => setTimeout(r, killAfter));
  g.process.kill("SIGKILL");
  await g.exited; // the folder is free only once the process is gone
  await Promise.all(writers);
  const restarted = await start();
  g = restarted.g;
  restarts.push(restarted.ms);
  all.memories.push(...acked.memories);
  all.turns.push(...acked.turns);
  all.documents.push(...acked.documents);
  // This cycle's writes in full; atomicity over everything stored so far.
  const check = await verify(client(g.url, secret), acked, batchesSent);
  lost += check.lost.length;
  partial += check.partial.length;
  const n = acked.memories.length + acked.turns.length + acked.documents.length;
  console.log(
    `cycle ${cycle}: killed after ${killAfter.toFixed(0)} ms; acknowledged ${n} (${acked.memories.length} memories, ` +
      `${acked.turns.length} turns, ${acked.documents.length} documents); restart ${restarted.ms.toFixed(0)} ms; ` +
      `lost ${check.lost.length}, partial ${check.partial.length}`,
  );
  for (const line of [...check.lost, ...check.partial].slice(0, 10)) console.log(`  ${line}`);
}

// After the last restart, everything acknowledged in every cycle once more.
const final = await verify(client(g.url, secret), all, batchesSent);
await g.stop();
rmSync(folder, { recursive: true, force: true });
const total = all.memories.length + all.turns.length + all.documents.length;
console.log(
  `\n| cycles | writes acknowledged | writes lost | partial batches | restart p50 | restart max |\n|---|---|---|---|---|---|\n` +
    `| ${CYCLES} | ${total} (${all.memories.length} memories, ${all.turns.length} turns, ${all.documents.length} documents; ${batchesSent.size} rememberMany sent) | ` +
    `${lost + final.lost.length} | ${partial + final.partial.length} | ${pct(restarts, 0.5).toFixed(0)} ms | ${Math.max(...restarts).toFixed(0)} ms |`,
);
process.exit(lost + partial + final.lost.length + final.partial.length === 0 ? 0 : 1);
