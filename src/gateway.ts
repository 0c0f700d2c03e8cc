import { conflictCounts } from "./db/transactions.js";
import { connectDatabase } from "./db/connect.js";
import { ControlStore } from "./db/controlStore.js";
import { TenantSessions } from "./db/tenantSessions.js";
import { ALL_LAYERS_ON, type LayerSwitches } from "./db/executor/scopedExecutor.js";
import { BudgetLedger } from "./db/budgetLedger.js";
import { ScopeMaintenance } from "./db/scopeMaintenance.js";
import { CredentialStates } from "./db/credentialStates.js";
import { Authenticator } from "./auth/authenticator.js";
import { CredentialRechecks } from "./auth/rechecks.js";
import { hashSecret, newManagementSecret, verifySecret } from "./auth/secrets.js";
import { newTokenSigningKey } from "./auth/browserTokens.js";
import { log } from "./log.js";
import { ForbiddenError } from "./domain/errors.js";
import { type Caller, isTenantCaller } from "./domain/caller.js";
import { DEFAULT_LIMITS, type TenantLimits } from "./domain/limits.js";
import { ContextService } from "./services/control/contexts.js";
import { KeyService } from "./services/control/keys.js";
import { GovernanceService } from "./services/control/governance.js";
import type { TenancyDeps } from "./services/tenant/binding.js";
import type { LiveSupport } from "./services/tenant/live.js";
import { Tenancy } from "./services/tenant/tenancy.js";
import { RecallIndexes } from "./services/tenant/recallIndexes.js";
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
  /**
   * Run on this already-open database connection instead of opening one (and leave it open on
   * close). Two gateways over one embedded engine are two replicas over one SurrealDB node: the
   * tests use it, since a second engine cannot open the same surrealkv folder.
   */
  database?: Gateway["db"];
  /** Test-only (DESIGN §4): switch one enforcement layer off. Refused under NODE_ENV=production. */
  unsafeLayers?: Partial<LayerSwitches>;
  /** Where the generated management key is printed once (first start without SCOPEGATE_MANAGEMENT_KEY). */
  announce?: (line: string) => void;
}

