import type { Caller } from "../auth/caller.js";
import type { ExecutorFactory } from "../db/executorFactory.js";
import type { ContextService } from "../services/contextService.js";
import type { KeyService } from "../services/keyService.js";
import type { TenantService } from "../services/tenantService.js";
import type { RecallService } from "../services/recallService.js";
import type { DocumentService } from "../services/documentService.js";
import type { AnswerService } from "../services/answerService.js";
import type { GovernanceService } from "../services/governanceService.js";

/** What every resolver gets: the caller and the services bound to it for this request. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  contexts: ContextService;
  keys: KeyService;
  tenant: TenantService;
  recall: RecallService;
  documents: DocumentService;
  answers: AnswerService;
  /** Management key only (a FORBIDDEN stand-in for everyone else). */
  governance: GovernanceService;
  executors: ExecutorFactory;
}
