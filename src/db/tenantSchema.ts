/**
 * Versioned migrations for a Context's own ns/db (DESIGN §6): tenant tables, the
 * record-user access method, and the PERMISSIONS that enforce a key's floor inside
 * SurrealDB itself (layer 3, DESIGN §4). Clauses read the floor from the session's
 * gateway-signed JWT: `ftags` ("dim=value" tags), `fdims` (dimension names), `kid` (the owner),
 * `principal` and, from migration 11 on, `access` (READ sessions may not change tenant data).
 */

export const ACCESS_NAME = "scopegate_key";

/** Select: the record's scope does not contradict the floor (its tags on floor dims equal the floor's). */
export const READ_CLAUSE =
  "array::len(array::intersect(dims, $token.fdims)) = array::len(array::intersect(tags, $token.ftags))";
/** Create/update: the record carries every floor tag. */
export const WRITE_CLAUSE = "tags CONTAINSALL $token.ftags";
/** Delete: within the floor, and agents only their own records. */
export const DELETE_CLAUSE = `${WRITE_CLAUSE} AND ($token.principal = 'SUPERVISOR' OR owner = $token.kid)`;

export const TENANT_TABLES = [
  "session",
  "turn",
  "memory",
  "document",
  "chunk",
  "partition",
  "decision_trace",
  "partition_tag",
] as const;

/** The session's token allows changing tenant data (migration 11): absent or READ → refused, so it fails closed. */
export const WRITABLE_CLAUSE = "$token.access = 'READ_WRITE'";

/**
 * Tables a READ session may still create rows in, under its floor: its model calls' decision
 * traces (a recall with a remote embedding model is traced and budgeted like any call) and the
 * partition row such a trace registers. Never update or delete.
 */
const READER_CREATES: ReadonlySet<string> = new Set(["decision_trace", "partition", "partition_tag"]);

/**
 * Migration 11's permissions of a tenant table: migration 10's floor clauses, and every create,
 * update and delete also needs a READ_WRITE token (except READER_CREATES' creates). DEFINE TABLE
 * OVERWRITE replaces the table's definition only; its fields, indexes and rows stay.
 */
export function accessAwareTable(name: (typeof TENANT_TABLES)[number]): string {
  const create = READER_CREATES.has(name) ? WRITE_CLAUSE : `${WRITE_CLAUSE} AND ${WRITABLE_CLAUSE}`;
  return `
    DEFINE TABLE OVERWRITE ${name} SCHEMAFULL PERMISSIONS
      FOR select WHERE ${READ_CLAUSE}
      FOR create WHERE ${create}
      FOR update WHERE ${WRITE_CLAUSE} AND ${WRITABLE_CLAUSE}
      FOR delete WHERE ${DELETE_CLAUSE} AND ${WRITABLE_CLAUSE};`;
}

/** The scope columns the floor clauses and layer-2 predicates read, for a gateway-internal table (no owner). */
function scopeFields(name: string): string {
  return `DEFINE FIELD OVERWRITE scope ON ${name} TYPE object FLEXIBLE;
      DEFINE FIELD OVERWRITE tags ON ${name} VALUE array::map(object::entries(scope), |$e| string::concat($e[0], '=', $e[1]));
      DEFINE FIELD OVERWRITE dims ON ${name} VALUE object::keys(scope);
      DEFINE FIELD OVERWRITE created_at ON ${name} TYPE datetime DEFAULT time::now() READONLY;`;
}

function scopedTable(name: string, fields: string): string {
  return `
    DEFINE TABLE OVERWRITE ${name} SCHEMAFULL PERMISSIONS
      FOR select WHERE ${READ_CLAUSE}
      FOR create, update WHERE ${WRITE_CLAUSE}
      FOR delete WHERE ${DELETE_CLAUSE};
    DEFINE FIELD OVERWRITE scope ON ${name} TYPE object FLEXIBLE;
    DEFINE FIELD OVERWRITE tags ON ${name} VALUE array::map(object::entries(scope), |$e| string::concat($e[0], '=', $e[1]));
    DEFINE FIELD OVERWRITE dims ON ${name} VALUE object::keys(scope);
    DEFINE FIELD OVERWRITE owner ON ${name} TYPE option<string> VALUE $token.kid ?? $value READONLY;
    DEFINE FIELD OVERWRITE created_at ON ${name} TYPE datetime DEFAULT time::now() READONLY;
    ${fields}`;
}