/** The composition root: database, control plane, services, and per-request wiring. */
export class Gateway {
  readonly metrics = new Metrics();
  private readonly tenancyDeps: TenancyDeps;
  private readonly rechecks: CredentialRechecks;
  private ownsDatabase = true;

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
      recallIndexes: new RecallIndexes(limits.recallCacheRows),
    };
    this.rechecks = new CredentialRechecks(auth);
    this.metrics.watchLiveFeeds(() => tenants.openLiveFeeds);
    this.metrics.observeVerifications(auth.verifications);
    this.metrics.observeWriteConflicts(conflictCounts);
  }

  static async start(options: GatewayOptions): Promise<Gateway> {
    const layers = { ...ALL_LAYERS_ON, ...options.unsafeLayers };
    if (options.unsafeLayers && process.env.NODE_ENV === "production") throw new Error("layer switches are test-only");
    const s = options.settings;
    const db =
      options.database ??
      (await connectDatabase({
        url: s.surrealUrl,
        user: s.surrealUser,
        pass: s.surrealPass,
        timeoutMs: s.connectTimeoutMs,
      }));
    const control = await ControlStore.open(db);
    await control.ensureAccessKeys();
    const limits: TenantLimits = { ...DEFAULT_LIMITS, ...s.limits };
    const tenants = new TenantSessions(db, limits.recallCacheRows);
    // Browser tokens' signing key: a control-plane setting, created once and shared by every replica.
    const auth = new Authenticator(control, await control.setting("browser_token_key", newTokenSigningKey));
    auth.setManagementHash(await managementHash(control, s.managementKey, options.announce ?? console.log));
    // Known in clear: recognised by a keyed hash, so no guess at it costs an Argon2 verification.
    if (s.managementKey) auth.trustManagementSecret(s.managementKey);
    const contexts = new ContextService(control, tenants);
    const keys = new KeyService(control, contexts, tenants, auth, new CredentialStates(tenants));
    await contexts.migrateAll();
    const governance = new GovernanceService(contexts, keys, new ScopeMaintenance(tenants), tenants);
    const retention = new RetentionScheduler(control, contexts, governance, s.retentionIntervalMs ?? 0);
    retention.start();
    const gateway = new Gateway(
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
    gateway.ownsDatabase = options.database === undefined;
    return gateway;
  }

  /**
   * Everything a request needs, bound to its caller. `namedContext`: the X-Scopegate-Context
   * header (README: Credentials), which names the Context of an external JWT. `signal` is the
   * request's (the HTTP layer aborts it at SCOPEGATE_REQUEST_TIMEOUT_MS); callers outside HTTP may omit it.
   */
  async requestContext(
    secret: string | null,
    requestId: string,
    namedContext: string | null = null,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<RequestContext> {
    return this.contextFor(await this.authenticate(secret, requestId, namedContext), requestId, signal);
  }

  /**
   * The caller a request's secret stands for (Authenticator.authenticate); a refusal is logged
   * under the request id with its reason. `address`: the client's (http/clientAddress.ts), which
   * the Argon2 verification throttle counts by.
   */
  async authenticate(
    secret: string | null,
    requestId: string,
    namedContext: string | null = null,
    address?: string,
  ): Promise<Caller> {
    const caller = await this.auth.authenticate(secret, namedContext, address);
    if (caller.kind === "ANONYMOUS" && caller.refused)
      log.info({ requestId, refused: caller.refused }, "credential refused");
    return caller;
  }

  /** Everything a request of an already authenticated caller needs (see requestContext). */
  contextFor(caller: Caller, requestId: string, signal: AbortSignal = new AbortController().signal): RequestContext {
    const tenancy = new Tenancy(caller, this.tenancyDeps, signal);
    // Defence in depth under the shield: only the management key gets the control-plane services.
    const management = caller.kind === "MANAGEMENT";
    return {
      requestId,
      caller,
      signal,
      tenancy,
      tenant: (contextId) => tenancy.tenant(contextId),
      issueToken: (input) => this.auth.issueToken(caller, input),
      contexts: management ? this.contexts : managementOnly<ContextService>(),
      keys: management ? this.keys : managementOnly<KeyService>(),
      governance: management ? this.governance : managementOnly<GovernanceService>(),
    };
  }

  /**
   * The context of one live operation (a subscription over graphql-ws or graphql-sse). Like
   * `requestContext`, plus `live`: `recheck()` authenticates the same secret again (coalesced per
   * secret) and, while it still names the same key of the same Context, gives the following events
   * a fresh tenant plane (new DataLoaders, the current key row); otherwise the stream ends with
   * UNAUTHENTICATED. `acquire` is the transport's slot accounting (per key, per connection).
   * `first` is the caller `secret` was authenticated as for this operation (the transport does
   * that before it charges the rate limit).
   */
  liveRequestContext(
    first: Caller,
    secret: string | null,
    requestId: string,
    live: { recheckEveryMs: number; acquire: (caller: Caller) => () => void },
    namedContext: string | null = null,
  ): RequestContext {
    const ctx = this.contextFor(first, requestId);
    let current = { caller: first, tenancy: ctx.tenancy };
    const support: LiveSupport = {
      recheckEveryMs: live.recheckEveryMs,
      acquire: () => live.acquire(first),
      recheck: async () => {
        // Every tenant credential (key, browser token, external JWT) is re-checked the same way:
        // the same kind, owner and Context must come back, else the stream ends UNAUTHENTICATED.
        if (!secret || !isTenantCaller(first)) return false;
        const fresh = await this.rechecks.check(secret, namedContext);
        if (
          !isTenantCaller(fresh) ||
          fresh.kind !== first.kind ||
          fresh.owner !== first.owner ||
          fresh.context.id !== first.context.id
        )
          return false;
        // A stream outlives the request timeout: its later events run without one.
        current = { caller: fresh, tenancy: new Tenancy(fresh, this.tenancyDeps, new AbortController().signal) };
        return true;
      },
    };
    return {
      ...ctx,
      get caller() {
        return current.caller;
      },
      get tenancy() {
        return current.tenancy;
      },
      tenant: (contextId) => current.tenancy.tenant(contextId),
      live: support,
    };
  }

  /** Live feeds (LIVE SELECTs) open on this replica. */
  get openLiveFeeds(): number {
    return this.tenants.openLiveFeeds;
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

  /**
   * Empties this replica's in-memory recall caches of one Context (the corpus rows and the
   * ranking indexes): its next recall loads from the persisted snapshots, as after a restart.
   */
  forgetRecallCaches(contextId: string): void {
    this.tenants.corpusCache.forgetContext(contextId);
    this.tenancyDeps.recallIndexes.forgetContext(contextId);
  }

  async close(): Promise<void> {
    await this.retention.stop();
    await this.tenants.corpusSnapshots.settled();
    await this.auth.close();
    await this.compute.close();
    this.metrics.close();
    if (this.ownsDatabase) await this.db.close();
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
