import type { Surreal, SurrealSession } from "surrealdb";
import type { Actor } from "../domain/access.js";
import type { StoredContext } from "../domain/models.js";
import { scopeKey } from "../domain/scope.js";
import { signKeyToken } from "./jwt.js";
import { CorpusCache } from "./corpusCache.js";
import { CorpusSnapshotWriter } from "./corpusSnapshots.js";
import { FirstUlids } from "./firstUlids.js";
import { NewestUlids } from "./newestUlids.js";
import { LiveFeed } from "./liveFeed.js";
import { ScopedExecutor, type LayerSwitches } from "./executor/scopedExecutor.js";
import type { QueryCounter } from "./executor/tenantQueries.js";
import { TENANT_MIGRATIONS, accessDefinition, LAYOUT_BASELINE } from "./tenantSchema.js";
import { WRITE_GATE } from "./executor/tenantQueries.js";
import { type ClosedBecause, goneError, isMissingDatabase, markClosed } from "./sessionClosures.js";
import { exclusive, lockName, shared, withLocks } from "./writeLocks.js";
import { retryingConflicts } from "./transactions.js";
import { NotFoundError } from "../domain/errors.js";

const TOKEN_TTL_SECONDS = 3600;
const REFRESH_MARGIN_MS = 60_000;
const MAX_CACHED_KEY_SESSIONS = 2000;
/** A session dropped for age or room (not for a revocation) may still serve a request in flight: closed this much later. */
const RETIRE_AFTER_MS = 120_000;

/** A live feed re-authenticates its session this often: well inside the token's and the session's hour. */
const LIVE_RENEW_MS = 20 * 60_000;
/** Rows a live feed keeps for a slow reader before it ends (≈ a few hundred kB per subscription at most). */
const LIVE_BUFFER_ROWS = 1024;

/** Closes a session once requests that may still hold it are over (revocations close at once instead). */
function retire(session: SurrealSession): void {
  setTimeout(() => void session.closeSession().catch(() => undefined), RETIRE_AFTER_MS).unref();
}

/**
 * Closes a cached session once it has opened (one that failed to open needs nothing), first
 * recording `reason` so a request still using it answers for that (sessionClosures.ts).
 */
async function closeSession(opening: Promise<SurrealSession>, reason: ClosedBecause | undefined): Promise<void> {
  await opening
    .then((session) => {
      if (reason) markClosed(session, reason);
      return session.closeSession();
    })
    .catch(() => undefined);
}

interface CachedSession {
  session: SurrealSession;
  expiresAt: number;
}

/** A cached record-user session and what it was opened for (read without awaiting it). */
interface SessionEntry {
  opened: Promise<CachedSession>;
  owner: string;
  contextId: string;
}

/**
 * SurrealDB sessions for tenant traffic. Every tenant caller (context key, browser token,
 * external JWT) runs on a record-user session authenticated by a gateway-signed JWT carrying
 * its floor, owner, principal and access, so table PERMISSIONS apply (DESIGN §4 layer 3).
 * Sessions are cached per (Context, owner, principal, access, floor), at most
 * MAX_CACHED_KEY_SESSIONS of them (oldest evicted first), and closed on revoke/rotate of the
 * key (which also covers its tokens), on a change of a Context's external auth, and on delete.
 * The management key runs on a root session bound to the Context's ns/db.
 */
export class TenantSessions {
  private readonly keySessions = new Map<string, SessionEntry>();
  private readonly rootSessions = new Map<string, Promise<SurrealSession>>();
  private readonly liveFeeds = new Map<LiveFeed, { owner: string | null; contextId: string }>();
  /** Contexts this replica dropped, by `incarnation` (a Context re-created with the same id is another key). */
  private readonly dropped = new Set<string>();

