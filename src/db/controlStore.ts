import type { Surreal, SurrealSession } from "surrealdb";
import { runTransaction, TransactionThrow } from "./transactions.js";
import { exclusive, lockName, shared, withLocks } from "./writeLocks.js";
import { randomBytes } from "node:crypto";
import { toPlain, recordId } from "./values.js";
import type { AccessLevel } from "../domain/credentials.js";
import type { PrincipalName, StoredContext, StoredKey } from "../domain/models.js";
import { storedScope } from "../domain/scope.js";

/** Namespace/database of the control plane (DESIGN §6). */
export const CONTROL_NS = "scopegate";
export const CONTROL_DB = "control";

export type { StoredContext, StoredKey };

/** A fresh per-Context record-token signing key: 384 bits as hex (HS512 wants ≥ 512-bit keys' worth of entropy; 384 is plenty). */
export const newAccessKey = () => randomBytes(48).toString("hex");

/**
 * The control plane: Contexts, keys and gateway settings in ns `scopegate`, db `control`.
 * Runs on its own root session; tenant data never goes through here.
 */
export class ControlStore {
  private constructor(private readonly db: Surreal) {}

  static async open(root: Surreal): Promise<ControlStore> {
    const db = await root.newSession();
    await db.query(`DEFINE NAMESPACE IF NOT EXISTS ${CONTROL_NS}`).collect();
    await db.use({ namespace: CONTROL_NS, database: CONTROL_DB });
    await db
      .query(`
      DEFINE DATABASE IF NOT EXISTS ${CONTROL_DB};
      DEFINE TABLE IF NOT EXISTS context SCHEMALESS;
      DEFINE INDEX IF NOT EXISTS context_target ON context FIELDS namespace, database UNIQUE;
      DEFINE INDEX IF NOT EXISTS context_auth_issuer ON context FIELDS config.auth.issuer;
      DEFINE TABLE IF NOT EXISTS key SCHEMALESS;
      DEFINE INDEX IF NOT EXISTS key_context ON key FIELDS context_id, name;
      DEFINE TABLE IF NOT EXISTS setting SCHEMALESS;
      DEFINE TABLE IF NOT EXISTS lease SCHEMALESS;
    `)
      .collect();
    return new ControlStore(db as unknown as Surreal);
  }

  private async q<T = any>(sql: string, vars?: Record<string, unknown>): Promise<T[]> {
    const results = await this.db.query(sql, vars).collect();
    return toPlain(results) as T[];
  }

  /**
   * Runs `work` holding the exclusive locks on these control-plane rows (writeLocks.ts): writes
   * of one row in this process never overlap, so none is lost to another (the embedded engine's
   * conflict check can let two concurrent commits of one row both pass; a revocation overwritten
   * by a last-used update would be one). Names: `key:<id>`, `context:<id>`, `lease:<name>`, …
   */
  serialized<T>(rows: readonly string[], work: () => Promise<T>): Promise<T> {
    return withLocks(
      rows.map((r) => exclusive(lockName(CONTROL_NS, CONTROL_DB, r))),
      work,
    );
  }

  /**
   * Runs `work` while the Context `id` cannot be deleted: its deletion (which holds
   * `context-data:<id>` exclusively, see ContextService.delete) waits until `work` is done, and
   * several such works run together. For long management work on a Context's data (redaction,
   * retention) that would otherwise fail half-way when its database disappears.
   */
  whileContextStands<T>(id: string, work: () => Promise<T>): Promise<T> {
    return withLocks([shared(lockName(CONTROL_NS, CONTROL_DB, `context-data:${id}`))], work);
  }