/**
 * Fields of a recallable record (memory, chunk). Lexical and vector tiers read them from the
 * caller's partitions only: `terms` (analyzed term → frequency, as a JSON string) and `len` feed
 * BM25 with corpus statistics of exactly what the caller may see; `emb` is the float32 embedding
 * as bytes. Both are opaque to SurrealDB on purpose: only the gateway reads them, and a
 * FLEXIBLE object of ~15 keys cost ~20% of insert time (a byte string costs nothing).
 */
function recallFields(table: string): string {
  return `
    DEFINE FIELD OVERWRITE text ON ${table} TYPE string;
    DEFINE FIELD OVERWRITE terms ON ${table} TYPE string;
    DEFINE FIELD OVERWRITE len ON ${table} TYPE int;
    DEFINE FIELD OVERWRITE emb ON ${table} TYPE option<bytes>;
    DEFINE FIELD OVERWRITE emb_model ON ${table} TYPE option<string>;`;
}

/**
 * The first migration of the current storage layout. Databases migrated by an older layout
 * (versions below this) are refused at start-up with a clear line instead of being misread.
 */
export const LAYOUT_BASELINE = 10;

export const TENANT_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    // Every tenant table is partitioned by scope (ids [scopeKey, …], see db/partitions.ts):
    // range scans of the caller's partitions replace tag indexes, so cost follows the tenant.
    version: LAYOUT_BASELINE,
    sql: [
      scopedTable(
        "session",
        `
        DEFINE FIELD OVERWRITE metadata ON session TYPE option<object> FLEXIBLE;
        DEFINE FIELD OVERWRITE ended_at ON session TYPE option<datetime>;
        DEFINE FIELD OVERWRITE turn_count ON session TYPE int DEFAULT 0;`,
      ),
      // Turns are keyed [sessionScopeKey, sessionUlid, seq]: one seq per session by construction.
      scopedTable(
        "turn",
        `
        DEFINE FIELD OVERWRITE session ON turn TYPE record<session>;
        DEFINE FIELD OVERWRITE seq ON turn TYPE int;
        DEFINE FIELD OVERWRITE role ON turn TYPE string ASSERT $value IN ['USER', 'ASSISTANT', 'SYSTEM', 'TOOL'];
        DEFINE FIELD OVERWRITE content ON turn TYPE string;`,
      ),
      // No index on memory.session: it cost ~35% of insert time. Session.memories and recall's
      // sessionId filter read the caller's partitions (through the corpus cache) instead.
      scopedTable(
        "memory",
        `${recallFields("memory")}
        DEFINE FIELD OVERWRITE session ON memory TYPE option<record<session>>;
        DEFINE FIELD OVERWRITE source ON memory TYPE option<string>;
        DEFINE FIELD OVERWRITE metadata ON memory TYPE option<object> FLEXIBLE;`,
      ),
      scopedTable(
        "document",
        `
        DEFINE FIELD OVERWRITE title ON document TYPE string;
        DEFINE FIELD OVERWRITE mime_type ON document TYPE string;
        DEFINE FIELD OVERWRITE hash ON document TYPE string;
        DEFINE FIELD OVERWRITE bytes ON document TYPE int;
        DEFINE FIELD OVERWRITE tokens ON document TYPE int;
        DEFINE FIELD OVERWRITE chunk_count ON document TYPE int;
        DEFINE FIELD OVERWRITE metadata ON document TYPE option<object> FLEXIBLE;
        DEFINE FIELD OVERWRITE skey ON document VALUE record::id(id)[0];
        DEFINE INDEX OVERWRITE document_content ON document FIELDS skey, hash UNIQUE;`,
      ),
      scopedTable(
        "chunk",
        `${recallFields("chunk")}
        DEFINE FIELD OVERWRITE document ON chunk TYPE record<document>;
        DEFINE INDEX OVERWRITE chunk_document ON chunk FIELDS document;
        DEFINE FIELD OVERWRITE position ON chunk TYPE int;
        DEFINE FIELD OVERWRITE token_start ON chunk TYPE int;
        DEFINE FIELD OVERWRITE token_end ON chunk TYPE int;`,
      ),
      // One row per scope key in use (id = the key): supervisors list their subtree's partitions from it, and
      // its version, bumped by every write and delete of recallable records in the same transaction, keys the corpus cache.
      scopedTable(
        "partition",
        `
        DEFINE FIELD OVERWRITE version ON partition TYPE int DEFAULT 0;
        DEFINE FIELD OVERWRITE first ON partition TYPE option<string>;`,
      ),
      // Decision traces: the usage ledger of record, one row per LLM call at the caller's scope.
      scopedTable(
        "decision_trace",
        `
        DEFINE FIELD OVERWRITE model ON decision_trace TYPE option<string>;
        DEFINE FIELD OVERWRITE purpose ON decision_trace TYPE option<string>;
        DEFINE FIELD OVERWRITE prompt_tokens ON decision_trace TYPE int DEFAULT 0;
        DEFINE FIELD OVERWRITE completion_tokens ON decision_trace TYPE int DEFAULT 0;
        DEFINE FIELD OVERWRITE principal ON decision_trace TYPE option<string> VALUE $token.principal ?? $value READONLY;
        DEFINE FIELD OVERWRITE latency_ms ON decision_trace TYPE int DEFAULT 0;
        DEFINE FIELD OVERWRITE session ON decision_trace TYPE option<record<session>>;
        DEFINE FIELD OVERWRITE outcome ON decision_trace TYPE string ASSERT $value IN ['SUCCESS', 'ERROR'];
        DEFINE FIELD OVERWRITE error ON decision_trace TYPE option<string>;`,
      ),
      // Gateway-internal tables no record user may touch.
      `
      DEFINE TABLE OVERWRITE budget SCHEMALESS PERMISSIONS NONE;
      DEFINE TABLE OVERWRITE usage_rollup SCHEMALESS PERMISSIONS NONE;
      DEFINE TABLE OVERWRITE audit_event SCHEMALESS PERMISSIONS NONE;`,
    ].join("\n"),
  },
  {
    // Issue 12: READ credentials (READ keys, browser tokens, external JWTs). Their sessions carry
    // `access: 'READ'`, and the database itself refuses their writes, whatever layers 1–2 did.
    version: 11,
    sql: TENANT_TABLES.filter((t) => t !== "partition_tag")
      .map(accessAwareTable)
      .join("\n"),
  },
  {
    // Issue 11: a supervisor (or a delete "at or under" a scope) finds its partitions without
    // scanning other tenants'. `partition_tag:[tag, scopeKey]` lists, per tag, the partitions
    // carrying it (a key range per tag, guarded like the partitions themselves); `partition.dimset`
    // (indexed) and the tiny `partition_dimset` table find the partitions that lack a dimension.
    // Array CONTAINS does not use an index on SurrealDB 3.0.2; equality and key ranges do. (FOR over
    // a subquery fails when it is empty on 3.0.2, hence the LET.)
    version: 12,
    sql: `
      ${accessAwareTable("partition_tag")}
      DEFINE FIELD OVERWRITE scope ON partition_tag TYPE object FLEXIBLE;
      DEFINE FIELD OVERWRITE tags ON partition_tag VALUE array::map(object::entries(scope), |$e| string::concat($e[0], '=', $e[1]));
      DEFINE FIELD OVERWRITE dims ON partition_tag VALUE object::keys(scope);
      DEFINE FIELD OVERWRITE owner ON partition_tag TYPE option<string> VALUE $token.kid ?? $value READONLY;
      DEFINE FIELD OVERWRITE created_at ON partition_tag TYPE datetime DEFAULT time::now() READONLY;
      DEFINE FIELD OVERWRITE dimset ON partition VALUE array::join(array::sort(object::keys(scope)), ',');
      DEFINE INDEX OVERWRITE partition_dimset_idx ON partition FIELDS dimset;
      DEFINE TABLE OVERWRITE partition_dimset SCHEMALESS PERMISSIONS FOR select, create, update FULL FOR delete NONE;
      LET $existing = (SELECT id, scope, tags, dimset FROM partition);
      FOR $p IN $existing {
        FOR $t IN $p.tags { UPSERT type::record('partition_tag', [$t, record::id($p.id)]) SET scope = $p.scope; };
        UPSERT type::record('partition_dimset', [$p.dimset]);
      };`,
  },
  {
    // Issue 10: rows every tenant write transaction checks (tenantQueries.ts WRITE_CHECKS), written
    // by the gateway's root session only.
    // - credential:<key id>: the key was revoked, or rotated away from the generations in
    //   `retired`; a record user may read its own key's row.
    // - fence: a redaction of `scope` is running until `expires_at` (it renews it as it goes, so a
    //   crashed redaction's fence lapses by itself). A record user reads the fences that do not
    //   contradict its floor, which are all that can cover a scope it may write at.
    version: 13,
    sql: `
      DEFINE TABLE OVERWRITE credential SCHEMAFULL PERMISSIONS
        FOR select WHERE record::id(id) = $token.kid
        FOR create, update, delete NONE;
      DEFINE FIELD OVERWRITE revoked ON credential TYPE bool DEFAULT false;
      DEFINE FIELD OVERWRITE retired ON credential TYPE array<string> DEFAULT [];
      DEFINE TABLE OVERWRITE fence SCHEMAFULL PERMISSIONS
        FOR select WHERE ${READ_CLAUSE}
        FOR create, update, delete NONE;
      DEFINE FIELD OVERWRITE scope ON fence TYPE object FLEXIBLE;
      DEFINE FIELD OVERWRITE tags ON fence VALUE array::map(object::entries(scope), |$e| string::concat($e[0], '=', $e[1]));
      DEFINE FIELD OVERWRITE dims ON fence VALUE object::keys(scope);
      DEFINE FIELD OVERWRITE expires_at ON fence TYPE datetime;
      DEFINE FIELD OVERWRITE created_at ON fence TYPE datetime DEFAULT time::now() READONLY;`,
  },
  {
    // Issue 11: persisted corpus snapshots (corpusSnapshots.ts), so a cold recall reads a few rows
    // per partition instead of every record.
    // - partition.appends counts the version bumps that only added records (register with a
    //   logged table); version − appends therefore counts every other change (delete, rewrite,
    //   redaction, retention), whatever code makes it: a snapshot taken at `rewrites` is valid
    //   while that difference is unchanged.
    // - partition_log:[table, key, version]: the ULIDs of the memories (or chunks) one append
    //   transaction added to a partition, at the version it bumped the partition to. A valid
    //   snapshot's missing records are those of the log rows past its version: one key range,
    //   whatever order concurrent writers committed in. Every other change empties the
    //   partition's log (no snapshot older than it can be valid any more), and a snapshot write at
    //   version v deletes the log up to v and sets `log_floor_<table>` = v (a view older than v can
    //   no longer be completed from the log, and reloads the snapshot instead): the log holds only
    //   the appends past the persisted snapshot. (A per-record version with an
    //   index on (partition, version) did the same job at twice the cost of a 1,000-row
    //   rememberMany.)
    // - corpus_segment:[table, key, -1]: a snapshot's header (label, parts, rows, format, last seq);
    //   corpus_segment:[table, key, i ≥ 0]: its rows in seq order, SEGMENT_ROWS per row, as opaque
    //   bytes (appends rewrite only the last one and add new ones). Record users read the
    //   segments and log rows of partitions they may read (the partition's own clause), write log
    //   rows where they may write, and delete both where they may write (a forget drops its
    //   partition's snapshot and log in its own transaction); only the gateway's root session
    //   writes segments.
    version: 14,
    sql: `
      DEFINE FIELD OVERWRITE appends ON partition TYPE option<int>;
      DEFINE FIELD OVERWRITE log_floor_memory ON partition TYPE option<int>;
      DEFINE FIELD OVERWRITE log_floor_chunk ON partition TYPE option<int>;
      DEFINE TABLE OVERWRITE partition_log SCHEMAFULL PERMISSIONS
        FOR select WHERE ${READ_CLAUSE}
        FOR create, delete WHERE ${WRITE_CLAUSE} AND ${WRITABLE_CLAUSE}
        FOR update NONE;
      ${scopeFields("partition_log")}
      DEFINE FIELD OVERWRITE ulids ON partition_log TYPE array<string>;
      DEFINE TABLE OVERWRITE corpus_segment SCHEMAFULL PERMISSIONS
        FOR select WHERE ${READ_CLAUSE}
        FOR delete WHERE ${WRITE_CLAUSE} AND ${WRITABLE_CLAUSE}
        FOR create, update NONE;
      ${scopeFields("corpus_segment")}
      DEFINE FIELD OVERWRITE rows ON corpus_segment TYPE int;
      DEFINE FIELD OVERWRITE data ON corpus_segment TYPE option<bytes>;
      DEFINE FIELD OVERWRITE created ON corpus_segment TYPE option<string>;
      DEFINE FIELD OVERWRITE version ON corpus_segment TYPE option<int>;
      DEFINE FIELD OVERWRITE rewrites ON corpus_segment TYPE option<int>;
      DEFINE FIELD OVERWRITE parts ON corpus_segment TYPE option<int>;
      DEFINE FIELD OVERWRITE format ON corpus_segment TYPE option<string>;
      DEFINE FIELD OVERWRITE last_seq ON corpus_segment TYPE option<string>;`,
  },
  {
    // Issue 11, deletes keep snapshots: a change that names the records it deleted or rewrote
    // removes only the data segments whose seq range holds one (PartitionRegistry.changed), in
    // its own transaction on the caller's session, and moves the header to the partition's new
    // `rewrites`, listing the removed segments as `holes`; a load reads those ranges from the
    // table; the deleted records' ULIDs leave the append log. So record users may now update a
    // header where they may write, but only `rewrites` and `holes` (every other field: the
    // label's other parts, bounds, the bytes, the scope, is still written by the gateway's root
    // session alone), and a log row's `ulids` where they may write (not its scope).
    // - bounds: per data segment, [first seq, last seq, rows] (format v8-columns/3).
    version: 15,
    sql: `
      DEFINE TABLE OVERWRITE corpus_segment SCHEMAFULL PERMISSIONS
        FOR select WHERE ${READ_CLAUSE}
        FOR update, delete WHERE ${WRITE_CLAUSE} AND ${WRITABLE_CLAUSE}
        FOR create NONE;
      ${[
        "scope TYPE object FLEXIBLE",
        "rows TYPE int",
        "data TYPE option<bytes>",
        "created TYPE option<string>",
        "version TYPE option<int>",
        "parts TYPE option<int>",
        "format TYPE option<string>",
        "last_seq TYPE option<string>",
        "bounds TYPE option<array<array>>",
      ]
        .map((f) => {
          const [name, ...type] = f.split(" ");
          return `DEFINE FIELD OVERWRITE ${name} ON corpus_segment ${type.join(" ")} PERMISSIONS FOR select FULL FOR create, update NONE;`;
        })
        .join("\n      ")}
      DEFINE FIELD OVERWRITE holes ON corpus_segment TYPE option<array<int>>;
      DEFINE TABLE OVERWRITE partition_log SCHEMAFULL PERMISSIONS
        FOR select WHERE ${READ_CLAUSE}
        FOR create, update, delete WHERE ${WRITE_CLAUSE} AND ${WRITABLE_CLAUSE};
      DEFINE FIELD OVERWRITE scope ON partition_log TYPE object FLEXIBLE PERMISSIONS FOR select, create FULL FOR update NONE;`,
  },
];

/**
 * The record-user access method, redefined at every start with the Context's own signing key
 * (issue 9: a token of one Context can never authenticate in another).
 */
export function accessDefinition(jwtKeyHex: string): string {
  if (!/^[0-9a-f]{64,}$/.test(jwtKeyHex)) throw new Error("JWT signing key must be hex");
  return `DEFINE ACCESS OVERWRITE ${ACCESS_NAME} ON DATABASE TYPE RECORD WITH JWT ALGORITHM HS512 KEY '${jwtKeyHex}' DURATION FOR SESSION 1h;`;
}
