import { AnswerService } from "./answers.js";
import type { TenantBinding } from "./binding.js";
import { DocumentService } from "./documents.js";
import { LiveService } from "./live.js";
import { MemoryService } from "./memories.js";
import { RecallService } from "./recall.js";
import { ReindexService } from "./reindex.js";
import { SessionService } from "./sessions.js";
import { UsageService } from "./usage.js";

/**
 * The tenant plane of one binding (one caller in one Context): a service per job, each built
 * from the binding alone. Resolvers reach it as `ctx.tenant(contextId?)`.
 */
export class TenantApi {
  readonly sessions: SessionService;
  readonly memories: MemoryService;
  readonly documents: DocumentService;
  readonly recall: RecallService;
  readonly answers: AnswerService;
  readonly usage: UsageService;
  /** Management key only: bring rows to the Context's current analyzer and embedding model. */
  readonly reindex: ReindexService;
  readonly live: LiveService;

  constructor(readonly binding: TenantBinding) {
    this.sessions = new SessionService(binding);
    this.memories = new MemoryService(binding);
    this.documents = new DocumentService(binding);
    this.recall = new RecallService(binding);
    this.answers = new AnswerService(binding);
    this.usage = new UsageService(binding);
    this.reindex = new ReindexService(binding);
    this.live = new LiveService(binding);
  }
}
