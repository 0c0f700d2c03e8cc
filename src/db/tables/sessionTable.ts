import { RecordId } from "surrealdb";
import type { RecordView } from "../../domain/access.js";
import type { SessionModel } from "../../domain/models.js";
import { scopeKey, storedScope, type Scope } from "../../domain/scope.js";
import { decodeRecordKey, newUlid } from "../ids.js";
import { partitionLocks, sessionLock, writtenAt } from "../partitions.js";
import { PartitionRegistry } from "./partitionRegistry.js";
import { PartitionedTable } from "./partitionedTable.js";
import type { TableContext } from "./tableContext.js";

const SESSION_FIELDS = "id, scope, metadata, owner, created_at, ended_at, turn_count";

interface SessionRow {
  id: string;
  scope?: Record<string, string>;
  metadata?: unknown;
  owner?: string;
  created_at: string;
  ended_at?: string;
  turn_count?: number;
}

/**
 * Sessions, partitioned by scope like memories (`session:[scopeKey, ulid]`), so listing a
 * tenant's sessions reads only its partitions. Turns live in `TurnTable`.
 */
export class SessionTable extends PartitionedTable<SessionModel> {
  constructor(t: TableContext) {
    super(t, "session", SESSION_FIELDS, (r: SessionRow) => sessionModel(t.actor.contextId, r));
  }

  /** A new session at `scope`, owned by the caller. Errors: FORBIDDEN outside the floor. */
  async create(scope: Scope, metadata: unknown): Promise<SessionModel> {
    this.t.predicates.assertWritable(scope);
    const ulid = newUlid();
    const key = scopeKey(scope);
    const id = new RecordId("session", [key, ulid]);
    const results = await this.t.q.transaction(
      `BEGIN;
       ${PartitionRegistry.register(null)}
       LET $s = (CREATE ONLY $id SET scope = $scope, metadata = $metadata, owner = $owner RETURN ${SESSION_FIELDS});
       IF $s = NONE { THROW 'outside floor' };
       RETURN $s;
       COMMIT;`,
      {
        id,
        scope,
        metadata: metadata ?? undefined,
        owner: this.t.actor.keyId ?? undefined,
        partitions: PartitionRegistry.partitionsOf([{ scope, ulid }]),
      },
      { writes: [scope], locks: partitionLocks([key], true) },
    );
    this.noteWritten([[key, ulid]]);
    return this.model(results.filter((r) => r && typeof r === "object" && !Array.isArray(r)).at(-1));
  }

  /**
   * Ends a session the caller owns (the management key: any) that `view` admits; ending twice
   * keeps the first time. Null when there is no such session.
   */
  async end(id: string, view: RecordView): Promise<SessionModel | null> {
    const key = decodeRecordKey(id);
    if (!key) return null;
    const p = this.t.predicates.view(view);
    const results = await this.t.q.transaction(
      `BEGIN;
       LET $s = (UPDATE $sid SET ended_at = ended_at ?? time::now() WHERE ${p.where} AND (owner = $owner OR $any) RETURN ${SESSION_FIELDS});
       RETURN $s[0];
       COMMIT;`,
      {
        ...p.vars,
        sid: new RecordId("session", key),
        owner: this.t.actor.keyId ?? "",
        any: this.t.actor.principal === "MANAGEMENT",
      },
      { writes: writtenAt(key[0]), locks: [...partitionLocks([key[0]], false), sessionLock(key)] },
    );
    const row = results.filter((r) => r && typeof r === "object" && !Array.isArray(r)).at(-1);
    return row ? this.model(row) : null;
  }
}

function sessionModel(contextId: string, r: SessionRow): SessionModel {
  return {
    id: r.id,
    contextId,
    scope: storedScope(r.scope),
    metadata: r.metadata ?? null,
    owner: r.owner ?? null,
    createdAt: r.created_at,
    endedAt: r.ended_at ?? null,
    turnCount: r.turn_count ?? 0,
  };
}
