/**
 * autocannon with every request checked (PERF-FINDINGS §2: a bench once measured refusals).
 * Requests rotate over many keys (tenants); a response that is not 2xx or whose body carries
 * GraphQL `errors` counts as a failure, and so do socket errors and timeouts.
 */
import autocannon from "autocannon";
import { BenchFailure, pct } from "./stats.js";

export interface CannonOptions {
  label: string;
  url: string;
  connections: number;
  seconds: number;
  /** Bearer secrets; request n uses keys[n % keys.length]. */
  keys: readonly string[];
  /** The JSON body of request n. */
  body: (n: number) => string;
}

export interface CannonResult {
  /** Completed and checked. */
  requests: number;
  /** Sent, including those still in flight when the time ran out (the server still does their work). */
  sent: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  samples: string[];
}

export async function cannon(o: CannonOptions): Promise<CannonResult> {
  const target = new URL(o.url);
  let n = 0;
  let ok = 0;
  let failures = 0;
  const samples: string[] = [];
  const fail = (what: string) => {
    failures += 1;
    if (samples.length < 3) samples.push(what.slice(0, 400));
  };
  const latencies: number[] = [];
  const run = autocannon({
    url: target.origin,
    connections: o.connections,
    duration: o.seconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: target.pathname,
        setupRequest: (req: Record<string, any>) => {
          const i = n++;
          return {
            ...req,
            headers: {
              ...req.headers,
              "content-type": "application/json",
              authorization: `Bearer ${o.keys[i % o.keys.length]}`,
            },
            body: o.body(i),
          };
        },
        onResponse: (status: number, body: string) => {
          if (status < 200 || status >= 300) fail(`HTTP ${status}: ${body}`);
          else if (body.includes('"errors"')) fail(`HTTP ${status} with errors: ${body}`);
          else ok += 1;
        },
      },
    ],
  });
  // autocannon's own histogram keeps whole milliseconds; the response event carries the exact time.
  run.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status >= 200 && status < 300) latencies.push(responseTime);
  });
  const result = await run;
  if (result.errors > 0) fail(`${result.errors} socket errors`);
  if (result.timeouts > 0) fail(`${result.timeouts} timeouts`);
  if (result.non2xx > 0 && failures === 0) fail(`${result.non2xx} non-2xx responses`);
  return {
    requests: ok,
    sent: result.requests.sent ?? ok,
    rps: ok / (result.duration || o.seconds),
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    failures,
    samples,
  };
}

/** Throws (the bench exits non-zero) when any response of the run failed, or (unless a warm-up) none came back. */
export function assertClean(label: string, r: CannonResult, warmUp = false): void {
  if (r.failures > 0 || (r.requests === 0 && !warmUp))
    throw new BenchFailure(
      `${label}: ${r.failures} failed responses of ${r.requests + r.failures}; the numbers would measure refusals, not work.\n  ${r.samples.join("\n  ")}`,
    );
}
