import type { ApolloServerPlugin } from "@apollo/server";
import { isTenantCaller } from "../../domain/caller.js";
import type { RequestContext } from "../../graphql/requestContext.js";
import { type Metrics, operationLabel } from "../metrics.js";
import { outcomeOf } from "./requestLog.js";

/**
 * Request count and latency by operation (the root field: see operationLabel) and outcome, and
 * database round trips by Context, into Prometheus.
 */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue, schema }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operation }) {
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          metrics.observeRequest(
            operationLabel(operation, schema),
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
