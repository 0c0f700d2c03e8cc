import type { ApolloServerPlugin } from "@apollo/server";
import { isTenantCaller } from "../../domain/caller.js";
import { maskedCause } from "../../graphql/errorFormatting.js";
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
              log.error(
                { requestId: contextValue.requestId, path: e.path, err: maskedCause(e) },
                "masked internal error",
              );
            }
          }
          const caller = contextValue.caller;
          const tenant = caller && isTenantCaller(caller) ? caller : null;
          log.info(
            {
              requestId: contextValue.requestId,
              operation: operationName ?? request.operationName ?? null,
              outcome: outcomeOf(errors),
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              caller: caller?.kind,
              contextId: tenant?.context.id ?? null,
              // The key, or the key that issued the token; external JWT callers have none.
              keyId: tenant?.key?.id ?? null,
              dbQueries: contextValue.tenancy?.counter.queries ?? 0,
            },
            "graphql request",
          );
        },
      };
    },
  };
}
