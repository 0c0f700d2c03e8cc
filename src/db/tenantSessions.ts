import type { Surreal, SurrealSession } from "surrealdb";
import type { Actor } from "../domain/access.js";
import type { KeyModel, StoredContext } from "../domain/models.js";
import { signKeyToken } from "./jwt.js";
import { CorpusCache } from "./corpusCache.js";
import { FirstUlids } from "./firstUlids.js";
import { ScopedExecutor, type LayerSwitches } from "./executor/scopedExecutor.js";
import type { QueryCounter } from "./executor/tenantQueries.js";
import { TENANT_MIGRATIONS, accessDefinition, LAYOUT_BASELINE } from "./tenantSchema.js";

const TOKEN_TTL_SECONDS = 3600;
const REFRESH_MARGIN_MS = 60_000;
const MAX_CACHED_KEY_SESSIONS = 2000;

interface CachedSession {
  session: SurrealSession;
  expiresAt: number;
  keyId: string;
  contextId: string;
}

/**
 * SurrealDB sessions for tenant traffic. A context key runs on a record-user session
 * authenticated by a gateway-signed JWT, so table PERMISSIONS apply (DESIGN §4 layer 3);
 * sessions are cached per key and closed on revoke/rotate/delete. The management key
 * runs on a root session bound to the Context's ns/db.
 */
export class TenantSessions {
  private readonly keySessions = new Map<string, Promise<CachedSession>>();
  private readonly rootSessions = new Map<string, Promise<SurrealSession>>();

  /** Recall's per-partition corpus, shared by every request of this process. */
  readonly corpusCache: CorpusCache;
  /** Where each partition starts, for first pages (see firstUlids.ts). */
  readonly firstUlids = new FirstUlids();

  constructor(
    private readonly root: Surreal,
    corpusCacheRows = 200_000,
  ) {
    this.corpusCache = new CorpusCache(corpusCacheRows);
  }

  /** Creates or upgrades a Context's database: its tables, access method and permissions. */
  async migrate(ctx: StoredContext): Promise<void> {
    const s = await this.root.newSession();
    try {
      await s.query(`DEFINE NAMESPACE IF NOT EXISTS ${ident(ctx.namespace)}`).collect();
      await s.use({ namespace: ctx.namespace, database: CONTROL_PLACEHOLDER_DB });
      await s.query(`DEFINE DATABASE IF NOT EXISTS ${ident(ctx.database)}`).collect();
      await s.use({ namespace: ctx.namespace, database: ctx.database });
      await s.query("DEFINE TABLE IF NOT EXISTS migration SCHEMALESS PERMISSIONS NONE").collect();
      const [applied] = await s.query<[number[]]>("SELECT VALUE record::id(id) FROM migration").collect();
      const done = new Set(applied ?? []);
      if (done.size > 0 && Math.max(...done) < LAYOUT_BASELINE) {
        throw new Error(
          `Context ${ctx.id} (${ctx.namespace}/${ctx.database}) was created by an older storage layout (migration ${Math.max(...done)} < ${LAYOUT_BASELINE}); export its data and recreate it`,
        );
      }
      for (const m of TENANT_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await s
          .query(
            `BEGIN; ${m.sql}; CREATE type::record('migration', ${m.version}) SET applied_at = time::now(); COMMIT;`,
          )
          .collect();
      }
      await s.query(accessDefinition(ctx.accessKey)).collect();
    } finally {
      await s.closeSession().catch(() => undefined);
    }
  }

  private reference: Promise<Record<string, string>> | null = null;

  /**
   * Table definitions exactly as the migrations produce them, read back from a scratch
   * database: the scope audit compares each Context's live definitions with these, so
   * formatting the engine applies on its side cannot cause false alarms.
   */
  referenceDefinitions(): Promise<Record<string, string>> {
    this.reference ??= (async () => {
      const s = await this.root.newSession();
      const db = `audit_reference_${Date.now()}_${Math.floor(Math.random() * 1e9)}`;
      try {
        await s.use({ namespace: "scopegate", database: "control" });
        await s.query(`DEFINE DATABASE ${ident(db)}`).collect();
        await s.use({ namespace: "scopegate", database: db });
        for (const m of TENANT_MIGRATIONS) await s.query(m.sql).collect();
        const [info] = await s.query<[{ tables?: Record<string, string> }]>("INFO FOR DB").collect();
        return info?.tables ?? {};
      } finally {
        await s.use({ namespace: "scopegate", database: "control" }).catch(() => undefined);
        await s
          .query(`REMOVE DATABASE IF EXISTS ${ident(db)}`)
          .collect()
          .catch(() => undefined);
        await s.closeSession().catch(() => undefined);
      }
    })();
    return this.reference;
  }

