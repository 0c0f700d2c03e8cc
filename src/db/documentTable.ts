import { RecordId } from "surrealdb";
import type { ScopedExecutor, Visibility } from "./scopedExecutor.js";
import { PartitionedTable, type RecallableFields } from "./partitionedTable.js";
import { decodePartitionedId, decodePartitionedIds, newUlid, scopeKey } from "./partitions.js";
import type { Scope } from "../scope/scope.js";
import type { ChunkModel, DocumentModel } from "../services/models.js";
import { transactionResult } from "./transactions.js";

const DOCUMENT_FIELDS = "id, title, mime_type, hash, bytes, tokens, chunk_count, scope, metadata, owner, created_at";
const CHUNK_FIELDS = "id, document, position, text, token_start, token_end, scope, created_at";

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

/**
 * Documents and their chunks. A document and its chunks share the document's partition, so
 * deleting or recalling them stays inside the tenant's ranges. Identical content in the same
 * scope is one document: a unique index on (scope key, content hash) settles races.
 */
export class DocumentTable extends PartitionedTable<DocumentModel> {
  readonly chunks: PartitionedTable<ChunkModel>;

  constructor(x: ScopedExecutor) {
    super(x, "document", DOCUMENT_FIELDS, (r) => documentModel(x.caller.contextId, r));
    this.chunks = new PartitionedTable(x, "chunk", CHUNK_FIELDS, (r) => chunkModel(x.caller.contextId, r));
  }

  /** The visible document with this content in this scope, if any (the dedup lookup). */
  async findByContent(scope: Scope, hash: string): Promise<DocumentModel | null> {
    const [rows] = await this.x.query(
      `SELECT ${DOCUMENT_FIELDS} FROM document WHERE skey = $skey AND hash = $hash LIMIT 1`,
      { skey: scopeKey(scope), hash },
    );
    return rows[0] ? this.model(rows[0]) : null;
  }

  /** Creates the document and all its chunks in one transaction, or nothing. */
  async create(doc: NewDocument, chunks: readonly NewChunk[]): Promise<DocumentModel> {
    this.x.assertWritable(doc.scope);
    const key = scopeKey(doc.scope);
    const documentId = new RecordId("document", [key, newUlid()]);
    const owner = this.x.caller.keyId ?? undefined;
    const rows = chunks.map((c) => ({
      id: new RecordId("chunk", [key, newUlid()]),
      document: documentId,
      position: c.position,
      token_start: c.tokenStart,
      token_end: c.tokenEnd,
      text: c.text,
      terms: JSON.stringify(c.terms),
      len: c.len,
      emb: c.emb ?? undefined,
      emb_model: c.embModel ?? undefined,
      scope: doc.scope,
      owner,
    }));
    const results = await this.x.query(
      `BEGIN;
       ${PartitionedTable.registerPartitions}
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
        partitions: PartitionedTable.partitionsOf([doc.scope]),
      },
      { outsideFloorOn: "outside floor" },
    );
    return this.model(transactionResult(results));
  }

  /** Chunks of many documents in one round trip, in position order. */
  async chunksByDocumentIds(
    ids: readonly string[],
    effective: Scope | null,
    mode: Visibility,
  ): Promise<Map<string, ChunkModel[]>> {
    const pairs = decodePartitionedIds(ids);
    const v = this.x.visible(effective, mode);
    const [rows] = await this.x.query(
      `SELECT id, (SELECT ${CHUNK_FIELDS} FROM chunk WHERE document = $parent.id AND ${v.where} ORDER BY position) AS items
       FROM array::map($pairs, |$p| type::record('document', $p))`,
      { ...v.vars, pairs },
    );
    return new Map(rows.map((r: any) => [r.id, (r.items ?? []).map(this.chunks.model)]));
  }

  /**
   * Deletes a visible, deletable document with all its chunks in one transaction; returns
   * false when there is nothing the caller may delete (answered as NOT_FOUND).
   */
  async delete(id: string, effective: Scope | null, mode: Visibility): Promise<boolean> {
    const [found] = await this.byIds([id], effective, mode);
    if (!found || !this.x.mayDelete(found)) return false;
    const guard = this.x.deleteGuard();
    const results = await this.x.query(
      `BEGIN;
       LET $doc = type::record('document', $pair);
       LET $gone = (DELETE $doc WHERE ${guard.where} RETURN BEFORE);
       IF array::len($gone) = 0 { THROW 'outside floor' };
       LET $chunks = (DELETE chunk WHERE document = $doc RETURN BEFORE);
       IF array::len($chunks) != $gone[0].chunk_count { THROW 'outside floor' };
       ${PartitionedTable.bumpPartitions}
       RETURN true;
       COMMIT;`,
      { ...guard.vars, pair: decodePartitionedId(id), bump: PartitionedTable.keysOfIds([id]) },
      { outsideFloorOn: "outside floor" },
    );
    return transactionResult(results) === true;
  }
}

function documentModel(contextId: string, r: any): DocumentModel {
  return {
    id: r.id,
    contextId,
    title: r.title,
    mimeType: r.mime_type,
    contentHash: r.hash,
    bytes: r.bytes,
    tokens: r.tokens,
    chunkCount: r.chunk_count,
    scope: r.scope ?? {},
    metadata: r.metadata ?? null,
    owner: r.owner ?? null,
    createdAt: r.created_at,
  };
}

function chunkModel(contextId: string, r: any): ChunkModel {
  return {
    id: r.id,
    contextId,
    documentId: r.document,
    position: r.position,
    text: r.text,
    tokenStart: r.token_start,
    tokenEnd: r.token_end,
    scope: r.scope ?? {},
    createdAt: r.created_at,
  };
}
