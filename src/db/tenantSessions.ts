import type { Surreal, SurrealSession } from "surrealdb";
import type { Actor } from "../domain/access.js";
import type { KeyModel, StoredContext } from "../domain/models.js";
import { signKeyToken } from "./jwt.js";
import { CorpusCache } from "./corpusCache.js";
import { LiveFeed } from "./liveFeed.js";
import { ScopedExecutor, type LayerSwitches } from "./executor/scopedExecutor.js";
import type { QueryCounter } from "./executor/tenantQueries.js";
import { TENANT_MIGRATIONS, accessDefinition, LAYOUT_BASELINE } from "./tenantSchema.js";

const TOKEN_TTL_SECONDS = 3600;
const REFRESH_MARGIN_MS = 60_000;
const MAX_CACHED_KEY_SESSIONS = 2000;
/** A live feed re-authenticates its session this often: well inside the token's and the session's hour. */
const LIVE_RENEW_MS = 20 * 60_000;
/** Rows a live feed keeps for a slow reader before it ends (≈ a few hundred kB per subscription at most). */
const LIVE_BUFFER_ROWS = 1024;

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
  /** Open live feeds with the key (null: management/root) and Context they run for. */
  private readonly liveFeeds = new Map<LiveFeed, { keyId: string | null; contextId: string }>();

  /** Recall's per-partition corpus, shared by every request of this process. */
  readonly corpusCache: CorpusCache;

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
    const expiresAt = await authenticateKey(session, ctx, key);
    return { session, expiresAt, keyId: key.id, contextId: ctx.id };
  }

  /**
   * Starts one `LIVE SELECT` for a caller on a session of its own: the key's record-user session
   * (so the table PERMISSIONS filter every notification with its floor), or a root session bound
   * to the Context for the management key and when the layer tests switch permissions off.
   * The feed is registered so that revoking, rotating or deleting on this replica ends it at once
   * (`forgetKey`, `forgetContext`); other replicas end theirs at their next credential check.
   */
  async openLive(
    ctx: StoredContext,
    credential: { key: KeyModel } | null,
    layers: LayerSwitches,
    sql: string,
    vars: Record<string, unknown>,
  ): Promise<LiveFeed> {
    const session = await this.root.newSession();
    try {
      await session.use({ namespace: ctx.namespace, database: ctx.database });
      if (credential && layers.dbPermissions) await authenticateKey(session, ctx, credential.key);
    } catch (err) {
      await session.closeSession().catch(() => undefined);
      throw err;
    }
    const key = credential && layers.dbPermissions ? credential.key : null;
    const feed = await LiveFeed.open(session, sql, vars, {
      maxBuffered: LIVE_BUFFER_ROWS,
      renew: key ? () => authenticateKey(session, ctx, key).then(() => undefined) : undefined,
      renewEveryMs: key ? LIVE_RENEW_MS : undefined,
      onEnd: (f) => this.liveFeeds.delete(f),
    });
    if (!feed.ended) this.liveFeeds.set(feed, { keyId: credential?.key.id ?? null, contextId: ctx.id });
    return feed;
  }

  /** Live feeds open on this replica (a gauge for /metrics and the tests). */
  get openLiveFeeds(): number {
    return this.liveFeeds.size;
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
    return new ScopedExecutor(session, actor, counter, this.corpusCache, {
      predicates: layers.executorPredicate,
      live: (sql, vars) => this.openLive(ctx, credential, layers, sql, vars),
    });
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
    for (const [feed, owner] of this.liveFeeds) if (owner.keyId === keyId) feed.finish("revoked");
    for (const [cacheKey, entry] of this.keySessions) {
      if (!cacheKey.startsWith(`${keyId}:`)) continue;
      this.keySessions.delete(cacheKey);
      await entry.then((c) => c.session.closeSession()).catch(() => undefined);
    }
  }

  async forgetContext(contextId: string): Promise<void> {
    this.corpusCache.forgetContext(contextId);
    for (const [feed, owner] of this.liveFeeds) if (owner.contextId === contextId) feed.finish("revoked");
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

/** Authenticates `session` as the key's record user with a fresh gateway-signed token; returns its expiry (ms). */
async function authenticateKey(session: SurrealSession, ctx: StoredContext, key: KeyModel): Promise<number> {
  const { token, expiresAt } = signKeyToken(ctx.accessKey, {
    ns: ctx.namespace,
    db: ctx.database,
    keyId: key.id,
    principal: key.principal,
    floor: key.scopeFloor,
    ttlSeconds: TOKEN_TTL_SECONDS,
  });
  await session.authenticate(token);
  return expiresAt;
}

// DEFINE/REMOVE DATABASE needs a namespace selected; any database name works for that.
const CONTROL_PLACEHOLDER_DB = "_";

/** Namespace and database names are validated by the services; this guards the one interpolation left. */
function ident(name: string): string {
  if (!/^[a-z0-9_][a-z0-9_-]{0,62}$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `\`${name}\``;
}
