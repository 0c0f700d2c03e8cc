/**
 * Cost of the LLM-call bookkeeping (issue 4), one run: `answer` with the offline local model,
 * in a Context without budgets versus one with a monthly tokenLimit and per-org scope limits
 * (reserve + settle transactions), next to plain recall of the same question (no model call).
 * Run: npx tsx bench/llm.ts
 */
import { Gateway } from "../src/gateway.js";

process.env.SCOPEGATE_LOG = "silent";
const N = Number(process.env.SCOPEGATE_BENCH_CALLS ?? 200);
const g = await Gateway.start({
  settings: {
    surrealUrl: "mem://",
    connectTimeoutMs: 10_000,
    managementKey: "bench-management-key-0123456789abcdef0123",
  },
  announce: () => undefined,
});
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

async function setup(id: string, config: Record<string, unknown>) {
  await g.contexts.create({ id, namespace: "bench", database: id, config } as never);
  const { secret } = await g.keys.create(id, { name: "a", principal: "AGENT", scopeFloor: { org: "alpha" } });
  const ctx = await g.requestContext(secret, "seed");
  await ctx.tenant().memories.rememberMany({
    items: Array.from({ length: 300 }, (_, i) => ({
      text: `Fact ${i}: the ${i % 2 ? "blue" : "green"} team deploys on day ${i % 7}.`,
    })),
  });
  return secret;
}

async function time(secret: string, op: "answer" | "recall"): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < N + 20; i++) {
    const ctx = await g.requestContext(secret, "bench");
    const t0 = performance.now();
    if (op === "answer")
      await ctx.tenant().answers.answer({ question: `When does the blue team deploy on day ${i % 7}?` });
    else await ctx.tenant().recall.recall({ query: `When does the blue team deploy on day ${i % 7}?`, topK: 8 });
    if (i >= 20) times.push(performance.now() - t0);
  }
  return times;
}

const free = await setup("free", {});
const budgeted = await setup("budgeted", {
  tokenLimit: 1_000_000_000,
  scopeTokenLimits: { dimension: "org", default: 1_000_000_000 },
});
const rows = [
  ["recall only (no model call)", await time(free, "recall")],
  ["answer, no budgets (trace write)", await time(free, "answer")],
  ["answer, Context + org budgets (reserve, settle, trace)", await time(budgeted, "answer")],
] as const;
console.log(`\n| operation (${N} calls, local model) | p50 | p99 |\n|---|---|---|`);
for (const [name, t] of rows) console.log(`| ${name} | ${pct(t, 0.5).toFixed(2)} ms | ${pct(t, 0.99).toFixed(2)} ms |`);
await g.close().catch(() => undefined);
process.exit(0);
