import { RecordId } from "surrealdb";
import type { DeleteRule, RecordView } from "../../domain/access.js";
import type { ChunkModel, DocumentModel } from "../../domain/models.js";
import { scopeKey, storedScope, type Scope } from "../../domain/scope.js";
import { Predicates } from "../executor/predicates.js";
import { decodeRecordKey, decodeRecordKeys, newUlid } from "../ids.js";
import { partitionLocks } from "../partitions.js";
import { transactionResult } from "../transactions.js";
import { PartitionRegistry } from "./partitionRegistry.js";
import { keysOfIds, PartitionedTable, type RecallableFields, recallableColumns } from "./partitionedTable.js";
import type { TableContext } from "./tableContext.js";

const DOCUMENT_FIELDS = "id, title, mime_type, hash, bytes, tokens, chunk_count, scope, metadata, owner, created_at";
const CHUNK_FIELDS = "id, document, position, text, token_start, token_end, scope, created_at";

interface DocumentRow {
  id: string;
  title: string;
  mime_type: string;
  hash: string;
  bytes: number;
  tokens: number;
  chunk_count: number;
  scope?: Record<string, string>;
  metadata?: Record<string, unknown>;
  owner?: string;
  created_at: string;
}

interface ChunkRow {
  id: string;
  document: string;
  position: number;
  text: string;
  token_start: number;
  token_end: number;
  scope?: Record<string, string>;
  created_at: string;
}

export interface NewDocument {
  scope: Scope;
  title: string;
  mimeType: string;
  hash: string;
  bytes: number;
  tokens: number;
  metadata: Record<string, unknown> | null;
}

export interface NewChunk extends RecallableFields {
  position: number;
  tokenStart: number;
  tokenEnd: number;
}

/** Marker of the unique (scope key, content hash) index: a concurrent upload of the same content won. */
export const DUPLICATE_CONTENT = "document_content";

/**
 * Documents and their chunks. A document and its chunks share the document's partition, so
 * deleting or recalling them stays inside the tenant's ranges. Identical content in the same
 * scope is one document: a unique index on (scope key, content hash) settles races.
 */
export class DocumentTable extends PartitionedTable<DocumentModel> {
  readonly chunks: PartitionedTable<ChunkModel>;

  constructor(t: TableContext) {
    super(t, "document", DOCUMENT_FIELDS, (r: DocumentRow) => documentModel(t.actor.contextId, r));
    this.chunks = new PartitionedTable(t, "chunk", CHUNK_FIELDS, (r: ChunkRow) => chunkModel(t.actor.contextId, r));
  }

  /** The document with this content in this scope that `view` admits, if any (the dedup lookup). */
  async findByContent(scope: Scope, hash: string, view: RecordView): Promise<DocumentModel | null> {
    const p = this.t.predicates.view(view);
    const [rows] = await this.t.q.run(
      `SELECT ${DOCUMENT_FIELDS} FROM document WHERE skey = $skey AND hash = $hash AND ${p.where} LIMIT 1`,
      { ...p.vars, skey: scopeKey(scope), hash },
    );
    return rows?.[0] ? this.model(rows[0]) : null;
  }

