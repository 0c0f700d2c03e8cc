/**
 * Where the compute pool's overhead stops paying (issue 10), one run: each input is prepared
 * as a document (reduce + tokenize + chunk + analyze + local embedding) inline on this thread
 * and through a warm worker thread; the table gives the median of 15 runs each. The pool's
 * INLINE_MAX_CHARS (src/compute/pool.ts) is chosen from it.
 * Run: npx tsx bench/compute.ts
 */
import { ComputePool } from "../src/compute/pool.js";
import { TASKS } from "../src/compute/tasks.js";

const RUNS = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const english = (n: number) =>
  "Bob prefers green tea in the morning and coffee after lunch. ".repeat(n / 60 + 1).slice(0, n);
const chinese = (n: number) =>
  "我们今天讨论的是人工智能在医疗领域的应用以及它对社会带来的深远影响这个问题非常复杂需要从多个角度来分析"
    .repeat(n / 50 + 1)
    .slice(0, n);

const pool = new ComputePool({ threads: 1 });
const chunking = { size: 512, overlap: 64 };
// Warm the worker (thread start, tsx compile, o200k table) so the rows measure steady state.
await pool.run("countTokensOf", { texts: ["warm".repeat(5000)] }, { chars: 20_000 });

const rows: string[] = [];
for (const [label, make] of [
  ["English prose", english],
  ["Chinese, no spaces", chinese],
] as const) {
  for (const n of [1_024, 4_096, 8_192, 16_384, 65_536]) {
    const input = { content: make(n), mimeType: "text/plain", chunking, localEmbedding: true };
    const inline: number[] = [];
    const pooled: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      TASKS.prepareDocument(input);
      inline.push(performance.now() - t);
      t = performance.now();
      // chars past any bound: always the worker
      await pool.run("prepareDocument", input, { chars: Number.MAX_SAFE_INTEGER });
      pooled.push(performance.now() - t);
    }
    const [i, p] = [median(inline), median(pooled)];
    rows.push(`| ${label} | ${n} | ${i.toFixed(2)} ms | ${p.toFixed(2)} ms | ${(p - i).toFixed(2)} ms |`);
  }
}
const trivial: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await pool.run("countTokensOf", { texts: ["x"] }, { chars: Number.MAX_SAFE_INTEGER });
  trivial.push(performance.now() - t);
}
console.log(
  `\n| prepareDocument input | characters | inline (event loop blocked) | worker (wall) | worker − inline |\n|---|---|---|---|---|\n${rows.join("\n")}`,
);
console.log(`\nworker round trip of a trivial task: median ${median(trivial).toFixed(3)} ms`);
await pool.close();
