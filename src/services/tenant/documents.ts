import { DUPLICATE_CONTENT } from "../../db/tables/documentTable.js";
import { BadUserInputError, NotFoundError } from "../../domain/errors.js";
import type { ChunkModel, DocumentModel } from "../../domain/models.js";
import type { Scope } from "../../domain/scope.js";
import { contentHash } from "../../documents/hash.js";
import { normalizeMimeType, withoutByteOrderMark } from "../../documents/reduce.js";
import type { TenantBinding } from "./binding.js";
import { loadById } from "./byId.js";
import { indexerFor } from "./indexer.js";
import { metadataOf, type PageArgs, pagedList, storableText } from "./inputs.js";

const MAX_TITLE = 300;

export interface UploadInput {
  title: string;
  content: string;
  mimeType: string;
  scope?: Scope | null;
  metadata?: unknown;
}

/** A document by id as its caller may read it (null: unknown or invisible), batched per request. */
function loadDocument(binding: TenantBinding, id: string): Promise<DocumentModel | null> {
  return loadById(binding, "document", id, (exec) => exec.documents);
}

/**
 * Documents: reduced to text, chunked by the Context's `chunking` (in tokens), indexed for
 * recall, and deduplicated by content hash within a scope. A document and its chunks are
 * written in one transaction and deleted in one. The reduction, tokenizing, chunking and
 * analysis run as one task on the compute pool (a worker thread for large documents), so an
 * upload never holds the event loop for long; a request that timed out meanwhile writes nothing.
 */
export class DocumentService {
  constructor(private readonly binding: TenantBinding) {}

  /**
   * Errors: BAD_USER_INPUT (size, title, mime type, content: see `reduceToText`), FORBIDDEN
   * (scope outside the floor), RATE_LIMITED (the compute queue is full), and the request's
   * abort reason when it timed out before the write started (then nothing is stored).
   */
  async upload(input: UploadInput): Promise<{ document: DocumentModel; deduplicated: boolean }> {
    // A leading byte-order mark is an encoding signature, not content (see withoutByteOrderMark).
    const content = withoutByteOrderMark(input.content);
    const bytes = Buffer.byteLength(content, "utf8");
    const limit = this.binding.limits.documentMaxBytes;
    if (bytes > limit)
      throw new BadUserInputError(`document content is ${bytes} bytes; the limit is ${limit} bytes`, "content");
    const title = storableText(input.title.trim(), "title", { max: MAX_TITLE });
    const mimeType = normalizeMimeType(input.mimeType);
    const scope = this.binding.access.write(input.scope);
    const metadata = metadataOf(input.metadata);
    const exec = await this.binding.executor();
    const hash = contentHash(content, mimeType);
    // The stored copy, if any, sits at exactly this scope: the list view of the same scope admits it.
    const sameScope = this.binding.access.list(input.scope);

    const existing = await exec.documents.findByContent(scope, hash, sameScope);
    if (existing) return { document: existing, deduplicated: true };

    const [{ chunking }, indexer] = await Promise.all([this.binding.config(), indexerFor(this.binding, scope)]);
    const prepared = await this.binding.deps.compute.run(
      "prepareDocument",
      { content, mimeType, chunking, localEmbedding: indexer.storesLocalVectors },
      { chars: content.length, signal: this.binding.signal },
    );
    const indexed = await indexer.complete(
      prepared.chunks.map((c) => c.text),
      prepared.chunks,
    );
    const chunks = prepared.chunks.map((c, i) => ({
      ...indexed[i]!,
      text: c.text,
      position: c.position,
      tokenStart: c.tokenStart,
      tokenEnd: c.tokenEnd,
    }));
    try {
      const document = await exec.documents.create(
        { scope, title, mimeType, hash, bytes, tokens: prepared.tokens, metadata },
        chunks,
        this.binding.signal,
      );
      return { document, deduplicated: false };
    } catch (err) {
      // A concurrent upload of the same content won the unique index: answer with its document.
      const raced = String((err as Error).message).includes(DUPLICATE_CONTENT)
        ? await exec.documents.findByContent(scope, hash, sameScope)
        : null;
      if (raced) return { document: raced, deduplicated: true };
      throw err;
    }
  }

  /** Errors: NOT_FOUND. */
  async get(id: string): Promise<DocumentModel> {
    const found = await loadDocument(this.binding, id);
    if (!found) throw new NotFoundError("document");
    return found;
  }

  /** A page of the list at the requested scope, oldest first unless `orderBy` says otherwise; cursors belong to this list. */
  async page(args: PageArgs & { scope?: Scope | null }) {
    const view = this.binding.access.list(args.scope);
    const exec = await this.binding.executor();
    return pagedList("documents", view, args, "ASC", (req) => exec.documents.page(view, req));
  }

  /** One chunk by id, as `Document.chunks` would show it (the by-id rule of its document). Errors: NOT_FOUND. */
  async chunk(id: string): Promise<ChunkModel> {
    const found = await this.binding
      .loader<ChunkModel | null>("chunk", async (ids) => {
        const chunks = await (await this.binding.executor()).documents.chunks.byIds(ids, this.binding.access.byId());
        const byId = new Map(chunks.map((c) => [c.id, c]));
        return ids.map((i) => byId.get(i) ?? null);
      })
      .load(id);
    if (!found) throw new NotFoundError("chunk");
    return found;
  }

  /** Deletes a document the caller may delete, with its chunks. Errors: NOT_FOUND. */
  async delete(id: string): Promise<boolean> {
    const { access } = this.binding;
    const gone = await (await this.binding.executor()).documents.delete(id, access.byId(), access.deletes);
    if (!gone) throw new NotFoundError("document");
    return true;
  }

  /** A document's chunks in position order, batched across documents of one request. */
  chunks(document: DocumentModel): Promise<ChunkModel[]> {
    return this.binding
      .loader<ChunkModel[]>("chunks", async (ids) => {
        const byDoc = await (await this.binding.executor()).documents.chunksByDocumentIds(
          ids,
          this.binding.access.byId(),
        );
        return ids.map((id) => byDoc.get(id) ?? []);
      })
      .load(document.id);
  }

  /** The document a chunk cites (null if the caller cannot read it). */
  chunkDocument(chunk: ChunkModel): Promise<DocumentModel | null> {
    return loadDocument(this.binding, chunk.documentId);
  }
}
