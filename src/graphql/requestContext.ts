import type { Caller } from "../auth/caller.js";
import type { ExecutorFactory } from "../db/executorFactory.js";
import type { ContextService } from "../services/contextService.js";
import type { KeyService } from "../services/keyService.js";
import type { TenantService } from "../services/tenantService.js";
import type { RecallService } from "../services/recallService.js";
import type { DocumentService } from "../services/documentService.js";

/** What every resolver gets: the caller and the services bound to it for this request. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  contexts: ContextService;
  keys: KeyService;
  tenant: TenantService;
  recall: RecallService;
  documents: DocumentService;
  executors: ExecutorFactory;
}
