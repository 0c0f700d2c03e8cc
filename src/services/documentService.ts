import DataLoader from "dataloader";
import type { TenantService } from "./tenantService.js";
import { checkPartitionedId, metadataOf } from "./tenantService.js";
import { reduceToText, normalizeMimeType } from "../documents/reduce.js";
import { chunkText, countTokens } from "../documents/chunk.js";
import { contentHash } from "../documents/hash.js";
import { badInput, notFound } from "../errors.js";
import type { ChunkModel, DocumentModel, Page } from "./models.js";

const MAX_TITLE = 300;

export interface UploadInput {
  title: string;
  content: string;
  mimeType: string;
  scope?: unknown;
  metadata?: unknown;
  contextId?: string | null;
}

/**
 * Documents: reduced to text, chunked by the Context's `chunking` (in tokens), indexed for
 * recall, and deduplicated by content hash within a scope. A document and its chunks are
 * written in one transaction and deleted in one.
 */
export class DocumentService {
  private readonly chunkLoaders = new Map<string, DataLoader<string, ChunkModel[]>>();

  constructor(private readonly tenant: TenantService) {}

  async upload(input: UploadInput): Promise<{ document: DocumentModel; deduplicated: boolean }> {
    const bytes = Buffer.byteLength(input.content, "utf8");
    const limit = this.tenant.limits.documentMaxBytes;
    if (bytes > limit) throw badInput(`document content is ${bytes} bytes; the limit is ${limit} bytes`);
    const title = input.title.trim();
    if (title.length === 0 || title.length > MAX_TITLE) throw badInput(`title must be 1–${MAX_TITLE} characters`);
    const mimeType = normalizeMimeType(input.mimeType);
    const text = reduceToText(input.content, mimeType);
    if (text.length === 0) throw badInput("document has no text content");
    const scope = this.tenant.writeScope(input.scope);
    const metadata = metadataOf(input.metadata);
    const exec = await this.tenant.exec(input.contextId);
    const hash = contentHash(input.content, mimeType);

    const existing = await exec.documents.findByContent(scope, hash);
    if (existing) return { document: existing, deduplicated: true };

    const { chunking } = (await this.tenant.contextConfig(input.contextId)).config;
    const pieces = chunkText(text, chunking);
    const indexed = await (await this.tenant.indexerFor(input.contextId, scope)).index(pieces.map((p) => p.text));
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
      const raced = /document_content/.test(String((err as Error).message))
        ? await exec.documents.findByContent(scope, hash)
        : null;
      if (raced) return { document: raced, deduplicated: true };
      throw err;
    }
  }

  async document(id: string, contextId?: string | null): Promise<DocumentModel> {
    const { effective, mode } = this.tenant.readScope(undefined);
    const [found] = await (await this.tenant.exec(contextId)).documents.byIds(
      [checkPartitionedId(id)],
      effective,
      mode,
    );
    if (!found) throw notFound("document");
    return found;
  }

  async documents(
    args: { first?: number | null; after?: string | null; scope?: unknown },
    contextId?: string | null,
  ): Promise<Page<DocumentModel>> {
    const { effective, mode } = this.tenant.readScope(args.scope);
    const { first, after } = this.tenant.pageArgs(args);
    return (await this.tenant.exec(contextId)).documents.page(effective, mode, first, after);
  }

  async delete(id: string, contextId?: string | null): Promise<boolean> {
    const { effective, mode } = this.tenant.readScope(undefined);
    const gone = await (await this.tenant.exec(contextId)).documents.delete(checkPartitionedId(id), effective, mode);
    if (!gone) throw notFound("document");
    return true;
  }

  /** A document's chunks, batched across documents of one request. */
  chunks(document: DocumentModel): Promise<ChunkModel[]> {
    let loader = this.chunkLoaders.get(document.contextId);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const { effective, mode } = this.tenant.readScope(undefined);
        const byDoc = await (await this.tenant.exec(document.contextId)).documents.chunksByDocumentIds(
          ids,
          effective,
          mode,
        );
        return ids.map((id) => byDoc.get(id) ?? []);
      });
      this.chunkLoaders.set(document.contextId, loader);
    }
    return loader.load(document.id);
  }

  /** The document a chunk cites (null if the caller cannot see it). */
  chunkDocument(chunk: ChunkModel): Promise<DocumentModel | null> {
    return this.document(chunk.documentId, chunk.contextId).catch((err) => {
      if (err?.extensions?.code === "NOT_FOUND") return null;
      throw err;
    });
  }
}
