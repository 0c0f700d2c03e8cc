import type { TenantBinding } from "./binding.js";
import { recall, type RecallArgs, type RecallHitModel, type RecallMode } from "./retrieval.js";

export type { RecallArgs, RecallHitModel, RecallMode };

/** Recall within the caller's floor (issue 3): see retrieval.ts for how ranking stays per tenant. */
export class RecallService {
  constructor(private readonly binding: TenantBinding) {}

  recall(args: RecallArgs): Promise<{ hits: RecallHitModel[]; tookMs: number; mode: RecallMode }> {
    return recall(this.binding, args);
  }
}
