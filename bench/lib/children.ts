/** Parent side of bench/lib/serverChild.ts: fork a bench server, read its CPU, stop it. */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage } from "./serverChild.js";
import { BenchFailure } from "./stats.js";

const CHILD = fileURLToPath(new URL("./serverChild.ts", import.meta.url));
/** The repository root: `--import tsx` resolves from the child's working directory. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface BenchServer {
  kind: "scopegate" | "peer";
  pid: number;
  url: string;
  keys: string[];
  loadMs: number;
  keysMs: number;
  rows: number;
  /** CPU of one Argon2id key verification (scopegate; 0 for the peer, NaN when not counted). */
  verifyCpuMs: number;
  /** CPU time of the whole process (all threads: JS, GC, SurrealDB's engine), in ms. */
  cpuMs(): Promise<number>;
  /** CPU ms and the Argon2id verifications the server has run so far. */
  usage(): Promise<{ cpuMs: number; verifications: number }>;
  profileStart(): Promise<void>;
  profileStop(path: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(
  kind: "scopegate" | "peer",
  env: Record<string, string> = {},
  execArgv: string[] = [],
): Promise<BenchServer> {
  const child: ChildProcess = fork(CHILD, [kind], {
    cwd: ROOT,
    execArgv: ["--import", "tsx", ...execArgv],
    env: { ...process.env, SCOPEGATE_LOG: "silent", ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <T extends ChildMessage["type"]>(type: T): Promise<Extract<ChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type === "failed") {
          cleanup();
          reject(new BenchFailure(`${kind} server failed: ${m.message}`));
        } else if (m.type === type) {
          cleanup();
          resolve(m as Extract<ChildMessage, { type: T }>);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new BenchFailure(`${kind} server exited (code ${code}) while the bench waited for "${type}"`));
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
    });
  const ask = <T extends ChildMessage["type"]>(m: ParentMessage, reply: T) => {
    const answer = next(reply);
    child.send(m);
    return answer;
  };
  const ready = await next("ready");
  return {
    kind,
    pid: child.pid!,
    url: ready.url,
    keys: ready.keys,
    loadMs: ready.loadMs,
    keysMs: ready.keysMs,
    rows: ready.rows,
    verifyCpuMs: ready.verifyCpuMs,
    cpuMs: async () => (await ask({ type: "cpu" }, "cpu")).micros / 1000,
    usage: async () => {
      const m = await ask({ type: "cpu" }, "cpu");
      return { cpuMs: m.micros / 1000, verifications: m.verifications };
    },
    profileStart: async () => {
      await ask({ type: "profile-start" }, "profile-started");
    },
    profileStop: async (path) => {
      await ask({ type: "profile-stop", path }, "profile-written");
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: "stop" } satisfies ParentMessage);
      }),
  };
}
