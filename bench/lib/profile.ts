/**
 * Where the main thread's time goes in a V8 CPU profile (.cpuprofile, as written by
 * `node --cpu-prof` or the inspector's Profiler.stop): self time grouped by package.
 * Standalone: npx tsx bench/lib/profile.ts <file.cpuprofile>
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { table } from "./stats.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const STANDALONE = new Set(
  "body-parser type-is cors iconv-lite raw-body finalhandler content-type on-finished debug ms bytes media-typer mime-types mime-db vary object-assign http-errors statuses depd unpipe encodeurl escape-html parseurl qs side-channel".split(
    " ",
  ),
);

/** The group a frame's self time counts under. */
export function groupOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "(idle)";
  if (functionName === "(program)") return "(program: native, not attributed)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) {
    if (pkg === "graphql") return "graphql-js";
    if (pkg === "@apollo/server" || pkg.startsWith("@apollo/")) return "@apollo/server (+ @apollo/utils)";
    // object-hash is graphql-shield's rule cache key; negotiator, whatwg-mimetype and lru-cache are Apollo's.
    if (pkg === "graphql-shield" || pkg === "graphql-middleware" || pkg === "object-hash")
      return "graphql-shield / graphql-middleware";
    if (pkg === "negotiator" || pkg === "whatwg-mimetype" || pkg === "lru-cache")
      return "@apollo/server (+ @apollo/utils)";
    // The dependencies of Apollo's standalone server (the peer uses it; scopegate has its own node:http handler).
    if (STANDALONE.has(pkg)) return "@apollo/server standalone (body-parser, cors, …)";
    if (pkg === "surrealdb" || pkg === "@surrealdb/node" || pkg === "@surrealdb/cbor") return "surrealdb SDK";
    if (pkg === "@escape.tech/graphql-armor" || pkg.startsWith("@escape.tech/")) return "graphql-armor";
    return `other: ${pkg}`;
  }
  if (/\/src\//.test(url) && !url.startsWith("node:")) return "scopegate src/";
  // The bench's counter of key verifications wraps scopegate's own method (V8 may inline it there).
  if (/\/bench\/lib\/serverChild/.test(url) && functionName.includes("matches")) return "scopegate src/";
  if (/\/bench\//.test(url)) return "bench code";
  if (url.startsWith("node:") || url === "") return "node internals (http, streams, timers, …)";
  return `other: ${url}`;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  groups: Array<{ group: string; ms: number }>;
  top: Array<{ name: string; group: string; ms: number }>;
}

export async function summarizeProfile(path: string): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A native frame (no url: a binding such as writev, or @surrealdb/node's call into the engine,
  // which V8 may name after an unrelated symbol) counts under the group of its nearest JS caller.
  const groupOfNode = (id: number): string => {
    const frame = byId.get(id)!.callFrame;
    if (frame.url === "" && !frame.functionName.startsWith("(")) {
      for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
        const up = byId.get(p)!.callFrame;
        if (up.url !== "") return groupOf(up);
      }
    }
    return groupOf(frame);
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // The first delta runs from the profiler's start to its first sample: not the workload.
    if (i > 0) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const groups = new Map<string, number>();
  const fns = new Map<string, { group: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const group = groupOfNode(id);
    total += us;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const file = frame.url.replace(/^.*\/(node_modules|src|bench)\//, "$1/");
    const name = frame.url
      ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`
      : frame.functionName.startsWith("(")
        ? frame.functionName
        : `${frame.functionName} (native, under ${group})`;
    const f = fns.get(name) ?? { group, us: 0 };
    f.us += us;
    fns.set(name, f);
  }
  const idle = groups.get("(idle)") ?? 0;
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    groups: [...groups]
      .filter(([g]) => g !== "(idle)")
      .map(([group, us]) => ({ group, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms),
    top: [...fns]
      .filter(([, f]) => f.group !== "(idle)")
      .map(([name, f]) => ({ name, group: f.group, ms: f.us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
  };
}

export function printProfile(s: ProfileSummary, requests: number): void {
  const share = (x: number) => `${((100 * x) / s.busyMs).toFixed(1)}%`;
  const perReq = (x: number) => (requests > 0 ? `${((1000 * x) / requests).toFixed(0)} µs` : "–");
  console.log(
    `\nMain JS thread: not idle in ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled (${((100 * s.busyMs) / s.totalMs).toFixed(0)}%; samples are wall time, so a thread the OS descheduled still counts), ${requests} requests\n`,
  );
  console.log(
    table(
      ["group (self time)", "share of busy", "ms", "per request"],
      s.groups.map((g) => [g.group, share(g.ms), g.ms.toFixed(0), perReq(g.ms)]),
    ),
  );
  console.log(
    `\n${table(
      ["top self-time functions", "group", "share of busy"],
      s.top.map((f) => [`\`${f.name}\``, f.group, share(f.ms)]),
    )}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: npx tsx bench/lib/profile.ts <file.cpuprofile>");
  printProfile(await summarizeProfile(file), 0);
}
