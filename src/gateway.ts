import { connectDatabase } from "./db/connect.js";
import { ControlStore } from "./db/controlStore.js";
import { TenantSessions } from "./db/tenantSessions.js";
import { ALL_LAYERS_ON, type LayerSwitches } from "./db/executor/scopedExecutor.js";
import { BudgetLedger } from "./db/budgetLedger.js";
import { ScopeMaintenance } from "./db/scopeMaintenance.js";
import { Authenticator } from "./auth/authenticator.js";
import { hashSecret, newManagementSecret, verifySecret } from "./auth/secrets.js";
import { ForbiddenError } from "./domain/errors.js";
import { DEFAULT_LIMITS, type TenantLimits } from "./domain/limits.js";
import { ContextService } from "./services/control/contexts.js";
import { KeyService } from "./services/control/keys.js";
import { GovernanceService } from "./services/control/governance.js";
import type { TenancyDeps } from "./services/tenant/binding.js";
import { Tenancy } from "./services/tenant/tenancy.js";
import { RetentionScheduler } from "./jobs/retentionScheduler.js";
import { Metrics } from "./http/metrics.js";
import { ComputePool } from "./compute/pool.js";
import type { RequestContext } from "./graphql/requestContext.js";
import type { Settings } from "./config.js";

export interface GatewayOptions {
  settings: Pick<Settings, "surrealUrl" | "surrealUser" | "surrealPass" | "connectTimeoutMs" | "managementKey"> & {
    limits?: Partial<TenantLimits>;
    retentionIntervalMs?: number;
    /** Compute worker threads (default: cores − 1, 1–4). */
    computeThreads?: number;
  };
  /** Test-only (DESIGN §4): switch one enforcement layer off. Refused under NODE_ENV=production. */
  unsafeLayers?: Partial<LayerSwitches>;
  /** Where the generated management key is printed once (first start without SCOPEGATE_MANAGEMENT_KEY). */
  announce?: (line: string) => void;
}

/** The composition root: database, control plane, services, and per-request wiring. */
export class Gateway {
  readonly metrics = new Metrics();
  private readonly tenancyDeps: TenancyDeps;

  private constructor(
    readonly db: Awaited<ReturnType<typeof connectDatabase>>,
    readonly control: ControlStore,
    readonly tenants: TenantSessions,
    readonly auth: Authenticator,
    readonly contexts: ContextService,
    readonly keys: KeyService,
    readonly layers: LayerSwitches,
    readonly limits: TenantLimits,
    readonly ledger: BudgetLedger,
    readonly governance: GovernanceService,
    readonly retention: RetentionScheduler,
    readonly compute: ComputePool,
  ) {
    this.metrics.observeCompute(compute);
    this.tenancyDeps = {
      sessions: tenants,
      ledger,
      limits,
      layers,
      loadContext: (id) => contexts.stored(id),
      observer: this.metrics,
      compute,
    };
  }

  static async start(options: GatewayOptions): Promise<Gateway> {
    const layers = { ...ALL_LAYERS_ON, ...options.unsafeLayers };
    if (options.unsafeLayers && process.env.NODE_ENV === "production") throw new Error("layer switches are test-only");
    const s = options.settings;
    const db = await connectDatabase({
      url: s.surrealUrl,
      user: s.surrealUser,
      pass: s.surrealPass,
      timeoutMs: s.connectTimeoutMs,
    });
    const control = await ControlStore.open(db);
    await control.ensureAccessKeys();
    const limits: TenantLimits = { ...DEFAULT_LIMITS, ...s.limits };
    const tenants = new TenantSessions(db, limits.recallCacheRows);
    const auth = new Authenticator(control);
    auth.setManagementHash(await managementHash(control, s.managementKey, options.announce ?? console.log));
    const contexts = new ContextService(control, tenants);
    const keys = new KeyService(control, contexts, tenants, auth);
    await contexts.migrateAll();
    const governance = new GovernanceService(contexts, keys, new ScopeMaintenance(tenants), tenants);
    const retention = new RetentionScheduler(control, contexts, governance, s.retentionIntervalMs ?? 0);
    retention.start();
    return new Gateway(
      db,
      control,
      tenants,
      auth,
      contexts,
      keys,
      layers,
      limits,
      new BudgetLedger(tenants),
      governance,
      retention,
      new ComputePool({ threads: s.computeThreads }),
    );
  }

  /**
   * Everything a request needs, bound to its caller. `signal` is the request's (the HTTP layer
   * aborts it at SCOPEGATE_REQUEST_TIMEOUT_MS); callers outside HTTP may omit it.
   */
  async requestContext(
    secret: string | null,
    requestId: string,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<RequestContext> {
    const caller = await this.auth.authenticate(secret);
    const tenancy = new Tenancy(caller, this.tenancyDeps, signal);
    // Defence in depth under the shield: only the management key gets the control-plane services.
    const management = caller.kind === "MANAGEMENT";
    return {
      requestId,
      caller,
      signal,
      tenancy,
      tenant: (contextId) => tenancy.tenant(contextId),
      contexts: management ? this.contexts : managementOnly<ContextService>(),
      keys: management ? this.keys : managementOnly<KeyService>(),
      governance: management ? this.governance : managementOnly<GovernanceService>(),
    };
  }

  /** Ready = the database answers and every Context's migrations were applied at start-up. */
  async ready(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.control.ping(2_000);
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: `database: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    await this.retention.stop();
    await this.auth.close();
    await this.compute.close();
    this.metrics.close();
    await this.db.close();
  }
}

function managementOnly<T extends object>(): T {
  return new Proxy({} as T, { get: () => () => Promise.reject(new ForbiddenError("management key required")) });
}

/**
 * The management key's hash: from SCOPEGATE_MANAGEMENT_KEY when set, else the stored one,
 * else a new key generated and printed once. Only the hash is stored.
 */
async function managementHash(
  control: ControlStore,
  fromEnv: string | undefined,
  announce: (line: string) => void,
): Promise<string> {
  const stored = await control.getSetting("management_key_hash");
  if (fromEnv) {
    if (stored && (await verifySecret(stored, fromEnv))) return stored;
    const hash = await hashSecret(fromEnv);
    await control.putSetting("management_key_hash", hash);
    return hash;
  }
  if (stored) return stored;
  const secret = newManagementSecret();
  const hash = await hashSecret(secret);
  await control.putSetting("management_key_hash", hash);
  announce(`scopegate: generated management key (shown once, store it now): ${secret}`);
  return hash;
}
