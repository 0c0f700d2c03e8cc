import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** `npm start`'s command: the tsx CLI running the TypeScript entry point. */
export const TSX = "node_modules/.bin/tsx";

/** A free TCP port on 127.0.0.1 (bound once and released; the caller binds it next). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

/**
 * Runs the gateway as a child process to completion (a start-up that must fail): `command` is
 * `[TSX, "src/main.ts"]` by default, optionally as another user (`uid`, also the gid). Kills it
 * after `timeoutMs` (then `signal` is SIGKILL).
 */
export function runGateway(
  env: Record<string, string | undefined>,
  opts: { timeoutMs?: number; cwd?: string; command?: string[]; uid?: number } = {},
): Promise<ChildRun> {
  const [cmd, ...args] = opts.command ?? [TSX, "src/main.ts"];
  const started = performance.now();
  const child = spawn(cmd!, args, {
    env: childEnv(env),
    cwd: opts.cwd,
    stdio: ["ignore", "pipe", "pipe"],
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => {
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export interface ChildGateway {
  process: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  url: string;
  stderr(): string;
  /** Resolves when the process has exited (and its data folder is free again). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM), SIGKILL after 10 s, and resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the gateway as a child process on a free port and waits until `/healthz` answers.
 * `command` defaults to `node --import tsx src/main.ts` (one process, so a signal reaches the
 * gateway itself, not a launcher). Errors: the child exits or does not answer in time.
 */
export async function startChildGateway(
  env: Record<string, string | undefined>,
  opts: { readyTimeoutMs?: number; command?: string[] } = {},
): Promise<ChildGateway> {
  const port = await freePort();
  const [cmd, ...args] = opts.command ?? [process.execPath, "--import", "tsx", "src/main.ts"];
  const child = spawn(cmd!, args, {
    env: childEnv({ HOST: "127.0.0.1", ...env, PORT: String(port) }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("exit", (code, signal) => r({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`gateway exited before it was ready: ${stderr.trim().slice(0, 500)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`gateway not ready within ${opts.readyTimeoutMs ?? 60_000} ms: ${stderr.slice(0, 500)}`);
    }
    const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    base,
    url: `${base}/graphql`,
    stderr: () => stderr,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A stop that hangs must not hang the test run (nor leave the data folder held).
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The test process's environment with `env` laid over it (undefined removes a variable). */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}
