import type { StoredContext } from "../domain/models.js";
import { credentialLock } from "./executor/tenantQueries.js";
import type { TenantSessions } from "./tenantSessions.js";
import { runTransaction } from "./transactions.js";
import { exclusive } from "./writeLocks.js";

/**
 * The `credential` rows of a Context's database: what its write transactions check (see
 * WRITE_CHECKS in tenantQueries.ts) so that no write of a key commits after the key's revocation
 * or rotation returned, even one whose request authenticated before it. A row exists once its key
 * was revoked or rotated: `revoked`, and `retired`, the generations rotated away.
 *
 * Each change holds the key's credential lock exclusively: it waits for the key's write
 * transactions in flight (they hold it shared) and the key's next ones start after it committed,
 * so they read it. The control plane is changed first (see KeyService), so from then on no new
 * request authenticates with what this retires.
 */
export class CredentialStates {
  constructor(private readonly tenants: TenantSessions) {}

  /** Every write of `keyId` from now on is refused (UNAUTHENTICATED). */
  async revoke(ctx: StoredContext, keyId: string): Promise<void> {
    await this.change(
      ctx,
      keyId,
      "IF record::exists($r) { UPDATE $r SET revoked = true } ELSE { CREATE $r SET revoked = true };",
      {},
    );
  }

  /** Writes of requests that authenticated with `generation` (the key's secret before a rotation) are refused. */
  async retire(ctx: StoredContext, keyId: string, generation: string): Promise<void> {
    await this.change(
      ctx,
      keyId,
      "IF record::exists($r) { UPDATE $r SET retired += $gen } ELSE { CREATE $r SET revoked = false, retired = [$gen] };",
      { gen: generation },
    );
  }

  private async change(ctx: StoredContext, keyId: string, statement: string, vars: Record<string, unknown>) {
    await this.tenants.onRoot(ctx, (session) =>
      runTransaction(
        session,
        `BEGIN; LET $r = type::record('credential', $kid); ${statement} COMMIT;`,
        { ...vars, kid: keyId },
        { locks: [exclusive(credentialLock(keyId))] },
      ),
    );
  }
}