  /** Fails when the database does not answer within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.q("RETURN 1"), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Takes or renews a named lease for `ttlMs` unless another holder's lease is still running:
   * one transaction, so of several replicas asking at once exactly one gets it.
   */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    try {
      await runTransaction(
        this.db as unknown as SurrealSession,
        `BEGIN;
        LET $l = (SELECT * FROM ONLY $id);
        IF $l != NONE AND $l.holder != $holder AND $l.expires_at > time::now() { THROW 'lease held' };
        UPSERT $id SET holder = $holder, expires_at = time::now() + <duration> $ttl;
        COMMIT;`,
        { id: recordId("lease", name), holder, ttl: `${Math.ceil(ttlMs)}ms` },
        { markers: ["lease held"], locks: [exclusive(`lease:${name}`)] },
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionThrow) return false;
      throw err;
    }
  }

  /** A gateway-wide secret, created once and shared by every replica through the control plane. */
  async setting(name: string, create: () => string): Promise<string> {
    const [rows] = await this.q<any[]>("SELECT data FROM $id", { id: recordId("setting", name) });
    if (rows?.[0]?.data) return rows[0].data;
    const [created] = await this.serialized([`setting:${name}`], () =>
      this.q<any[]>("INSERT INTO setting { id: $id, data: $data } ON DUPLICATE KEY UPDATE data = data RETURN data", {
        id: recordId("setting", name),
        data: create(),
      }),
    );
    return created![0].data;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.serialized([`setting:${name}`], () =>
      this.q("UPSERT $id SET data = $data", { id: recordId("setting", name), data: value }),
    );
  }

  async getSetting(name: string): Promise<string | null> {
    const [rows] = await this.q<any[]>("SELECT data FROM $id", { id: recordId("setting", name) });
    return rows?.[0]?.data ?? null;
  }

  async insertContext(ctx: StoredContext): Promise<"ok" | "duplicate-id" | "duplicate-target"> {
    // Check and create one at a time per id and per target: snapshot isolation would let two
    // concurrent creates both pass the check (they write different rows).
    return this.serialized([`context:${ctx.id}`, `context-target:${ctx.namespace}/${ctx.database}`], () =>
      this.insertContextNow(ctx),
    );
  }

  private async insertContextNow(ctx: StoredContext): Promise<"ok" | "duplicate-id" | "duplicate-target"> {
    const [existing] = await this.q<any[]>(
      "SELECT record::id(id) AS id, namespace, database FROM context WHERE id = $id OR (namespace = $ns AND database = $db)",
      { id: recordId("context", ctx.id), ns: ctx.namespace, db: ctx.database },
    );
    if (existing?.some((r) => r.id === ctx.id)) return "duplicate-id";
    if (existing?.length) return "duplicate-target";
    try {
      await this.q("CREATE $id CONTENT $content", {
        id: recordId("context", ctx.id),
        content: {
          namespace: ctx.namespace,
          database: ctx.database,
          config: ctx.config,
          providers: ctx.providers,
          access_key: ctx.accessKey,
          created_at: new Date(),
        },
      });
      return "ok";
    } catch (err) {
      if (/already exists|already contains/i.test((err as Error).message)) return "duplicate-id";
      throw err;
    }
  }

  /**
   * Gives every Context without its own record-token key one (Contexts created before keys were
   * per Context); returns how many were given one. Run at start-up before migrations.
   */
  async ensureAccessKeys(): Promise<number> {
    const [rows] = await this.q<any[]>("SELECT VALUE record::id(id) FROM context WHERE access_key = NONE");
    for (const id of rows ?? []) {
      await this.q("UPDATE $id SET access_key = $key WHERE access_key = NONE", {
        id: recordId("context", id),
        key: newAccessKey(),
      });
    }
    return rows?.length ?? 0;
  }

  async contexts(): Promise<StoredContext[]> {
    const [rows] = await this.q<any[]>("SELECT * FROM context ORDER BY id");
    return (rows ?? []).map(contextFromRow);
  }

  async contextsByIds(ids: readonly string[]): Promise<(StoredContext | null)[]> {
    const [rows] = await this.q<any[]>("SELECT * FROM $ids", { ids: ids.map((id) => recordId("context", id)) });
    const byId = new Map((rows ?? []).map((r) => [r.id, contextFromRow(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Contexts whose external auth trusts `issuer` (an indexed lookup, read per request so a
   * config change applies on the next one on every replica); at most `limit`.
   */
  async contextsTrustingIssuer(issuer: string, limit = 16): Promise<StoredContext[]> {
    const [rows] = await this.q<any[]>(`SELECT * FROM context WHERE config.auth.issuer = $issuer LIMIT ${limit}`, {
      issuer,
    });
    return (rows ?? []).map(contextFromRow);
  }

  /** Writes a Context's config; the caller holds `context:<id>` (see ContextService.update). */
  async updateContext(id: string, config: Record<string, unknown>, providers: Record<string, string>): Promise<void> {
    await this.q("UPDATE $id SET config = $config, providers = $providers", {
      id: recordId("context", id),
      config,
      providers,
    });
  }

  /** Removes a Context's row and its keys; the caller holds `context:<id>` (see ContextService.delete). */
  async deleteContext(id: string): Promise<void> {
    await this.q("BEGIN; DELETE key WHERE context_id = $cid; DELETE $id; COMMIT;", {
      id: recordId("context", id),
      cid: id,
    });
  }

  async insertKey(key: StoredKey): Promise<"ok" | "duplicate-name"> {
    // Check-and-create in one transaction, one at a time per name (the two creates write
    // different rows, so snapshot isolation alone would let both pass the check).
    return this.serialized([`key-name:${key.contextId}/${key.name}`], () => this.insertKeyNow(key));
  }

  private async insertKeyNow(key: StoredKey): Promise<"ok" | "duplicate-name"> {
    try {
      await this.q(
        `BEGIN;
         IF array::len(SELECT id FROM key WHERE context_id = $c.context_id AND name = $c.name AND revoked_at = NONE) > 0 {
           THROW "duplicate key name";
         };
         CREATE $id CONTENT $c;
         COMMIT;`,
        { id: recordId("key", key.id), c: keyToRow(key) },
      );
      return "ok";
    } catch (err) {
      if (/duplicate key name/.test((err as Error).message)) return "duplicate-name";
      throw err;
    }
  }

  async keysOfContext(contextId: string): Promise<StoredKey[]> {
    const [rows] = await this.q<any[]>(
      "SELECT * FROM key WHERE context_id = $cid AND revoked_at = NONE ORDER BY created_at",
      { cid: contextId },
    );
    return (rows ?? []).map(keyFromRow);
  }

  async activeKeyByName(contextId: string, name: string): Promise<StoredKey | null> {
    const [rows] = await this.q<any[]>(
      "SELECT * FROM key WHERE context_id = $cid AND name = $name AND revoked_at = NONE LIMIT 1",
      { cid: contextId, name },
    );
    return rows?.[0] ? keyFromRow(rows[0]) : null;
  }

  /** One round trip per request: the key row and its Context row. */
  async keyWithContext(keyId: string): Promise<{ key: StoredKey; context: StoredContext } | null> {
    const [rows] = await this.q<any[]>("SELECT *, type::record('context', context_id).* AS ctx FROM ONLY $id", {
      id: recordId("key", keyId),
    });
    const row = Array.isArray(rows) ? rows[0] : rows;
    if (!row?.ctx?.id) return null;
    return { key: keyFromRow(row), context: contextFromRow(row.ctx) };
  }

  async revokeKey(keyId: string): Promise<void> {
    await this.serialized([`key:${keyId}`], () =>
      this.q("UPDATE $id SET revoked_at = time::now()", { id: recordId("key", keyId) }),
    );
  }

  async replaceKeyHash(keyId: string, hash: string): Promise<void> {
    await this.serialized([`key:${keyId}`], () =>
      this.q("UPDATE $id SET hash = $hash, rotated_at = time::now()", { id: recordId("key", keyId), hash }),
    );
  }

  /** Last uses of keys; holds each key row's lock, so a revocation or rotation is never overwritten by it. */
  async recordLastUsed(entries: ReadonlyArray<[string, Date]>): Promise<void> {
    if (entries.length === 0) return;
    await this.serialized(
      entries.map(([id]) => `key:${id}`),
      () => this.q("FOR $e IN $entries { UPDATE type::record('key', $e[0]) SET last_used_at = $e[1] }", { entries }),
    );
  }
}

function contextFromRow(r: any): StoredContext {
  return {
    id: r.id,
    namespace: r.namespace,
    database: r.database,
    config: r.config ?? {},
    providers: r.providers ?? {},
    accessKey: r.access_key ?? "",
    createdAt: r.created_at,
  };
}

function keyToRow(k: StoredKey) {
  return {
    context_id: k.contextId,
    name: k.name,
    principal: k.principal,
    scope_floor: k.scopeFloor,
    access: k.access,
    hash: k.hash,
    created_at: new Date(k.createdAt),
    expires_at: k.expiresAt ? new Date(k.expiresAt) : undefined,
  };
}

function keyFromRow(r: any): StoredKey {
  return {
    id: r.id,
    contextId: r.context_id,
    name: r.name,
    principal: r.principal as PrincipalName,
    scopeFloor: storedScope(r.scope_floor),
    // Keys created before issue 12 have no access field: they could always write.
    access: (r.access === "READ" ? "READ" : "READ_WRITE") as AccessLevel,
    hash: r.hash,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at ?? null,
    expiresAt: r.expires_at ?? null,
    revokedAt: r.revoked_at ?? null,
  };
}