  /** Recall's per-partition corpus, shared by every request of this process. */
  readonly corpusCache: CorpusCache;
  /** Background writer of persisted corpus snapshots (corpusSnapshots.ts). */
  readonly corpusSnapshots = new CorpusSnapshotWriter(this);
  /** Where each partition starts, for first pages (see firstUlids.ts). */
  readonly firstUlids = new FirstUlids();
  /** The newest row of each partition, for newest-first first pages (see newestUlids.ts). */
  readonly newestUlids = new NewestUlids();

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

  /**
   * Removes a Context's database. From the first line on no session binds to it again on this
   * replica (`bindToContext` answers NotFoundError); its cached sessions are closed, so
   * requests using them answer NOT_FOUND (`closedBecause`). The REMOVE holds the Context's write
   * gate exclusively (writeLocks.ts): write transactions and USEs in flight finish first. The
   * sessions those USEs opened are closed after it. No lock is held while closing sessions,
   * because closing waits for sessions still opening, and they wait for the gate.
   */
  async dropDatabase(ctx: StoredContext): Promise<void> {
    this.dropped.add(incarnation(ctx));
    await this.forgetContext(ctx.id, "context-deleted");
    await withLocks([exclusive(lockName(ctx.namespace, ctx.database, WRITE_GATE))], async () => {
      const s = await this.root.newSession();
      try {
        await s.use({ namespace: ctx.namespace, database: CONTROL_PLACEHOLDER_DB });
        await s.query(`REMOVE DATABASE IF EXISTS ${ident(ctx.database)}`).collect();
      } finally {
        await s.closeSession().catch(() => undefined);
      }
    });
    await this.forgetContext(ctx.id, "context-deleted");
  }

  /**
   * The record-user session of a tenant actor: one per (Context, owner, principal, access,
   * floor), so a key and a token it issued with the same floor and access share one, and a
   * narrowed token or each end user of an external JWT gets its own.
   */
  async forActor(ctx: StoredContext, actor: Actor): Promise<SurrealSession> {
    if (actor.keyId === null) throw new Error("record-user sessions are for tenant callers");
    // Per incarnation of the Context, like root sessions: an end user of an external JWT has the same
    // owner id in a Context re-created with the same id, and a late request of the old one must not share.
    const cacheKey = JSON.stringify([
      incarnation(ctx),
      actor.keyId,
      actor.principal,
      actor.access,
      scopeKey(actor.floor),
    ]);
    let entry = this.keySessions.get(cacheKey);
    if (entry) {
      const cached = await entry.opened.catch(() => null);
      if (cached && cached.expiresAt - REFRESH_MARGIN_MS > Date.now() && cached.session.isValid) return cached.session;
      if (this.keySessions.get(cacheKey) === entry) this.keySessions.delete(cacheKey);
      if (cached) retire(cached.session);
    }
    if (this.keySessions.size >= MAX_CACHED_KEY_SESSIONS) this.evictOldest();
    entry = { opened: this.openRecordSession(ctx, actor, actor.keyId), owner: actor.keyId, contextId: ctx.id };
    this.keySessions.set(cacheKey, entry);
    const mine = entry;
    entry.opened.catch(() => {
      if (this.keySessions.get(cacheKey) === mine) this.keySessions.delete(cacheKey);
    });
    return (await entry.opened).session;
  }

  private async openRecordSession(ctx: StoredContext, actor: Actor, owner: string): Promise<CachedSession> {
    const { session, prepared } = await this.openBound(ctx, (s) => authenticateActor(s, ctx, actor, owner));
    return { session, expiresAt: prepared };
  }

