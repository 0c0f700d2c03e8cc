import { DUPLICATE_CONTENT } from "../../db/tables/documentTable.js";
import { BadUserInputError, NotFoundError } from "../../domain/errors.js";
import type { ChunkModel, DocumentModel } from "../../domain/models.js";
import type { Scope } from "../../domain/scope.js";
import { chunkText, countTokens } from "../../documents/chunk.js";
import { contentHash } from "../../documents/hash.js";
import { normalizeMimeType, reduceToText } from "../../documents/reduce.js";
import type { TenantBinding } from "./binding.js";
import { indexerFor } from "./indexer.js";
import { metadataOf, pagedList, storableText } from "./inputs.js";

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
  return binding
    .loader<DocumentModel | null>("document", async (ids) => {
      const found = await (await binding.executor()).documents.byIds(ids, binding.access.byId());
      const byId = new Map(found.map((d) => [d.id, d]));
      return ids.map((i) => byId.get(i) ?? null);
    })
    .load(id);
}

/**
 * Documents: reduced to text, chunked by the Context's `chunking` (in tokens), indexed for
 * recall, and deduplicated by content hash within a scope. A document and its chunks are
 * written in one transaction and deleted in one.
 */
export class DocumentService {
  constructor(private readonly binding: TenantBinding) {}

  /** Errors: BAD_USER_INPUT (size, title, mime type, content), FORBIDDEN (scope outside the floor). */
  async upload(input: UploadInput): Promise<{ document: DocumentModel; deduplicated: boolean }> {
    const bytes = Buffer.byteLength(input.content, "utf8");
    const limit = this.binding.limits.documentMaxBytes;
    if (bytes > limit)
      throw new BadUserInputError(`document content is ${bytes} bytes; the limit is ${limit} bytes`, "content");
    const title = storableText(input.title.trim(), "title", { max: MAX_TITLE });
    const mimeType = normalizeMimeType(input.mimeType);
    const text = reduceToText(input.content, mimeType);
    if (text.length === 0) throw new BadUserInputError("document has no text content", "content");
    const scope = this.binding.access.write(input.scope);
    const metadata = metadataOf(input.metadata);
    const exec = await this.binding.executor();
    const hash = contentHash(input.content, mimeType);
    // The stored copy, if any, sits at exactly this scope: the list view of the same scope admits it.
    const sameScope = this.binding.access.list(input.scope);

    const existing = await exec.documents.findByContent(scope, hash, sameScope);
    if (existing) return { document: existing, deduplicated: true };

    const { chunking } = await this.binding.config();
    const pieces = chunkText(text, chunking);
    const indexed = await (await indexerFor(this.binding, scope)).index(pieces.map((p) => p.text));
    const chunks = pieces.map((p, i) => ({
      ...indexed[i]!,
      text: p.text,
      position: p.position,
      tokenStart: p.tokenStart,
      tokenEnd: p.tokenEnd,
    }));
    try {
      const document = await exec.documents.create(
        { scope, title, mimeType, hash, bytes, tokens: countTokens(text), metadata },
        chunks,
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

  /** A page of the list at the requested scope, oldest first; cursors belong to this list. */
  async page(args: { first?: number | null; after?: string | null; scope?: Scope | null }) {
    const view = this.binding.access.list(args.scope);
    const exec = await this.binding.executor();
    return pagedList("documents", view, args, (first, after) => exec.documents.page(view, first, after));
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