  /**
   * Creates the document and all its chunks in one transaction, or nothing. A concurrent upload
   * of the same content fails on the unique index with an error naming DUPLICATE_CONTENT.
   * With `signal`, the transaction does not start once it has aborted.
   */
  async create(doc: NewDocument, chunks: readonly NewChunk[], signal?: AbortSignal): Promise<DocumentModel> {
    this.t.predicates.assertWritable(doc.scope);
    const key = scopeKey(doc.scope);
    const documentUlid = newUlid();
    const documentId = new RecordId("document", [key, documentUlid]);
    const owner = this.t.actor.keyId ?? undefined;
    const chunkKeys = chunks.map((): [string, string] => [key, newUlid()]);
    const rows = chunks.map((c, i) => ({
      id: new RecordId("chunk", chunkKeys[i]!),
      document: documentId,
      position: c.position,
      token_start: c.tokenStart,
      token_end: c.tokenEnd,
      text: c.text,
      ...recallableColumns(c),
      scope: doc.scope,
      owner,
    }));
    const results = await this.t.q.transaction(
      `BEGIN;
       ${PartitionRegistry.register("chunk")}
       LET $doc = (CREATE ONLY $documentId SET title = $title, mime_type = $mime, hash = $hash, bytes = $bytes, tokens = $tokens,
         chunk_count = array::len($rows), scope = $scope, metadata = $metadata, owner = $owner RETURN ${DOCUMENT_FIELDS});
       IF $doc = NONE { THROW 'outside floor' };
       LET $made = (INSERT INTO chunk $rows RETURN id);
       IF array::len($made) != array::len($rows) { THROW 'outside floor' };
       RETURN $doc;
       COMMIT;`,
      {
        documentId,
        title: doc.title,
        mime: doc.mimeType,
        hash: doc.hash,
        bytes: doc.bytes,
        tokens: doc.tokens,
        scope: doc.scope,
        metadata: doc.metadata ?? undefined,
        owner,
        rows,
        partitions: PartitionRegistry.partitionsOf([{ scope: doc.scope, ulid: documentUlid }], chunkKeys),
      },
      { signal, writes: [doc.scope], locks: partitionLocks([key], true) },
    );
    this.noteWritten([[key, documentUlid]]);
    this.noteAppended("chunk", chunkKeys);
    return this.model(transactionResult(results));
  }

  /** Chunks of many documents in one round trip, in position order (the documents' own rule applies to their chunks). */
  async chunksByDocumentIds(ids: readonly string[], view: RecordView): Promise<Map<string, ChunkModel[]>> {
    const targets = decodeRecordKeys(ids).map(({ key }) => new RecordId("document", key));
    if (targets.length === 0) return new Map();
    const p = this.t.predicates.view(view);
    const [rows] = await this.t.q.run(
      `SELECT id, (SELECT ${CHUNK_FIELDS} FROM chunk WHERE document = $parent.id AND ${p.where} ORDER BY position) AS items
       FROM $targets WHERE ${p.where}`,
      { ...p.vars, targets },
    );
    return new Map(
      ((rows ?? []) as Array<{ id: string; items?: ChunkRow[] }>).map((r) => [
        r.id,
        (r.items ?? []).map(this.chunks.model),
      ]),
    );
  }

  /**
   * Deletes a document the view admits and the rule lets the caller delete, with all its chunks,
   * in one transaction; false when there is nothing the caller may delete (NOT_FOUND).
   */
  async delete(id: string, view: RecordView, rule: DeleteRule): Promise<boolean> {
    const key = decodeRecordKey(id);
    if (!key) return false;
    const p = Predicates.and(this.t.predicates.view(view), this.t.predicates.deletable(rule));
    const results = await this.t.q.transaction(
      `BEGIN;
       LET $gone = (DELETE $doc WHERE ${p.where} RETURN BEFORE);
       IF array::len($gone) = 0 { RETURN false };
       LET $chunks = (DELETE chunk WHERE document = $doc RETURN BEFORE);
       IF array::len($chunks) != $gone[0].chunk_count { THROW 'outside floor' };
       ${PartitionRegistry.bumpEach("$bump", { chunk: "$chunks.id" })}
       RETURN true;
       COMMIT;`,
      { ...p.vars, doc: new RecordId("document", key), bump: keysOfIds([id]) },
      { locks: partitionLocks([key[0]], true) },
    );
    return transactionResult(results) === true;
  }
}

function documentModel(contextId: string, r: DocumentRow): DocumentModel {
  return {
    id: r.id,
    contextId,
    title: r.title,
    mimeType: r.mime_type,
    contentHash: r.hash,
    bytes: r.bytes,
    tokens: r.tokens,
    chunkCount: r.chunk_count,
    scope: storedScope(r.scope),
    metadata: r.metadata ?? null,
    owner: r.owner ?? null,
    createdAt: r.created_at,
  };
}

function chunkModel(contextId: string, r: ChunkRow): ChunkModel {
  return {
    id: r.id,
    contextId,
    documentId: r.document,
    position: r.position,
    text: r.text,
    tokenStart: r.token_start,
    tokenEnd: r.token_end,
    scope: storedScope(r.scope),
    createdAt: r.created_at,
  };
}
