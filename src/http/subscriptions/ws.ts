import { isTenantCaller } from "../../domain/caller.js";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { CloseCode, type Context as WsContext } from "graphql-ws";
// Not a React hook, whatever its name says: graphql-ws's binding of its server to a `ws` server.
import { useServer as bindGraphqlWs } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import { RateLimitedError } from "../../domain/errors.js";
import { log } from "../../log.js";
import { type LiveConnection, type LiveHub, secretOf, WS_PATH } from "./hub.js";

/** Largest WebSocket message accepted, in bytes (a subscribe message is one document and its variables). */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Ping every this many ms; a client that does not pong within as long is dropped (graphql-ws's keep-alive). */
const KEEP_ALIVE_MS = 12_000;
/** After a stream ended UNAUTHENTICATED, the socket closes at the latest one check interval plus this later. */
const REVOKED_CLOSE_GRACE_MS = 1000;

/** Close code for a connection refused by the rate limit (4000–4999 are the application's; graphql-ws uses 44xx for HTTP-like refusals). */
const RATE_LIMITED_CLOSE = 4429;

/** Per-connection state: the credential given at connection_init, its slots, its operations' request ids. */
interface ConnState {
  secret: string;
  /** The Context an external JWT names (connectionParams or header X-Scopegate-Context). */
  namedContext: string | null;
  /** The client address (rate limits of a key whose check fails later count against it). */
  address: string;
  connection: LiveConnection;
  operations: Map<string, { requestId: string; started: number; operation: string; events: number }>;
  closing: boolean;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol, subprotocol `graphql-transport-ws`) on
 * `/graphql`, for subscriptions only (issue 12).
 *
 * - Authentication at connect: `connection_init`'s payload carries `Authorization: "Bearer …"`
 *   (or `API-KEY`), else the upgrade request's headers; anything but a valid context key closes
 *   the socket with 4403 Forbidden.
 * - Connecting and each subscribe are authenticated, then count as one request against the
 *   caller's rate limits (rateLimits.ts; a refused connection closes with 4429, a refused subscribe
 *   is RATE_LIMITED); each subscribe then passes the document limits and gets its live context;
 *   refusals are graphql-ws `error` messages with `extensions.code`.
 * - Each stream re-checks the key (services/tenant/live.ts); once one ends UNAUTHENTICATED, the
 *   socket closes with 4403 when the others have ended too, so a revoked key keeps no connection.
 * - Limits: `SCOPEGATE_LIVE_MAX_PER_CONNECTION` subscriptions per socket, messages up to 256 kB.
 */
export function attachWebSocket(server: Server, hub: LiveHub): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const states = new WeakMap<WsContext, ConnState>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== WS_PATH) {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  };
  server.on("upgrade", onUpgrade);

  const ws = bindGraphqlWs<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>(
    {
      schema: hub.schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const headers = ctx.extra.request.headers;
        const secret =
          secretOf(params.Authorization ?? params.authorization, params["API-KEY"] ?? params["api-key"]) ??
          secretOf(headers.authorization, headers["api-key"]);
        if (!secret) return false;
        const named = params["X-Scopegate-Context"] ?? params["x-scopegate-context"] ?? headers["x-scopegate-context"];
        const namedContext = typeof named === "string" && named.trim() !== "" ? named.trim() : null;
        // Connecting counts like a request, against the verified caller (or the address of a failed one).
        const address = hub.addressOf(ctx.extra.request);
        const admitted = await hub.authenticateAndCharge(secret, address, randomUUID(), namedContext).catch(() => null);
        if (admitted && "wait" in admitted) {
          ctx.extra.socket.close(RATE_LIMITED_CLOSE, `rate limit exceeded; retry after ${admitted.wait} s`);
          return false;
        }
        if (!admitted || !isTenantCaller(admitted.caller)) return false;
        states.set(ctx, {
          secret,
          namedContext,
          address,
          connection: hub.connection(),
          operations: new Map(),
          closing: false,
        });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = states.get(ctx)!;
        const requestId = randomUUID();
        // Each subscribe is a request: the key is checked again (it may have been revoked) and charged.
        const admitted = await hub.authenticateAndCharge(state.secret, state.address, requestId, state.namedContext);
        if ("wait" in admitted) return [rateLimited(admitted.wait)];
        const prepared = await hub.prepare(
          admitted.caller,
          state.secret,
          state.connection,
          payload,
          requestId,
          state.namedContext,
        );
        if (!prepared.ok) return prepared.errors;
        state.operations.set(id, {
          requestId,
          started: performance.now(),
          operation: prepared.operationName ?? "anonymous",
          events: 0,
        });
        return {
          schema: hub.schema,
          document: prepared.document,
          operationName: prepared.operationName,
          variableValues: payload.variables ?? undefined,
          contextValue: prepared.contextValue,
        };
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const state = states.get(ctx);
        const op = state?.operations.get(id);
        if (op) op.events += 1;
        const formatted = hub.format(result, op?.requestId);
        if (state && !state.closing && formatted.errors?.some((e) => e.extensions?.code === "UNAUTHENTICATED")) {
          // The key is gone: its other streams end at their own next check (each with its own
          // UNAUTHENTICATED); the socket closes once they have, or after one more check interval.
          state.closing = true;
          const socket = ctx.extra.socket;
          setTimeout(
            () => socket.close(CloseCode.Forbidden, "key no longer valid"),
            hub.limits.liveRecheckMs + REVOKED_CLOSE_GRACE_MS,
          ).unref();
        }
        return formatted;
      },
      onError: (ctx, id, _payload, errors) =>
        hub.format({ errors }, states.get(ctx)?.operations.get(id)?.requestId).errors,
      onComplete: (ctx, id) => {
        const state = states.get(ctx);
        const op = state?.operations.get(id);
        if (!op || !state) return;
        state.operations.delete(id);
        if (state.closing && state.operations.size === 0)
          setTimeout(() => ctx.extra.socket.close(CloseCode.Forbidden, "key no longer valid"), 0).unref();
        log.info(
          {
            requestId: op.requestId,
            transport: "ws",
            operation: op.operation,
            events: op.events,
            durationMs: Math.round(performance.now() - op.started),
          },
          "subscription ended",
        );
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );

  return {
    async close() {
      server.off("upgrade", onUpgrade);
      await ws.dispose();
    },
  };
}

/** A subscribe refused by the rate limits: formatError shows RateLimitedError's code and `retryAfter` (a bare GraphQLError was masked as INTERNAL_SERVER_ERROR). */
function rateLimited(wait: number): GraphQLError {
  const error = new RateLimitedError(wait);
  return new GraphQLError(error.message, { originalError: error });
}
