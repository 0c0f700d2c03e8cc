import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { BadUserInputError, RateLimitedError } from "../domain/errors.js";
import { TASKS, type TaskInput, type TaskName, type TaskOutput, type TaskResult } from "./tasks.js";

/**
 * Inputs up to this many UTF-16 code units run inline on the calling (main) thread; larger ones
 * in a worker. Measured with `npx tsx bench/compute.ts` (2 cores, load average ~10 from other
 * work, so times are inflated): preparing 4,096 characters as a document inline blocks the
 * event loop ~15 ms (English or Chinese); 8,192 Chinese characters already ~47 ms, the whole
 * budget. The worker costs ~0.1 ms per round trip when idle, but 1–7 ms more wall time than
 * inline for inputs this small (it runs at nice +10) and makes a small write wait behind any
 * large one queued before it. Above the bound the work grows past ~50 ms quickly.
 */
export const INLINE_MAX_CHARS = 4_096;

/** Tasks waiting for a worker beyond which new ones are refused (RATE_LIMITED, retry after 1 s). */
const MAX_QUEUE = 256;

export interface ComputeOptions {
  /** Worker threads (default: one fewer than the cores, 1–4), so the event loop keeps a core. */
  threads?: number;
}

/** Default worker count for this machine: `availableParallelism() − 1`, clamped to 1–4. */
export function defaultComputeThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * The process's pool of compute threads (piscina 5) for the CPU-heavy part of writes: document
 * reduction, tokenizing and chunking, term analysis and local embeddings of large batches, token
 * counts of large texts. Nothing here touches the database or the network.
 *
 * - Small inputs (≤ INLINE_MAX_CHARS) run inline: same functions, same results.
 * - Threads start on first use and stop after a minute idle, so a gateway that never gets a
 *   large write never starts one (tests start many gateways). They run at nice +10 (Linux):
 *   the event loop and the database engine's threads come first.
 * - A task honours the request's AbortSignal: queued, it is dropped; running, its worker is
 *   terminated (the pool starts a fresh one), so a timed-out upload stops using a core.
 * - Errors: the client's own mistakes come back as BadUserInputError, a full queue as
 *   RateLimitedError (retry after 1 s), an abort as the signal's reason.
 */
export class ComputePool {
  private readonly pool: Piscina;
  /** Tasks run per path since start, for /metrics. */
  readonly counts = { inline: 0, worker: 0 };

  constructor(options: ComputeOptions = {}) {
    const threads = options.threads ?? defaultComputeThreads();
    this.pool = new Piscina({
      filename: new URL("./worker.mjs", import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      maxQueue: MAX_QUEUE,
      niceIncrement: 10,
    });
  }

  /** Worker threads running now. */
  get threads(): number {
    return this.pool.threads.length;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.pool.queueSize;
  }

  /**
   * Runs task `name` on `input`; `chars` is the input's size in UTF-16 code units (it decides
   * inline vs worker). The signal aborts it (see the class comment).
   */
  async run<N extends TaskName>(
    name: N,
    input: TaskInput<N>,
    opts: { chars: number; signal?: AbortSignal },
  ): Promise<TaskOutput<N>> {
    opts.signal?.throwIfAborted();
    if (opts.chars <= INLINE_MAX_CHARS) {
      this.counts.inline += 1;
      return (TASKS[name] as (i: TaskInput<N>) => TaskOutput<N>)(input);
    }
    this.counts.worker += 1;
    let result: TaskResult;
    try {
      result = (await this.pool.run({ name, input }, { signal: opts.signal })) as TaskResult;
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (/queue is at limit/i.test(String((err as Error).message)))
        throw new RateLimitedError(1, "the gateway is busy with other large writes; try again");
      throw err;
    }
    if (!result.ok) throw new BadUserInputError(result.message, result.field);
    return result.value as TaskOutput<N>;
  }

  /** Stops the worker threads (running tasks are aborted). */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