  async dropDatabase(ctx: StoredContext): Promise<void> {
    await this.forgetContext(ctx.id);
    const s = await this.root.newSession();
    try {
      await s.use({ namespace: ctx.namespace, database: CONTROL_PLACEHOLDER_DB });
      await s.query(`REMOVE DATABASE IF EXISTS ${ident(ctx.database)}`).collect();
    } finally {
      await s.closeSession().catch(() => undefined);
    }
  }

  async forKey(ctx: StoredContext, key: KeyModel, fingerprint: string): Promise<SurrealSession> {
    const cacheKey = `${key.id}:${fingerprint}`;
    let entry = this.keySessions.get(cacheKey);
    if (entry) {
      const cached = await entry.catch(() => null);
      if (cached && cached.expiresAt - REFRESH_MARGIN_MS > Date.now() && cached.session.isValid) return cached.session;
      this.keySessions.delete(cacheKey);
      if (cached) void cached.session.closeSession().catch(() => undefined);
    }
    if (this.keySessions.size >= MAX_CACHED_KEY_SESSIONS) this.evictOldest();
    entry = this.openKeySession(ctx, key);
    this.keySessions.set(cacheKey, entry);
    entry.catch(() => this.keySessions.delete(cacheKey));
    return (await entry).session;
  }

  private async openKeySession(ctx: StoredContext, key: KeyModel): Promise<CachedSession> {
    const session = await this.root.newSession();
    await session.use({ namespace: ctx.namespace, database: ctx.database });
    const { token, expiresAt } = signKeyToken(ctx.accessKey, {
      ns: ctx.namespace,
      db: ctx.database,
      keyId: key.id,
      principal: key.principal,
      floor: key.scopeFloor,
      ttlSeconds: TOKEN_TTL_SECONDS,
    });
    await session.authenticate(token);
    return { session, expiresAt, keyId: key.id, contextId: ctx.id };
  }

  /**
   * The scoped executor of one caller in one Context. Context keys run on their record-user
   * session (layer 3), the management key on the Context's root session. `layers` is the
   * test-only switch board of DESIGN §4.
   */
  async executor(
    ctx: StoredContext,
    actor: Actor,
    credential: { key: KeyModel; fingerprint: string } | null,
    counter: QueryCounter,
    layers: LayerSwitches,
  ): Promise<ScopedExecutor> {
    const session =
      credential && layers.dbPermissions
        ? await this.forKey(ctx, credential.key, credential.fingerprint)
        : await this.forRoot(ctx);
    return new ScopedExecutor(
      session,
      actor,
      counter,
      { corpus: this.corpusCache, firstUlids: this.firstUlids },
      { predicates: layers.executorPredicate },
    );
  }

  async forRoot(ctx: StoredContext): Promise<SurrealSession> {
    const cacheKey = `${ctx.id}@${ctx.namespace}/${ctx.database}`;
    let entry = this.rootSessions.get(cacheKey);
    if (!entry) {
      entry = (async () => {
        const s = await this.root.newSession();
        await s.use({ namespace: ctx.namespace, database: ctx.database });
        return s;
      })();
      this.rootSessions.set(cacheKey, entry);
      entry.catch(() => this.rootSessions.delete(cacheKey));
    }
    return entry;
  }

  /** Closes every cached session of a key: the next request opens one with the current state. */
  async forgetKey(keyId: string): Promise<void> {
    for (const [cacheKey, entry] of this.keySessions) {
      if (!cacheKey.startsWith(`${keyId}:`)) continue;
      this.keySessions.delete(cacheKey);
      await entry.then((c) => c.session.closeSession()).catch(() => undefined);
    }
  }

  async forgetContext(contextId: string): Promise<void> {
    this.corpusCache.forgetContext(contextId);
    for (const [cacheKey, entry] of this.keySessions) {
      const cached = await entry.catch(() => null);
      if (cached?.contextId !== contextId) continue;
      this.keySessions.delete(cacheKey);
      await cached.session.closeSession().catch(() => undefined);
    }
    for (const [cacheKey, entry] of this.rootSessions) {
      if (!cacheKey.startsWith(`${contextId}@`)) continue;
      this.rootSessions.delete(cacheKey);
      await entry.then((s) => s.closeSession()).catch(() => undefined);
    }
  }

  private evictOldest(): void {
    const oldest = this.keySessions.keys().next().value;
    if (oldest === undefined) return;
    const entry = this.keySessions.get(oldest);
    this.keySessions.delete(oldest);
    void entry?.then((c) => c.session.closeSession()).catch(() => undefined);
  }
}

// DEFINE/REMOVE DATABASE needs a namespace selected; any database name works for that.
const CONTROL_PLACEHOLDER_DB = "_";

/** Namespace and database names are validated by the services; this guards the one interpolation left. */
function ident(name: string): string {
  if (!/^[a-z0-9_][a-z0-9_-]{0,62}$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `\`${name}\``;
}
