/**
 * Recall quality on LoCoMo (issue 13), measured as a user would: a gateway in this process on
 * the embedded engine (mem://) behind real HTTP, every call a GraphQL request.
 *
 * - Each conversation is one tenant (agent key, floor {org: "conv-<file>"}) of a shared Context.
 *   Sessions of all conversations are written interleaved (session 1 of each, then session 2…),
 *   so every tenant's rows sit between other tenants' writes.
 * - Each LoCoMo session is a gateway session: every turn is added with `addTurn`, then the
 *   session's turns are remembered with one `rememberMany` into that session, text
 *   `"[<session date>] <speaker>: <text>"` plus `[photo: <blip_caption>]` when the turn shared
 *   one, metadata `{dia: <dia_id>}`.
 * - Each question of categories 1–4 is asked with `recall(query, topK: 10, mode)`; recall@k is
 *   1 when a returned memory's `dia` is in the question's evidence (bench/locomo.ts).
 *
 * Configurations: the Context's default embedding, and a Context with `local/hash-embedding`
 * (the default before issue 13). The same texts also go to `wink-bm25-text-search` (lower case,
 * tokenize0, its stop words, Porter2 stems; BM25 k1 1.2, b 0.75, its defaults) as a baseline.
 * Finally every conversation is written again, alone in a Context of its own, and all its
 * answers are compared with the shared Context's: hits, order and scores must be identical.
 *
 * Run: npm run bench:quality -- --locomo <folder>   (default ../shared/data/locomo-dev,
 * resolved against the repository root)
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ASKED, evidenceHit, loadLocomo, type LocomoConversation, memoryText } from "./locomo.js";

// The logger is built when src/log.ts is first imported: silence it before importing the gateway.
process.env.SCOPEGATE_LOG = "silent";
const { Gateway } = await import("../src/gateway.js");
const { startHttp } = await import("../src/http/server.js");

const require = createRequire(import.meta.url);
const winkBm25 = require("wink-bm25-text-search");
const winkNlp = require("wink-nlp-utils");

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = process.argv.indexOf("--locomo");
/**
 * --locomo resolves against the repository root. The default `../shared/data/locomo-dev` is the
 * project's shared folder beside the checkout; a git worktree sits one level deeper
 * (/work/wt/<name>), so the default is also looked for beside each ancestor.
 */
function locomoFolder(): string {
  if (argAt >= 0) return resolve(repoRoot, process.argv[argAt + 1]!);
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = resolve(dir, "../shared/data/locomo-dev");
    if (existsSync(candidate) || dirname(dir) === dir) return candidate;
  }
}
const folder = locomoFolder();
const MGMT = "bench-quality-management-key-0123456789abcdef";
const MODES = ["LEXICAL", "VECTOR", "HYBRID"] as const;
type Mode = (typeof MODES)[number];
const K = 10;

const convs = loadLocomo(folder);
if (convs.length === 0) throw new Error(`no *.json conversations in ${folder}`);

const g = await Gateway.start({
  settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
  announce: () => undefined,
});
const http = await startHttp(g, 0, "127.0.0.1", { rateLimitPerMinute: 0 });