  /**
   * A new session bound to the Context (`bindToContext`) on which `prepare` ran (the record
   * user's authentication, for one), with what `prepare` returned. A session that fails either
   * step is closed, never left open.
   */
  private async openBound<T>(
    ctx: StoredContext,
    prepare: (session: SurrealSession) => Promise<T>,
  ): Promise<{ session: SurrealSession; prepared: T }> {
    const session = await this.root.newSession();
    try {
      await this.bindToContext(session, ctx);
      return { session, prepared: await prepare(session) };
    } catch (err) {
      await session.closeSession().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Binds `session` to the Context's database. The engine's USE defines a database that does not
   * exist, so a request that authenticated just before its Context was deleted would write the
   * database back (or lose a write conflict to the REMOVE, which reached clients as a 500). Here
   * USE holds the Context's write gate shared, so a running drop on this replica finishes first,
   * and a Context this replica dropped answers NotFoundError("context") instead. A conflict with
   * another replica's drop is retried (`retryingConflicts`), then answers CONFLICT.
   */
  private bindToContext(session: SurrealSession, ctx: StoredContext): Promise<void> {
    return withLocks([shared(lockName(ctx.namespace, ctx.database, WRITE_GATE))], () =>
      retryingConflicts(async () => {
        if (this.dropped.has(incarnation(ctx))) throw new NotFoundError("context");
        await session.use({ namespace: ctx.namespace, database: ctx.database });
      }),
    );
  }

  /**
   * Starts one `LIVE SELECT` for a caller on a session of its own: the actor's record-user session
   * (so the table PERMISSIONS filter every notification with its floor), or a root session bound
   * to the Context for the management key and when the layer tests switch permissions off.
   * The feed is registered so that revoking, rotating or deleting on this replica ends it at once
   * (`forgetKey`, `forgetContext`); other replicas end theirs at their next credential check.
   */
  async openLive(
    ctx: StoredContext,
    actor: Actor,
    layers: LayerSwitches,
    sql: string,
    vars: Record<string, unknown>,
  ): Promise<LiveFeed> {
    const owner = actor.keyId !== null && layers.dbPermissions ? actor.keyId : null;
    const { session } = await this.openBound(ctx, async (s) => {
      if (owner !== null) await authenticateActor(s, ctx, actor, owner);
    });
    const feed = await LiveFeed.open(session, sql, vars, {
      maxBuffered: LIVE_BUFFER_ROWS,
      renew: owner !== null ? () => authenticateActor(session, ctx, actor, owner).then(() => undefined) : undefined,
      renewEveryMs: owner !== null ? LIVE_RENEW_MS : undefined,
      onEnd: (f) => this.liveFeeds.delete(f),
    });
    if (!feed.ended) this.liveFeeds.set(feed, { owner: actor.keyId, contextId: ctx.id });
    return feed;
  }

  /** Live feeds open on this replica (a gauge for /metrics and the tests). */
  get openLiveFeeds(): number {
    return this.liveFeeds.size;
  }

  /**
   * The scoped executor of one caller in one Context. Tenant callers (actor.keyId set) run on
   * their record-user session (layer 3), the management key on the Context's root session.
   * `layers` is the test-only switch board of DESIGN §4.
   */
  async executor(
    ctx: StoredContext,
    actor: Actor,
    counter: QueryCounter,
    layers: LayerSwitches,
  ): Promise<ScopedExecutor> {
    let session: SurrealSession;
    try {
      session =
        actor.keyId !== null && layers.dbPermissions ? await this.forActor(ctx, actor) : await this.forRoot(ctx);
    } catch (err) {
      // The Context was deleted after this request authenticated: its record access is gone.
      if (isMissingDatabase(err)) throw new NotFoundError("context");
      throw err;
    }
    return new ScopedExecutor(
      session,
      actor,
      counter,
      { corpus: this.corpusCache, firstUlids: this.firstUlids, newestUlids: this.newestUlids },
      {
        predicates: layers.executorPredicate,
        live: (sql, vars) => this.openLive(ctx, actor, layers, sql, vars),
        snapshots: {
          refresh: (table, key, known) => this.corpusSnapshots.refresh(ctx, table, key, known),
          appended: (table, key, rows) => this.corpusSnapshots.appended(ctx, table, key, rows),
        },
      },
    );
  }

  /**
   * Runs `work` on the Context's root session (budgets, credential states, maintenance). A
   * Context deleted before or while it runs answers NotFoundError("context"), as a tenant query
   * does (`goneError`), never the engine's "Session not found".
   */
  async onRoot<T>(ctx: StoredContext, work: (session: SurrealSession) => Promise<T>): Promise<T> {
    let session: SurrealSession;
    try {
      session = await this.forRoot(ctx);
    } catch (err) {
      if (isMissingDatabase(err)) throw new NotFoundError("context");
      throw err;
    }
    try {
      return await work(session);
    } catch (err) {
      throw goneError(session, err) ?? err;
    }
  }

  async forRoot(ctx: StoredContext): Promise<SurrealSession> {
    // One incarnation of the Context (a re-created one with the same id is another): a late request
    // of a deleted Context must not run on its successor's session (bindToContext refuses it instead).
    const cacheKey = `${incarnation(ctx)}@${ctx.namespace}/${ctx.database}`;
    let entry = this.rootSessions.get(cacheKey);
    if (!entry) {
      entry = this.openBound(ctx, async () => undefined).then((bound) => bound.session);
      this.rootSessions.set(cacheKey, entry);
      entry.catch(() => this.rootSessions.delete(cacheKey));
    }
    return entry;
  }

  /**
   * Closes every cached session of a key and of the tokens it issued (they share its owner id):
   * the next request opens one with the current state.
   */
  async forgetKey(keyId: string): Promise<void> {
    this.endFeeds((f) => f.owner === keyId);
    await this.forgetWhere((e) => e.owner === keyId, "revoked");
  }

  /** Closes the sessions of a Context's external-JWT callers (its `auth` config changed). */
  async forgetExternalCallers(contextId: string): Promise<void> {
    this.endFeeds((f) => f.contextId === contextId && f.owner?.startsWith("jwt:") === true);
    await this.forgetWhere((e) => e.contextId === contextId && e.owner.startsWith("jwt:"));
  }

  /** Ends the live feeds that match (their subscribers get UNAUTHENTICATED at once). */
  private endFeeds(matches: (f: { owner: string | null; contextId: string }) => boolean): void {
    for (const [feed, who] of this.liveFeeds) if (matches(who)) feed.finish("revoked");
  }

  /** Closes the matching sessions; a request still using one answers for `reason` (sessionClosures.ts). */
  private async forgetWhere(matches: (e: SessionEntry) => boolean, reason?: ClosedBecause): Promise<void> {
    for (const [cacheKey, entry] of this.keySessions) {
      if (!matches(entry)) continue;
      this.keySessions.delete(cacheKey);
      await closeSession(
        entry.opened.then((c) => c.session),
        reason,
      );
    }
  }

  async forgetContext(contextId: string, reason?: ClosedBecause): Promise<void> {
    this.corpusCache.forgetContext(contextId);
    this.newestUlids.forgetContext(contextId);
    this.endFeeds((f) => f.contextId === contextId);
    await this.forgetWhere((e) => e.contextId === contextId, reason);
    for (const [cacheKey, entry] of this.rootSessions) {
      if (!cacheKey.startsWith(`${contextId}@`)) continue;
      this.rootSessions.delete(cacheKey);
      await closeSession(entry, reason);
    }
  }

  private evictOldest(): void {
    const oldest = this.keySessions.keys().next().value;
    if (oldest === undefined) return;
    const entry = this.keySessions.get(oldest);
    this.keySessions.delete(oldest);
    void entry?.opened.then((c) => retire(c.session)).catch(() => undefined);
  }
}

/** Names one incarnation of a Context: its id and creation time (ids may be reused after a delete). */
const incarnation = (ctx: StoredContext) => `${ctx.id}@${ctx.createdAt}`;

/** Authenticates `session` as the actor's record user (owner `owner`) with a fresh gateway-signed token; returns its expiry (ms). */
async function authenticateActor(
  session: SurrealSession,
  ctx: StoredContext,
  actor: Actor,
  owner: string,
): Promise<number> {
  const { token, expiresAt } = signKeyToken(ctx.accessKey, {
    ns: ctx.namespace,
    db: ctx.database,
    keyId: owner,
    principal: actor.principal,
    floor: actor.floor,
    access: actor.access,
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
