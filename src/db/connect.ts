import { Surreal } from "surrealdb";
import { createNodeEngines } from "@surrealdb/node";

export interface DbTarget {
  url: string;
  user?: string;
  pass?: string;
  timeoutMs: number;
}

export class DatabaseStartError extends Error {}

/**
 * Opens the SurrealDB connection: embedded (`mem://`, `surrealkv://`) or remote (`ws://`, `wss://`).
 * The embedded engine hangs when another process holds a surrealkv folder, so every
 * connect runs under a timeout that names that cause.
 */
export async function connectDatabase(target: DbTarget): Promise<Surreal> {
  const db = new Surreal({ engines: createNodeEngines() });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const held =
        target.url.startsWith("surrealkv://") || target.url.startsWith("rocksdb://")
          ? " (is another process using this data folder?)"
          : "";
      reject(
        new DatabaseStartError(`database ${redactUrl(target.url)} did not open within ${target.timeoutMs} ms${held}`),
      );
    }, target.timeoutMs);
  });
  try {
    await Promise.race([open(db, target), timeout]);
    return db;
  } catch (err) {
    void db.close().catch(() => undefined);
    if (err instanceof DatabaseStartError) throw err;
    throw new DatabaseStartError(`database ${redactUrl(target.url)} is unreachable: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function open(db: Surreal, target: DbTarget): Promise<void> {
  const remote = /^(wss?|https?):\/\//.test(target.url);
  await db.connect(target.url, { reconnect: remote });
  if (remote && target.user) {
    await db.signin({ username: target.user, password: target.pass ?? "" });
  }
  await db.query("RETURN true").collect();
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
