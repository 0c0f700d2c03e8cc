import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../../graphql/requestContext.js";
import { log } from "../../log.js";

/** The first error code of a response, or "ok": the request's outcome in logs and metrics. */
export function outcomeOf(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): string {
  return String(errors[0]?.extensions?.code ?? "ok");
}

/**
 * One pino line per GraphQL request: request id, operation, outcome (error code or `ok`),
 * duration, caller kind, Context, key id and database round trips. Masked internal errors get
 * the request id in `extensions.requestId`, so a client's report finds the logged cause.
 * Secrets never reach this plugin's lines (only ids); the logger's redaction list is a second net.
 */
export function requestLogPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName }) {
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          for (const e of errors) {
            const ext = e.extensions as Record<string, unknown> | undefined;
            if (ext?.code === "INTERNAL_SERVER_ERROR") {
              ext.requestId = contextValue.requestId;
              log.error({ requestId: contextValue.requestId, path: e.path }, "masked internal error");
            }
          }
          const caller = contextValue.caller;
          const key = caller?.kind === "CONTEXT_KEY" ? caller : null;
          log.info(
            {
              requestId: contextValue.requestId,
              operation: operationName ?? request.operationName ?? null,
              outcome: outcomeOf(errors),
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              caller: caller?.kind,
              contextId: key?.context.id ?? null,
              keyId: key?.key.id ?? null,
              dbQueries: contextValue.tenancy?.counter.queries ?? 0,
            },
            "graphql request",
          );
        },
      };
    },
  };
}
