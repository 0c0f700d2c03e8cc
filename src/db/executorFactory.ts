import type { Caller } from "../auth/caller.js";
import type { StoredContext } from "./controlStore.js";
import type { TenantSessions } from "./tenantSessions.js";
import { ScopedExecutor, type QueryCounter } from "./scopedExecutor.js";
import { notFound } from "../errors.js";

/** Test-only layer switches (DESIGN §4); no env var or config file reaches them. */
export interface LayerSwitches {
  shield: boolean;
  executorPredicate: boolean;
  dbPermissions: boolean;
}
export const ALL_LAYERS_ON: LayerSwitches = Object.freeze({
  shield: true,
  executorPredicate: true,
  dbPermissions: true,
});

/**
 * Hands out the scoped executor of one request. A context key gets its own Context only
 * (naming another answers NOT_FOUND); the management key gets the Context it names.
 */
export class ExecutorFactory {
  private readonly executors = new Map<string, Promise<ScopedExecutor>>();
  readonly counter: QueryCounter = { queries: 0 };

  constructor(
    private readonly caller: Caller,
    private readonly sessions: TenantSessions,
    private readonly loadContext: (id: string) => Promise<StoredContext>,
    private readonly layers: LayerSwitches,
  ) {}

  for(contextId: string | null | undefined): Promise<ScopedExecutor> {
    const caller = this.caller;
    const id = caller.kind === "CONTEXT_KEY" ? caller.context.id : contextId;
    if (caller.kind === "ANONYMOUS" || !id) return Promise.reject(notFound("context"));
    if (caller.kind === "CONTEXT_KEY" && contextId && contextId !== caller.context.id)
      return Promise.reject(notFound("context"));
    let executor = this.executors.get(id);
    if (!executor) {
      executor = this.build(id);
      this.executors.set(id, executor);
    }
    return executor;
  }

  /** The stored Context a request acts in (its config and provider secrets), under the same rules as for(). */
  async contextOf(contextId: string | null | undefined): Promise<StoredContext> {
    const caller = this.caller;
    if (caller.kind === "CONTEXT_KEY") {
      if (contextId && contextId !== caller.context.id) throw notFound("context");
      return caller.context;
    }
    if (caller.kind === "ANONYMOUS" || !contextId) throw notFound("context");
    // One control-plane read per Context per request, however many services ask.
    let loaded = this.loadedContexts.get(contextId);
    if (!loaded) {
      loaded = this.loadContext(contextId);
      this.loadedContexts.set(contextId, loaded);
    }
    return loaded;
  }

  private readonly loadedContexts = new Map<string, Promise<StoredContext>>();

  private async build(contextId: string): Promise<ScopedExecutor> {
    const caller = this.caller;
    const options = { skipScopePredicate: !this.layers.executorPredicate };
    if (caller.kind === "CONTEXT_KEY") {
      const ctx = caller.context;
      const session = this.layers.dbPermissions
        ? await this.sessions.forKey(ctx, caller.key, caller.fingerprint)
        : await this.sessions.forRoot(ctx);
      return new ScopedExecutor(
        session,
        { contextId, keyId: caller.key.id, principal: caller.key.principal, floor: caller.key.scopeFloor },
        this.counter,
        options,
        this.sessions.corpusCache,
      );
    }
    const ctx = await this.contextOf(contextId);
    const session = await this.sessions.forRoot(ctx);
    return new ScopedExecutor(
      session,
      { contextId, keyId: null, principal: "MANAGEMENT", floor: {} },
      this.counter,
      options,
      this.sessions.corpusCache,
    );
  }
}
