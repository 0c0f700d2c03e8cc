/**
 * In-process read/write locks on named rows, held around write transactions.
 *
 * Why: the embedded engine's first-committer-wins check is not atomic with the commit
 * (@surrealdb/node 3.0.3 = SurrealDB 3.0.2; surrealkv#376, fixed upstream by surrealkv#378, and
 * the same shape on `mem://`, surrealdb#7303). Two transactions that write one row and commit at
 * the same moment can both succeed: measured here, 300 concurrent read-increment-write
 * transactions on one counter row told two callers the same value, or kept a write whose counter
 * update was lost, in about one run in three (surrealkv) or six (mem). Snapshot isolation also
 * never orders a read against a concurrent write (a transaction that read a row another one
 * changed meanwhile still commits), so "check inside the transaction" needs the two to be
 * serialized.
 *
 * So every write transaction names the rows other transactions also write or check (a session's
 * turn counter, a partition row, a budget bucket, a key's credential row, a Context's write
 * gate) and holds those locks while its one query runs: transactions that share a name run one
 * after another in this process, and each starts after the previous one committed, so it reads
 * what that one wrote. Those that share none run concurrently, as before. Shared holders of a name
 * (ordinary writes of a key) run together; an exclusive holder (the key's revocation) waits for
 * them and keeps new ones out until it is done.
 *
 * The locks are per process and keyed by `namespace/database#row`. An embedded engine belongs to
 * one process (a second one cannot open its folder), so there they serialize every writer, the
 * replicas of one process included. Against a SurrealDB server, replicas in other processes are
 * ordered by the server's own conflict detection alone.
 *
 * Deadlocks cannot happen: every holder acquires its names in one global order (sorted).
 */

/** One named lock a transaction needs; `exclusive` = alone, else alongside other shared holders. */
export interface LockRequest {
  name: string;
  exclusive: boolean;
}

interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

/** A FIFO read/write lock: a waiting exclusive holder keeps later shared ones out (no starvation). */
class RwLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  get idle(): boolean {
    return this.readers === 0 && !this.writer && this.queue.length === 0;
  }

  acquire(exclusive: boolean): Promise<void> {
    if (this.queue.length === 0 && this.grantable(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push({
        exclusive,
        grant: () => {
          this.take(exclusive);
          resolve();
        },
      });
    });
  }

  release(exclusive: boolean): void {
    if (exclusive) this.writer = false;
    else this.readers -= 1;
    while (this.queue.length > 0 && this.grantable(this.queue[0]!.exclusive)) this.queue.shift()!.grant();
  }

  private grantable(exclusive: boolean): boolean {
    return exclusive ? this.readers === 0 && !this.writer : !this.writer;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.writer = true;
    else this.readers += 1;
  }
}

const locks = new Map<string, RwLock>();

/** How many named locks are held or awaited right now (tests check that none leak). */
export function heldLocks(): number {
  return locks.size;
}

/**
 * Runs `work` holding every requested lock. A name asked for twice is taken once, exclusively if
 * either request is. Locks are released when `work` settles, whatever it does.
 */
export async function withLocks<T>(requests: readonly LockRequest[], work: () => Promise<T>): Promise<T> {
  const wanted = new Map<string, boolean>();
  for (const r of requests) wanted.set(r.name, (wanted.get(r.name) ?? false) || r.exclusive);
  const ordered = [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const taken: Array<[string, boolean]> = [];
  try {
    for (const [name, exclusive] of ordered) {
      let lock = locks.get(name);
      if (!lock) {
        lock = new RwLock();
        locks.set(name, lock);
      }
      await lock.acquire(exclusive);
      taken.push([name, exclusive]);
    }
    return await work();
  } finally {
    for (const [name, exclusive] of taken.reverse()) {
      const lock = locks.get(name)!;
      lock.release(exclusive);
      if (lock.idle) locks.delete(name);
    }
  }
}

/** Lock names of one database's rows: `ns/db#what`. */
export function lockName(namespace: string | undefined, database: string | undefined, what: string): string {
  return `${namespace ?? ""}/${database ?? ""}#${what}`;
}

/** Shared and exclusive lock requests, for readability at call sites. */
export const shared = (name: string): LockRequest => ({ name, exclusive: false });
export const exclusive = (name: string): LockRequest => ({ name, exclusive: true });
