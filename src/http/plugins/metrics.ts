import type { ApolloServerPlugin } from "@apollo/server";
import { isTenantCaller } from "../../domain/caller.js";
import type { RequestContext } from "../../graphql/requestContext.js";
import type { Metrics } from "../metrics.js";
import { outcomeOf } from "./requestLog.js";

/** Request count and latency by operation and outcome, and database round trips by Context, into Prometheus. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName }) {
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          metrics.observeRequest(
            operationName ?? request.operationName ?? null,
            outcomeOf(errors),
            (performance.now() - started) / 1000,
          );
          const queries = contextValue.tenancy?.counter.queries ?? 0;
          const caller = contextValue.caller;
          if (queries > 0) {
            metrics.dbQueries.inc(
              { context: caller && isTenantCaller(caller) ? caller.context.id : "management" },
              queries,
            );
          }
        },
      };
    },
  };
}
