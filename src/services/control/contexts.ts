import { BadUserInputError, ConflictError, NotFoundError } from "../../domain/errors.js";
import type { ContextModel, StoredContext } from "../../domain/models.js";
import { newAccessKey, type ControlStore } from "../../db/controlStore.js";
import type { TenantSessions } from "../../db/tenantSessions.js";
import {
  CONTEXT_ID,
  DB_NAME,
  RESERVED_NAMESPACE,
  effectiveConfig,
  mergeConfig,
  splitConfigInput,
} from "./contextConfig.js";

export interface CreateContextArgs {
  id: string;
  namespace: string;
  database: string;
  config?: Record<string, unknown> | null;
}

/** Contexts: the hard isolation unit (one ns/db each). Management key only. */
export class ContextService {
  constructor(
    private readonly control: ControlStore,
    private readonly tenants: TenantSessions,
  ) {}

  async create(args: CreateContextArgs): Promise<ContextModel> {
    if (!CONTEXT_ID.test(args.id))
      throw new BadUserInputError("context id: lowercase letters, digits and hyphens, at most 63");
    if (!DB_NAME.test(args.namespace) || !DB_NAME.test(args.database))
      throw new BadUserInputError("namespace and database: lowercase letters, digits, _ and -");
    if (args.namespace === RESERVED_NAMESPACE)
      throw new BadUserInputError(`namespace "${RESERVED_NAMESPACE}" is reserved for the control plane`);
    const { config, providers } = splitConfigInput(args.config);
    const stored: StoredContext = {
      id: args.id,
      namespace: args.namespace,
      database: args.database,
      config,
      providers: providers ?? {},
      accessKey: newAccessKey(),
      createdAt: new Date().toISOString(),
    };
    const outcome = await this.control.insertContext(stored);
    if (outcome === "duplicate-id") throw new ConflictError(`context "${args.id}" already exists`);
    if (outcome === "duplicate-target")
      throw new ConflictError(`another context is bound to ${args.namespace}/${args.database}`);
    try {
      await this.tenants.migrate(stored);
    } catch (err) {
      await this.control.deleteContext(stored.id); // no half-created Context
      throw err;
    }
    return toModel(stored);
  }

  async list(): Promise<ContextModel[]> {
    return (await this.control.contexts()).map(toModel);
  }

  async getMany(ids: readonly string[]): Promise<(ContextModel | null)[]> {
    return (await this.control.contextsByIds(ids)).map((c) => (c ? toModel(c) : null));
  }

  async stored(id: string): Promise<StoredContext> {
    const [ctx] = await this.control.contextsByIds([id]);
    if (!ctx) throw new NotFoundError("context");
    return ctx;
  }

  /** Merges a patch into the config; concurrent updates of one Context apply one after the other, none lost. */
  async update(id: string, patch: Record<string, unknown>): Promise<ContextModel> {
    const { config, providers } = splitConfigInput(patch);
    const next = await this.control.serialized([`context:${id}`], async () => {
      const ctx = await this.stored(id);
      const merged = {
        ...ctx,
        config: mergeConfig(ctx.config, config),
        providers: providers ? { ...ctx.providers, ...providers } : ctx.providers,
      };
      await this.control.updateContext(id, merged.config, merged.providers);
      return merged;
    });
    // External JWT callers' sessions were opened under the old trust: the next request re-derives them.
    if (config.auth !== undefined) await this.tenants.forgetExternalCallers(id);
    return toModel(next);
  }

  /**
   * Drops exactly the bound database; the namespace and every other Context stay as they were.
   * Requests of the Context still in flight answer NOT_FOUND (or UNAUTHENTICATED once its keys
   * are gone), never an internal error: see TenantSessions.dropDatabase.
   */
  async delete(id: string): Promise<boolean> {
    return this.control.serialized([`context:${id}`, `context-data:${id}`], async () => {
      const ctx = await this.stored(id);
      await this.tenants.dropDatabase(ctx);
      await this.control.deleteContext(id);
      return true;
    });
  }

  /**
   * Runs `work` with the stored Context while it cannot be deleted (ControlStore.whileContextStands):
   * a deletion requested meanwhile waits, then runs. NOT_FOUND when the Context is already gone.
   */
  whileStanding<T>(id: string, work: (ctx: StoredContext) => Promise<T>): Promise<T> {
    return this.control.whileContextStands(id, async () => work(await this.stored(id)));
  }

  /** Start-up: upgrade every existing Context to the current migrations. */
  async migrateAll(): Promise<number> {
    const all = await this.control.contexts();
    for (const ctx of all) await this.tenants.migrate(ctx);
    return all.length;
  }
}

export function toModel(c: StoredContext): ContextModel {
  return {
    id: c.id,
    namespace: c.namespace,
    database: c.database,
    config: effectiveConfig(c.config, c.providers),
    createdAt: c.createdAt,
  };
}