async function gql(secret: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(http.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function createContext(id: string, embedding: string | null): Promise<void> {
  const config = embedding ? { models: { embedding } } : undefined;
  await gql(MGMT, `mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
    i: { id, namespace: "bench", database: id.replace(/-/g, "_"), config },
  });
}

async function tenantKey(contextId: string, c: LocomoConversation): Promise<string> {
  const d = await gql(
    MGMT,
    `mutation($c: ID!, $i: CreateKeyInput!) { createKey(contextId: $c, input: $i) { secret } }`,
    {
      c: contextId,
      i: { name: `conv-${c.name}`, principal: "AGENT", scopeFloor: { org: `conv-${c.name}` } },
    },
  );
  return d.createKey.secret;
}

/** Writes the conversations' sessions interleaved; returns turns written per second. */
async function ingest(keys: Map<string, string>, list: readonly LocomoConversation[]): Promise<number> {
  let turns = 0;
  const started = performance.now();
  const rounds = Math.max(...list.map((c) => c.sessions.length));
  for (let n = 0; n < rounds; n++) {
    for (const c of list) {
      const s = c.sessions[n];
      if (!s) continue;
      const key = keys.get(c.name)!;
      const sid = (
        await gql(key, `mutation($i: CreateSessionInput!) { createSession(input: $i) { id } }`, {
          i: { metadata: { locomo: c.name, session: s.n, date: s.date } },
        })
      ).createSession.id;
      for (const t of s.turns) {
        await gql(key, `mutation($s: ID!, $i: AddTurnInput!) { addTurn(sessionId: $s, input: $i) { id } }`, {
          s: sid,
          i: { role: t.speaker === c.speakers[0] ? "USER" : "ASSISTANT", content: `${t.speaker}: ${t.text}` },
        });
      }
      await gql(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { sessionId: sid, items: s.turns.map((t) => ({ text: memoryText(s, t), metadata: { dia: t.dia } })) },
      });
      turns += s.turns.length;
    }
  }
  return turns / ((performance.now() - started) / 1000);
}

interface Answer {
  dias: string[];
  /** Everything a caller sees of the hits except ids: compared between the shared and the alone Context. */
  shape: string;
  ms: number;
}

const RECALL = `query($q: String!, $m: RecallMode) { recall(query: $q, topK: ${K}, mode: $m) { hits { score matchedBy memory { metadata } } } }`;
async function ask(key: string, question: string, mode: Mode): Promise<Answer> {
  const t0 = performance.now();
  const d = await gql(key, RECALL, { q: question, m: mode });
  const ms = performance.now() - t0;
  const hits = d.recall.hits as Array<{ score: number; matchedBy: string[]; memory: { metadata: { dia: string } } }>;
  return {
    dias: hits.map((h) => h.memory.metadata.dia),
    shape: JSON.stringify(hits.map((h) => [h.memory.metadata.dia, h.score, h.matchedBy])),
    ms,
  };
}

/** Hits at 5 and 10 per category, and latencies. */
class Tally {
  readonly byCat = new Map<number, { at5: number; at10: number; n: number }>();
  readonly ms: number[] = [];
  add(category: number, evidence: readonly string[], dias: readonly string[], ms?: number): void {
    const c = this.byCat.get(category) ?? { at5: 0, at10: 0, n: 0 };
    c.at5 += evidenceHit(evidence, dias, 5);
    c.at10 += evidenceHit(evidence, dias, 10);
    c.n += 1;
    this.byCat.set(category, c);
    if (ms !== undefined) this.ms.push(ms);
  }
  total(): { at5: number; at10: number; n: number } {
    const t = { at5: 0, at10: 0, n: 0 };
    for (const c of this.byCat.values()) {
      t.at5 += c.at5;
      t.at10 += c.at10;
      t.n += c.n;
    }
    return t;
  }
}

// ---- ingest: the shared Contexts, then each conversation alone ---------------------------------
const configs = [
  { name: "default embedding", contextId: "locomo", embedding: null },
  { name: "local/hash-embedding", contextId: "locomo-hash", embedding: "local/hash-embedding" },
] as const;
const keysOf = new Map<string, Map<string, string>>();
const ingestRate = new Map<string, number>();
for (const cfg of configs) {
  await createContext(cfg.contextId, cfg.embedding);
  const keys = new Map<string, string>();
  for (const c of convs) keys.set(c.name, await tenantKey(cfg.contextId, c));
  keysOf.set(cfg.contextId, keys);
  ingestRate.set(cfg.contextId, await ingest(keys, convs));
}
const aloneKeys = new Map<string, string>();
for (const c of convs) {
  const id = `alone-${c.name.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
  await createContext(id, null);
  const key = await tenantKey(id, c);
  aloneKeys.set(c.name, key);
  await ingest(new Map([[c.name, key]]), [c]);
}

// ---- recall ------------------------------------------------------------------------------------
const tallies = new Map<string, Tally>();
const tally = (name: string) => {
  let t = tallies.get(name);
  if (!t) {
    t = new Tally();
    tallies.set(name, t);
  }
  return t;
};
let differing = 0;
let compared = 0;
for (const c of convs) {
  const questions = c.questions.filter(ASKED);
  for (const cfg of configs) {
    const key = keysOf.get(cfg.contextId)!.get(c.name)!;
    for (const q of questions) {
      for (const mode of MODES) {
        const a = await ask(key, q.question, mode);
        tally(`${cfg.name}|${mode}`).add(q.category, q.evidence, a.dias, a.ms);
        if (cfg.contextId === "locomo") {
          const alone = await ask(aloneKeys.get(c.name)!, q.question, mode);
          compared += 1;
          if (alone.shape !== a.shape) differing += 1;
        }
      }
    }
  }
  // Baseline: the same texts in wink-bm25-text-search, one engine per conversation (= per tenant).
  const engine = winkBm25();
  engine.defineConfig({ fldWeights: { text: 1 } });
  engine.definePrepTasks([
    winkNlp.string.lowerCase,
    winkNlp.string.tokenize0,
    winkNlp.tokens.removeWords,
    winkNlp.tokens.stem,
  ]);
  const dias: string[] = [];
  for (const s of c.sessions)
    for (const t of s.turns) {
      engine.addDoc({ text: memoryText(s, t) }, dias.length);
      dias.push(t.dia);
    }
  engine.consolidate();
  for (const q of questions) {
    const t0 = performance.now();
    const found = (engine.search(q.question, K) as Array<[number, number]>).map(([i]) => dias[i]!);
    tally("wink-bm25-text-search|LEXICAL").add(q.category, q.evidence, found, performance.now() - t0);
  }
}
await http.close();
await g.close().catch(() => undefined);

// ---- report ------------------------------------------------------------------------------------
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const cats = [...new Set(convs.flatMap((c) => c.questions.filter(ASKED).map((q) => q.category)))].sort();
const turns = convs.reduce((a, c) => a + c.sessions.reduce((b, s) => b + s.turns.length, 0), 0);
const nq = convs.reduce((a, c) => a + c.questions.filter(ASKED).length, 0);
console.log(
  `\nLoCoMo evidence recall — ${convs.length} conversations (${convs.map((c) => c.name).join(", ")}) from ${folder}: ${turns} turns, ${nq} questions (categories 1–4)\n`,
);
console.log(
  `| configuration | mode | recall@5 | recall@10 | ${cats.map((c) => `cat ${c} @10`).join(" | ")} | recall p50 |`,
);
console.log(`|---|---|---|---|${cats.map(() => "---|").join("")}---|`);
for (const [name, t] of tallies) {
  const [config, mode] = name.split("|");
  const total = t.total();
  const perCat = cats.map((c) => {
    const x = t.byCat.get(c);
    return x ? (x.at10 / x.n).toFixed(3) : "–";
  });
  const latency = config!.startsWith("wink") ? `${p50(t.ms).toFixed(2)} ms (in process)` : `${p50(t.ms).toFixed(2)} ms`;
  console.log(
    `| ${config} | ${mode} | ${(total.at5 / total.n).toFixed(3)} | **${(total.at10 / total.n).toFixed(3)}** | ${perCat.join(" | ")} | ${latency} |`,
  );
}
console.log(
  `\ningest (addTurn per turn + one rememberMany per session, over HTTP): ${configs.map((c) => `${c.name} ${ingestRate.get(c.contextId)!.toFixed(0)} turns/s`).join(", ")}`,
);
console.log(
  `tenant alone vs the same tenant in the shared Context (default embedding, every mode): ${differing} of ${compared} answers differ (hits, order, scores or matchedBy)`,
);
process.exit(0);
