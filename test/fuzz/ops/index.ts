/** Dispatches a generated operation to the code that sends it, checks the answer and updates the model. */
import type { OpContext } from "../context.js";
import type { Op } from "../operation.js";
import { deleteDocument, forgetIds, forgetQuery, forgetScope } from "./deletes.js";
import { aliasBatch, byId, entities, list } from "./reads.js";
import { answer, recall } from "./recall.js";
import { addTurn, createSession, endSession } from "./sessions.js";
import { decisionTraces, tokenUsage } from "./usage.js";
import { remember, rememberMany, uploadDocument } from "./writes.js";

export function execute(ctx: OpContext, op: Op): Promise<void> {
  switch (op.type) {
    case "remember":
      return remember(ctx, op);
    case "rememberMany":
      return rememberMany(ctx, op);
    case "uploadDocument":
      return uploadDocument(ctx, op);
    case "createSession":
      return createSession(ctx, op);
    case "addTurn":
      return addTurn(ctx, op);
    case "endSession":
      return endSession(ctx, op);
    case "memory":
    case "session":
    case "document":
      return byId(ctx, op);
    case "memories":
    case "sessions":
    case "documents":
      return list(ctx, op);
    case "aliasBatch":
      return aliasBatch(ctx, op);
    case "entities":
      return entities(ctx, op);
    case "recall":
    case "recallProbe":
      return recall(ctx, op);
    case "answer":
      return answer(ctx, op);
    case "forgetIds":
      return forgetIds(ctx, op);
    case "forgetScope":
      return forgetScope(ctx, op);
    case "forgetQuery":
      return forgetQuery(ctx, op);
    case "deleteDocument":
      return deleteDocument(ctx, op);
    case "tokenUsage":
      return tokenUsage(ctx, op);
    case "decisionTraces":
      return decisionTraces(ctx, op);
  }
}
