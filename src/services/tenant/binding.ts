import DataLoader from "dataloader";
import { AccessRules, type Actor } from "../../domain/access.js";
import { isTenantCaller, type Caller } from "../../domain/caller.js";
import type { TenantLimits } from "../../domain/limits.js";
import type { ComputePool } from "../../compute/pool.js";
import type { ContextConfig, ModelCallObserver, StoredContext } from "../../domain/models.js";
import { EMPTY_SCOPE } from "../../domain/scope.js";
import type { BudgetLedger } from "../../db/budgetLedger.js";
import type { LayerSwitches } from "../../db/executor/scopedExecutor.js";
import type { ScopedExecutor } from "../../db/executor/scopedExecutor.js";
import type { QueryCounter } from "../../db/executor/tenantQueries.js";
import type { TenantSessions } from "../../db/tenantSessions.js";
import { effectiveConfig } from "../control/contextConfig.js";
import type { RecallIndexes } from "./recallIndexes.js";

/** What every binding of the process shares (wired once by the composition root). */
export interface TenancyDeps {
  /** Prepared recall indexes, process-wide (recallIndexes.ts). */
  recallIndexes: RecallIndexes;
  sessions: TenantSessions;
  ledger: BudgetLedger;
  limits: TenantLimits;
  layers: LayerSwitches;
  /** Loads a Context by id for the management key (NOT_FOUND when there is none). */
  loadContext(id: string): Promise<StoredContext>;
  observer?: ModelCallObserver;
  /** CPU-heavy work of writes (document preparation, analysis of large batches), off the event loop. */
  compute: ComputePool;
}

/**
 * One request's caller bound to one Context, built once and shared by every resolver of the
 * request that acts there (in the manner of grafast's per-request settings). It carries who
 * is calling (`actor`), what they may do (`access`: read, own, delete and write rules), the
 * Context and its effective config, the scoped executor, the request's DataLoaders and its
 * AbortSignal (fired at SCOPEGATE_REQUEST_TIMEOUT_MS; writes check it before they start). Feature
 * services take a binding and nothing else; no `contextId` or visibility mode is threaded
 * through their calls.
 */
export class TenantBinding {
  readonly actor: Actor;
  readonly access: AccessRules;
  private contextP: Promise<StoredContext> | null = null;
  private configP: Promise<ContextConfig> | null = null;
  private executorP: Promise<ScopedExecutor> | null = null;
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  constructor(
    readonly caller: Exclude<Caller, { kind: "ANONYMOUS" }>,
    readonly contextId: string,
    readonly deps: TenancyDeps,
    readonly counter: QueryCounter,
    readonly signal: AbortSignal,
  ) {
    this.actor = isTenantCaller(caller)
      ? {
          contextId,
          keyId: caller.owner,
          principal: caller.principal,
          floor: caller.floor,
          access: caller.access,
          generation: caller.kind === "JWT" ? undefined : caller.generation,
        }
      : { contextId, keyId: null, principal: "MANAGEMENT", floor: EMPTY_SCOPE, access: "READ_WRITE" };
    this.access = new AccessRules(this.actor);
  }

  get limits(): TenantLimits {
    return this.deps.limits;
  }

  /** The stored Context (config, provider secrets); one control-plane read per request at most. */
  context(): Promise<StoredContext> {
    this.contextP ??= isTenantCaller(this.caller)
      ? Promise.resolve(this.caller.context)
      : this.deps.loadContext(this.contextId);
    return this.contextP;
  }

  /** The Context's effective config (defaults merged), read per request. */
  config(): Promise<ContextConfig> {
    this.configP ??= this.context().then((c) => effectiveConfig(c.config, c.providers));
    return this.configP;
  }

  /** The scoped executor (layer 2 over layer 3) of this caller in this Context. */
  executor(): Promise<ScopedExecutor> {
    this.executorP ??= this.context().then((ctx) =>
      this.deps.sessions.executor(ctx, this.actor, this.counter, this.deps.layers),
    );
    return this.executorP;
  }

  /** The request's DataLoader called `name` (created on first use), so nested fields batch into constant round trips. */
  loader<V>(name: string, batch: (keys: readonly string[]) => Promise<ReadonlyArray<V>>): DataLoader<string, V> {
    let l = this.loaders.get(name);
    if (!l) {
      l = new DataLoader<string, unknown>(batch as (keys: readonly string[]) => Promise<unknown[]>, {
        maxBatchSize: 500,
      });
      this.loaders.set(name, l);
    }
    return l as DataLoader<string, V>;
  }
}
