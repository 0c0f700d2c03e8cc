import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginInlineTrace } from "@apollo/server/plugin/inlineTrace";
import type { RequestContext } from "../graphql/requestContext.js";

/**
 * The header a federation router sends to prove it is the deployment's router
 * (`SCOPEGATE_ROUTER_SECRET`). It is not a CORS-allowed header: browsers never send it.
 */
export const ROUTER_SECRET_HEADER = "scopegate-router-secret";

/**
 * Is this request from the router? True only when a router secret is configured and the
 * request's `scopegate-router-secret` header equals it. The comparison hashes both sides to
 * SHA-256 first, so it takes the same time whatever the header's length or content.
 */
export function routerVerifier(secret: string | undefined): (headers: IncomingHttpHeaders) => boolean {
  if (!secret) return () => false;
  const expected = createHash("sha256").update(secret).digest();
  return (headers) => {
    const sent = headers[ROUTER_SECRET_HEADER];
    if (typeof sent !== "string" || sent === "") return false;
    return timingSafeEqual(createHash("sha256").update(sent).digest(), expected);
  };
}

/**
 * Federation inline traces (`extensions.ftv1`: per-resolver timings, the query plan's trace)
 * only for the router with its secret or the management key. Apollo Server installs its
 * inline-trace plugin by itself for a subgraph schema and answers anyone sending
 * `apollo-federation-include-trace: ftv1`; here the automatic one is disabled and the same plugin
 * runs only for trusted callers. Error details in traces are masked (formatError does not
 * apply inside a trace).
 */
export function federationTracePlugins(): ApolloServerPlugin<RequestContext>[] {
  const inline = ApolloServerPluginInlineTrace({
    includeErrors: { masked: true },
  }) as ApolloServerPlugin<RequestContext>;
  const gated: ApolloServerPlugin<RequestContext> = {
    async requestDidStart(requestContext) {
      const { caller, trustedRouter } = requestContext.contextValue;
      if (caller.kind !== "MANAGEMENT" && trustedRouter !== true) return;
      return inline.requestDidStart?.(requestContext);
    },
  };
  return [ApolloServerPluginInlineTraceDisabled() as ApolloServerPlugin<RequestContext>, gated];
}
