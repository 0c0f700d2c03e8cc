/**
 * One bench server in its own process (bench/compare.ts forks it), so each side's CPU can be
 * read per process. `node --import tsx bench/lib/serverChild.ts scopegate|peer`.
 *
 * It loads the same corpus as the other side (BENCH_TENANTS × BENCH_PER_TENANT memories, the same
 * texts in the same order), starts HTTP on 127.0.0.1, then answers its parent over IPC:
 *   → { type: "ready", url, keys, loadMs, keysMs, rows }
 *   ← { type: "cpu" }                  → { type: "cpu", micros, verifications }
 *                                        (process.cpuUsage(): every thread; Argon2id verifications so far)
 *   ← { type: "profile-start" }        → { type: "profile-started" }
 *   ← { type: "profile-stop", path }   → { type: "profile-written", path }
 *   ← { type: "stop" }                 → exits
 */
// scopegate builds its logger when src/log.ts is first imported: silence it before any import of src/.
process.env.SCOPEGATE_LOG = "silent";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { textSource } from "./corpus.js";
import { pool } from "./stats.js";

export type ChildMessage =
  | { type: "ready"; url: string; keys: string[]; loadMs: number; keysMs: number; rows: number; verifyCpuMs: number }
  | { type: "cpu"; micros: number; verifications: number }
  | { type: "profile-started" }
  | { type: "profile-written"; path: string }
  | { type: "failed"; message: string };

export type ParentMessage =
  | { type: "cpu" }
  | { type: "profile-start" }
  | { type: "profile-stop"; path: string }
  | { type: "stop" };

const TENANTS = Number(process.env.BENCH_TENANTS ?? 200);
const PER_TENANT = Number(process.env.BENCH_PER_TENANT ?? 500);
const MGMT = "bench-management-key-0123456789abcdef0123456789";

/** Texts of tenant t, the same in both processes. */
function corpus(): string[][] {
  const src = textSource(42);
  return Array.from({ length: TENANTS }, () => Array.from({ length: PER_TENANT }, src.memoryText));
}

const send = (m: ChildMessage) => process.send!(m);

interface Served {
  url: string;
  keys: string[];
  loadMs: number;
  keysMs: number;
  /** CPU of one Argon2id verification (scopegate), measured here. */
  verifyCpuMs: number;
  close(): Promise<void>;
}

/** Argon2id verifications scopegate ran (its cache of verified secrets missed). */
let verifications = 0;

/**
 * Counts the key verifications that miss scopegate's 60 s cache of verified secrets, by wrapping
 * the authenticator's private `matches` on this instance (bench instrumentation, nothing in src/
 * changes). When a refactor renames it, the count stays 0 and the bench says so.
 */
function countVerifications(auth: any): boolean {
  if (typeof auth.matches !== "function" || !(auth.verified instanceof Map)) return false;
  const matches = auth.matches.bind(auth);
  auth.matches = (fp: string, storedHash: string, secret: string) => {
    const hit = auth.verified.get(fp);
    if (!hit || hit.storedHash !== storedHash || hit.until <= Date.now()) verifications += 1;
    return matches(fp, storedHash, secret);
  };
  return true;
}

async function scopegate(): Promise<Served> {
  const { Gateway } = await import("../../src/gateway.js");
  const { startHttp } = await import("../../src/http/server.js");
  const g = await Gateway.start({
    settings: { surrealUrl: "mem://", connectTimeoutMs: 10_000, managementKey: MGMT },
    announce: () => undefined,
  });
  await g.contexts.create({ id: "shared", namespace: "platform", database: "shared" });
  let t0 = performance.now();
  const keys: string[] = [];
  for (let t = 0; t < TENANTS; t++) {
    const { secret } = await g.keys.create("shared", {
      name: `t${t}`,
      principal: "AGENT",
      scopeFloor: { org: `t${t}` },
    });
    keys.push(secret);
  }
  const keysMs = performance.now() - t0;
  // Each tenant writes its own 500 through its agent key (owner and floor as in production), one
  // rememberMany per tenant; two in flight, so the engine's threads overlap the JS thread.
  const texts = corpus();
  t0 = performance.now();
  await pool(TENANTS, 2, async (t) => {
    const ctx = await g.requestContext(keys[t]!, "load");
    await ctx.tenant().memories.rememberMany({ items: texts[t]!.map((text) => ({ text })) });
  });
  const loadMs = performance.now() - t0;
  const http = await startHttp(g, 0, "127.0.0.1", { rateLimitPerMinute: 0 });
  const counted = countVerifications(g.auth);
  // One verification's CPU (libuv's thread included), median of 9.
  const { hashSecret, verifySecret } = await import("../../src/auth/secrets.js");
  const stored = await hashSecret(keys[0]!);
  const costs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const c = process.cpuUsage();
    await verifySecret(stored, keys[0]!);
    const d = process.cpuUsage(c);
    costs.push((d.user + d.system) / 1000);
  }
  costs.sort((a, b) => a - b);
  return {
    url: http.url,
    keys,
    loadMs,
    keysMs,
    verifyCpuMs: counted ? costs[4]! : Number.NaN,
    async close() {
      await http.close();
      await g.close().catch(() => undefined);
    },
  };
}

async function peer(): Promise<Served> {
  const { startPeer } = await import("../peer/server.js");
  const keys = Array.from({ length: TENANTS }, (_, t) => `peer_${t}_${(t * 2654435761).toString(36)}`);
  const p = await startPeer({ keys: Object.fromEntries(keys.map((k, t) => [k, `t${t}`])) });
  const texts = corpus();
  const t0 = performance.now();
  await p.load(texts.flatMap((list, t) => list.map((text) => ({ org: `t${t}`, text }))));
  return { url: p.url, keys, loadMs: performance.now() - t0, keysMs: 0, verifyCpuMs: 0, close: () => p.close() };
}

const kind = process.argv[2];
if (kind !== "scopegate" && kind !== "peer") throw new Error("usage: serverChild.ts scopegate|peer");
try {
  const server = kind === "scopegate" ? await scopegate() : await peer();
  let profiler: Session | null = null;
  // The parent went away (crashed or killed): do not outlive it.
  process.on("disconnect", () => process.exit(1));
  process.on("message", async (m: ParentMessage) => {
    if (m.type === "cpu") {
      const u = process.cpuUsage();
      send({ type: "cpu", micros: u.user + u.system, verifications });
    } else if (m.type === "profile-start") {
      profiler = new Session();
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
      send({ type: "profile-started" });
    } else if (m.type === "profile-stop") {
      const { profile } = await profiler!.post("Profiler.stop");
      await writeFile(m.path, JSON.stringify(profile));
      profiler!.disconnect();
      send({ type: "profile-written", path: m.path });
    } else if (m.type === "stop") {
      await server.close().catch(() => undefined);
      process.exit(0);
    }
  });
  send({
    type: "ready",
    url: server.url,
    keys: server.keys,
    loadMs: server.loadMs,
    keysMs: server.keysMs,
    rows: TENANTS * PER_TENANT,
    verifyCpuMs: server.verifyCpuMs,
  });
} catch (err) {
  send({ type: "failed", message: String((err as Error).stack ?? err) });
  process.exit(1);
}
