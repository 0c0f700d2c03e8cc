import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRemoteEngines, Surreal } from "surrealdb";
import { createNodeEngines } from "@surrealdb/node";
import WebSocket from "ws";

export interface DbTarget {
  url: string;
  user?: string;
  pass?: string;
  timeoutMs: number;
}

export class DatabaseStartError extends Error {}

/** URL schemes of the embedded engine that keep their data in a folder on this machine. */
const FOLDER_SCHEMES = ["surrealkv", "rocksdb"] as const;

/** URL schemes served by a SurrealDB server or cluster (the SDK's remote engines). */
const REMOTE = /^(wss?|https?):\/\//;

/**
 * Opens the SurrealDB connection: embedded (`mem://`, `surrealkv://`, `rocksdb://`, through
 * `@surrealdb/node`) or remote (`ws://`, `wss://`, `http://`, `https://`, through the SDK's own
 * engines; Node 20 has no global WebSocket, so `ws` provides it).
 *
 * Every connect runs under `timeoutMs`, because neither kind fails on its own: the embedded
 * engine hangs when another process holds a surrealkv folder (or the path is no folder at
 * all), and the remote engine keeps reconnecting to a server that does not answer. The data
 * folder is checked first, so a path that is a file or cannot be written fails at once with
 * that cause instead of after the timeout. Errors: DatabaseStartError with one line naming
 * the URL (credentials redacted) and the cause.
 */
export async function connectDatabase(target: DbTarget): Promise<Surreal> {
  const folder = dataFolderOf(target.url);
  if (folder !== null) checkDataFolder(target.url, folder);
  const db = new Surreal({
    engines: { ...createRemoteEngines(), ...createNodeEngines() },
    // The SDK types this as the DOM WebSocket; `ws` implements the same client interface.
    websocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  let lastError: string | null = null;
  const unsubscribe = db.subscribe("error", (err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const cause =
        folder !== null
          ? " (is another process using this data folder?)"
          : lastError
            ? ` (last error: ${oneLine(lastError)})`
            : "";
      reject(
        new DatabaseStartError(`database ${redactUrl(target.url)} did not open within ${target.timeoutMs} ms${cause}`),
      );
    }, target.timeoutMs);
  });
  try {
    await Promise.race([open(db, target), timeout]);
    return db;
  } catch (err) {
    void db.close().catch(() => undefined);
    if (err instanceof DatabaseStartError) throw err;
    throw new DatabaseStartError(
      `database ${redactUrl(target.url)} is unreachable: ${oneLine((err as Error).message)}`,
    );
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

async function open(db: Surreal, target: DbTarget): Promise<void> {
  const remote = REMOTE.test(target.url);
  await db.connect(target.url, { reconnect: remote });
  if (remote && target.user) {
    await db.signin({ username: target.user, password: target.pass ?? "" });
  }
  await db.query("RETURN true").collect();
}

/**
 * The folder a `surrealkv://` or `rocksdb://` URL names (`surrealkv://./data` → `./data`,
 * `surrealkv:///var/lib/x` → `/var/lib/x`), "" when it names none, null for other schemes.
 */
function dataFolderOf(url: string): string | null {
  const scheme = FOLDER_SCHEMES.find((s) => url.startsWith(`${s}://`));
  if (!scheme) return null;
  return url.slice(scheme.length + 3).split("?", 1)[0]!;
}

/**
 * The data folder must be a folder this process can write, created if missing: otherwise
 * the embedded engine hangs (a file) or fails late (no permission). Errors: DatabaseStartError.
 */
function checkDataFolder(url: string, folder: string): void {
  const where = `database ${redactUrl(url)}:`;
  if (folder === "") throw new DatabaseStartError(`${where} the URL names no data folder`);
  const path = resolve(folder);
  try {
    if (!statSync(path).isDirectory()) throw new DatabaseStartError(`${where} ${path} is a file, not a folder`);
  } catch (err) {
    if (err instanceof DatabaseStartError) throw err;
    try {
      mkdirSync(path, { recursive: true });
    } catch (mkdirErr) {
      throw new DatabaseStartError(`${where} cannot create the data folder ${path} (${errorCode(mkdirErr)})`);
    }
  }
  // A real write, not access(): root passes access() checks on read-only folders and mounts.
  const probe = join(path, `.scopegate-write-test-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (err) {
    throw new DatabaseStartError(`${where} cannot write in the data folder ${path} (${errorCode(err)})`);
  }
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.syscall ?? "fs"} failed` : oneLine(String(e.message ?? e));
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
