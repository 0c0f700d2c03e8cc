/** Small helpers shared by the benches: percentiles, formatting, a bounded concurrency pool. */

export const pct = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

export const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : "–");
export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "–");
export const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
export const seconds = (msValue: number): string => `${(msValue / 1000).toFixed(1)} s`;

/** A Markdown table. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Runs `f(0..n-1)` with at most `concurrency` calls in flight. */
export async function pool(n: number, concurrency: number, f: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await f(next++);
    }),
  );
}

/** A failed bench precondition: the run stops with this message and a non-zero exit. */
export class BenchFailure extends Error {}
