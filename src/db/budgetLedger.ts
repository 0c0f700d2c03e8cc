import type { StoredContext } from "../domain/models.js";
import type { TenantSessions } from "./tenantSessions.js";
import { runTransaction, TransactionThrow } from "./transactions.js";
import { exclusive, type LockRequest } from "./writeLocks.js";

/** One monthly budget a call draws on: the whole Context ("*") or one scope bucket ("org=alpha"). */
export interface BudgetBucket {
  bucket: string;
  limit: number;
}

export interface Reservation {
  contextId: string;
  month: string;
  buckets: readonly BudgetBucket[];
  tokens: number;
}

export class BudgetExceeded extends Error {
  constructor(readonly bucket: string) {
    super(`token budget exceeded: ${bucket}`);
  }
}

const EXCEEDED = "budget exceeded:";

/**
 * The token budget ledger (issue 4): rows `budget:[month, bucket]` with `used` and `reserved`
 * in the Context's own database, PERMISSIONS NONE, so only this root-session code touches them.
 * A call reserves its worst case (prompt + max completion) in one transaction across all its
 * buckets, then settles to the real usage. Concurrent calls therefore cannot pass a limit;
 * only a provider counting more tokens than the estimate can, by at most that call's excess.
 * (`+=` on purpose: in an UPSERT's SET, a plain field reference does not read the stored value.)
 * Transactions on one bucket row run one at a time in this process, every replica of the
 * process included (writeLocks.ts: the embedded engine's own conflict check can let two
 * concurrent commits of one row both pass); replicas in other processes rely on the server's
 * conflict detection and the retries.
 */
export class BudgetLedger {
  constructor(private readonly sessions: TenantSessions) {}

  async reserve(
    ctx: StoredContext,
    buckets: readonly BudgetBucket[],
    tokens: number,
    now = new Date(),
  ): Promise<Reservation> {
    const month = monthOf(now);
    const reservation = { contextId: ctx.id, month, buckets, tokens };
    if (buckets.length === 0) return reservation;
    try {
      await this.sessions.onRoot(ctx, (session) =>
        runTransaction(
          session,
          `BEGIN;
        FOR $b IN $buckets {
          LET $r = type::record('budget', [$month, $b.bucket]);
          LET $row = (SELECT used, reserved FROM ONLY $r);
          IF ($row.used ?? 0) + ($row.reserved ?? 0) + $tokens > $b.cap { THROW string::concat('${EXCEEDED}', $b.bucket) };
          UPSERT $r SET used += 0, reserved += $tokens;
        };
        COMMIT;`,
          { buckets: buckets.map((b) => ({ bucket: b.bucket, cap: b.limit })), month, tokens },
          { markers: [EXCEEDED], locks: bucketLocks(month, buckets) },
        ),
      );
    } catch (err) {
      if (err instanceof TransactionThrow)
        throw new BudgetExceeded(err.message.slice(EXCEEDED.length).split(/['"\s]/)[0] ?? "");
      throw err;
    }
    return reservation;
  }

  /** Replaces the reservation with what the call really used (0 for a call that failed before usage). */
  async settle(ctx: StoredContext, r: Reservation, usedTokens: number): Promise<void> {
    if (r.buckets.length === 0) return;
    await this.sessions.onRoot(ctx, (session) =>
      runTransaction(
        session,
        `BEGIN;
      FOR $b IN $buckets {
        UPSERT type::record('budget', [$month, $b.bucket]) SET used += $used, reserved -= $tokens;
      };
      COMMIT;`,
        { buckets: r.buckets, month: r.month, tokens: r.tokens, used: usedTokens },
        { locks: bucketLocks(r.month, r.buckets) },
      ),
    );
  }

  /** Used tokens per bucket this month (for reports and tests). */
  async used(ctx: StoredContext, now = new Date()): Promise<Record<string, number>> {
    const [rows] = await this.sessions.onRoot(ctx, (session) =>
      session
        .query<[Array<{ bucket: string; used: number }>]>(
          "SELECT record::id(id)[1] AS bucket, used FROM budget WHERE record::id(id)[0] = $month",
          { month: monthOf(now) },
        )
        .collect(),
    );
    return Object.fromEntries((rows ?? []).map((r) => [r.bucket, r.used]));
  }
}

/** The exclusive locks on a call's bucket rows of one month. */
function bucketLocks(month: string, buckets: readonly BudgetBucket[]): LockRequest[] {
  return buckets.map((b) => exclusive(`budget:${month}/${b.bucket}`));
}

export const monthOf = (d: Date) => d.toISOString().slice(0, 7);

/** First instant of the next UTC month: when every monthly budget resets. */
export function nextMonthStart(d: Date): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString();
}
