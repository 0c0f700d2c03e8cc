import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { Gateway } from "../../gateway.js";
import type { RequestContext } from "../../graphql/requestContext.js";
import type { HttpLimits } from "../hardening.js";
import type { Admit } from "../rateLimits.js";
import { LiveHub, NOT_OVER_HTTP, SSE_PATH } from "./hub.js";
import { sseHandler } from "./sse.js";
import { attachWebSocket } from "./ws.js";

export { NOT_OVER_HTTP, SSE_PATH, WS_PATH } from "./hub.js";

/** The live transports of one HTTP server, as server.ts plugs them in. */
export interface LiveTransports {
  /** Serves the request when it is for the SSE path (true), else leaves it (false). */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Subscriptions over graphql-ws (WebSocket upgrade on /graphql) and graphql-sse (/graphql/stream),
 * both on the schema Apollo serves (same shield), with the POST path's document limits and rate
 * limits (`admission`: the same buckets, and the same client address). See ws.ts and sse.ts.
 */
export function attachLiveTransports(
  server: Server,
  gateway: Gateway,
  schema: GraphQLSchema,
  limits: HttpLimits,
  admission: { admit: Admit; addressOf: (req: IncomingMessage) => string },
): LiveTransports {
  const hub = new LiveHub(gateway, schema, limits, admission);
  const ws = attachWebSocket(server, hub);
  const sse = sseHandler(hub);
  return {
    async handle(req, res, pathname) {
      if (pathname !== SSE_PATH) return false;
      await sse(req, res);
      return true;
    },
    close: () => ws.close(),
  };
}

/**
 * Apollo plugin: a subscription sent to POST /graphql answers 400 `BAD_REQUEST` naming the live
 * transports, before anything executes (graphql-js would otherwise run the Subscription fields as
 * a query and fail with a masked 500). Over GET, Apollo answers 405 first (GET runs queries only);
 * its message is replaced by the same one, so both name where subscriptions go.
 */
export function refuseSubscriptionsOverHttp(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription")
            throw new GraphQLError(NOT_OVER_HTTP, { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
        },
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== "subscription" || response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          if (errors?.length === 1 && errors[0]?.extensions?.code === "BAD_REQUEST")
            response.body.singleResult.errors = [{ message: NOT_OVER_HTTP, extensions: { code: "BAD_REQUEST" } }];
        },
      };
    },
  };
}
