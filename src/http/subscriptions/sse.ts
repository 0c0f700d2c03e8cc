import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { createHandler } from "graphql-sse";
import type { ExecutionResult } from "graphql";
import type { Caller } from "../../domain/caller.js";
import type { RequestContext } from "../../graphql/requestContext.js";
import { log } from "../../log.js";
import { type LiveHub, secretOf, SSE_PATH } from "./hub.js";

/** graphql-sse types its operation context as a record; ours is the RequestContext object. */
type LiveOperationContext = RequestContext & Record<PropertyKey, unknown>;

/** Largest request body, in bytes (one document and its variables). */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * GraphQL over Server-Sent Events (the graphql-sse protocol, "distinct connections mode": one
 * request per subscription) on `/graphql/stream`, for subscriptions only (issue 12).
 *
 * - `GET` (query string) or `POST` (JSON body) with `Accept: text/event-stream`, credential in
 *   `Authorization: Bearer …` or `API-KEY`, as for POST /graphql.
 * - Malformed HTTP answers 4xx before any stream: wrong method 405, no event-stream Accept 406,
 *   body over 256 kB 413, rate limit 429 with `retry-after`.
 * - Everything else streams: a refused operation (bad document, no or revoked key, scope outside
 *   the floor, SUBSCRIPTION_LIMIT…) is one `next` event with `errors`, then `complete`.
 * - A client that disconnects ends its stream (its live query is killed).
 * - The "single connection mode" (PUT reservations) is off: an unauthenticated reservation
 *   would hold server resources.
 */
export function sseHandler(hub: LiveHub): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const started = new WeakMap<object, { requestId: string; at: number; events: number }>();
  const handler = createHandler<
    IncomingMessage,
    { secret: string | null; requestId: string; caller: Caller; namedContext: string | null },
    LiveOperationContext
  >({
    schema: hub.schema,
    authenticate: () => null,
    onSubscribe: async (req, params) => {
      const { secret, requestId, caller, namedContext } = req.context;
      const prepared = await hub.prepare(caller, secret, hub.connection(), params, requestId, namedContext);
      // An ExecutionResult answers in the stream (next, then complete) instead of as a 4xx body.
      if (!prepared.ok) return { data: null, errors: prepared.errors };
      started.set(prepared.contextValue, { requestId, at: performance.now(), events: 0 });
      return {
        schema: hub.schema,
        document: prepared.document,
        operationName: prepared.operationName,
        variableValues: params.variables ?? undefined,
        contextValue: prepared.contextValue as LiveOperationContext,
      };
    },
    onNext: (ctx, req, result) => {
      const op = ctx ? started.get(ctx) : undefined;
      if (op) op.events += 1;
      // graphql-sse types results as unformatted; it only serialises what it gets.
      return hub.format(result as ExecutionResult, req.context.requestId) as unknown as ExecutionResult;
    },
    onComplete: (ctx, req) => {
      const op = ctx ? started.get(ctx) : undefined;
      if (!op) return;
      log.info(
        {
          requestId: req.context.requestId,
          transport: "sse",
          events: op.events,
          durationMs: Math.round(performance.now() - op.at),
        },
        "subscription ended",
      );
    },
  });

  return async (req, res) => {
    const accept = req.headers.accept ?? "";
    if (req.method !== "GET" && req.method !== "POST") {
      res.setHeader("allow", "GET, POST");
      return refuse(res, 405, "use GET or POST with Accept: text/event-stream");
    }
    if (!accept.includes("text/event-stream"))
      return refuse(res, 406, `${SSE_PATH} answers Accept: text/event-stream only`);
    const body = req.method === "POST" ? await readBody(req) : "";
    if (body === null) return refuse(res, 413, "request body too large");
    const secret = secretOf(req.headers.authorization, req.headers["api-key"]);
    const named = headerOf(req, "x-scopegate-context");
    const namedContext = typeof named === "string" && named.trim() !== "" ? named.trim() : null;
    const requestId = randomUUID();
    // One request: authenticated, then charged to the verified caller (or the address) before any stream.
    const admitted = await hub.authenticateAndCharge(secret, hub.addressOf(req), requestId, namedContext);
    if ("wait" in admitted) {
      res.setHeader("retry-after", String(admitted.wait));
      return refuse(res, 429, "rate limit exceeded", { code: "RATE_LIMITED", retryAfter: admitted.wait });
    }
    const [stream, init] = await handler({
      method: req.method,
      url: req.url ?? "/",
      headers: {
        // graphql-sse compares Accept exactly; any Accept that names text/event-stream means a stream.
        get: (key: string) => (key === "accept" ? "text/event-stream" : headerOf(req, key)),
      },
      body,
      raw: req,
      context: { secret, requestId, caller: admitted.caller, namedContext },
    });
    res.writeHead(init.status, init.statusText, { ...init.headers, "x-request-id": requestId });
    if (!stream || typeof stream === "string") {
      res.end(stream);
      return;
    }
    const stop = () => void stream.return(undefined);
    res.once("close", stop);
    try {
      for await (const chunk of stream) {
        if (!res.writable) break;
        await new Promise<void>((resolve, reject) => res.write(chunk, (err) => (err ? reject(err) : resolve())));
      }
    } catch {
      // the client went away mid-write: the stream is returned below
    } finally {
      res.off("close", stop);
      stop();
      res.end();
    }
  };
}

function headerOf(req: IncomingMessage, key: string): string | undefined {
  const value = req.headers[key];
  return Array.isArray(value) ? value.join("\n") : value;
}

function refuse(res: ServerResponse, status: number, message: string, extensions: Record<string, unknown> = {}) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: "BAD_REQUEST", ...extensions } }] }));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
