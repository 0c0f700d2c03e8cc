import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { ApolloServer, HeaderMap } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import type { ApolloServerPlugin } from "@apollo/server";
import type { ValidationRule } from "graphql";
import type { Gateway } from "../gateway.js";
import { RequestTimeoutError } from "../domain/errors.js";
import { createFormatError, DOCUMENT_ERROR_CODES } from "../graphql/errorFormatting.js";
import { buildSchema } from "../graphql/schema.js";
import type { RequestContext } from "../graphql/requestContext.js";
import { log } from "../log.js";
import { corsHandler } from "./cors.js";
import { federationTracePlugins, routerVerifier } from "./federation.js";
import { GRAPHIQL_ASSETS, GRAPHIQL_CSP, GRAPHIQL_HTML, wantsGraphiQL } from "./graphiql/page.js";
import { clientAddressOf } from "./clientAddress.js";
import { armorFor, DEFAULT_HTTP_LIMITS, type HttpLimits } from "./hardening.js";
import { type Admit, RateLimits } from "./rateLimits.js";
import { metricsPlugin } from "./plugins/metrics.js";
import { requestLogPlugin } from "./plugins/requestLog.js";
import { attachLiveTransports, refuseSubscriptionsOverHttp } from "./subscriptions/index.js";

/** Room for one maximal document upload (JSON escaping can double it) plus the query. */
const bodyLimit = (gateway: Gateway) => Math.max(1_000_000, 2 * gateway.limits.documentMaxBytes + 65_536);

/**
 * Bytes of an over-limit body read and thrown away so its 413 reaches the client. Past this
 * the connection is dropped without an answer: a client that keeps sending that much after
 * the limit is not waiting for one.
 */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

export interface HttpGateway {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Bearer secret from `Authorization: Bearer …` or the `API-KEY` header. */
export function secretFrom(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  const apiKey = req.headers["api-key"];
  return typeof apiKey === "string" && apiKey.length > 0 ? apiKey.trim() : null;
}

/** The Context a request names with `X-Scopegate-Context` (README: Credentials), or null. */
export function contextNameFrom(req: IncomingMessage): string | null {
  const named = req.headers["x-scopegate-context"];
  return typeof named === "string" && named.length > 0 ? named.trim() : null;
}

export async function startHttp(
  gateway: Gateway,
  port: number,
  host = "127.0.0.1",
  limitOverrides: Partial<HttpLimits> = {},
): Promise<HttpGateway> {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...limitOverrides };
  const armor = armorFor(limits);
  const rateLimits = new RateLimits(limits.rateLimitPerMinute);
  const addressOf = clientAddressOf(limits.trustedProxies);
  const admit: Admit = (caller, address, cost = 1) => {
    const { wait, bucket } = rateLimits.admit(caller, address, cost);
    if (wait > 0) gateway.metrics.rateLimited.inc({ bucket });
    return wait;
  };
  const cors = corsHandler({ origins: limits.corsOrigins, credentials: limits.corsCredentials });
  const fromRouter = routerVerifier(limits.routerSecret);
  const schema = buildSchema({ shield: gateway.layers.shield });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    introspection: limits.introspection,
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: limits.batching,
    validationRules: armor.validationRules as unknown as ValidationRule[],
    // With introspection off, no "Did you mean …" may rebuild the schema: Apollo strips validation
    // errors, formatError every other error (variable coercion).
    hideSchemaDetailsFromClientErrors: !limits.introspection,
    formatError: createFormatError({ hideSuggestions: !limits.introspection }),
    // armor ships CommonJS typings of Apollo's types; the plugin objects are the same at runtime.
    // Apollo's landing pages load from a CDN: disabled; our own GraphiQL is served above Apollo.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No @cacheControl hints in the schema: the default plugin's per-field hint lookup is pure cost.
      ApolloServerPluginCacheControlDisabled(),
      ...(armor.plugins as unknown as ApolloServerPlugin<RequestContext>[]),
      ...federationTracePlugins(),
      requestLogPlugin(),
      metricsPlugin(gateway.metrics),
      refuseSubscriptionsOverHttp(),
    ],
  });
  await apollo.start();

  const server = createServer(
    (req, res) =>
      void handle(req, res).catch((err) => {
        log.error({ err: String(err) }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
          }),
        );
      }),
  );

  // Subscriptions: WebSocket upgrades on /graphql, Server-Sent Events on /graphql/stream.
  const live = attachLiveTransports(server, gateway, schema, limits, { admit, addressOf });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/readyz") {
      const ready = await gateway.ready();
      return sendJson(
        res,
        ready.ok ? 200 : 503,
        ready.ok ? { status: "ready" } : { status: "not ready", reason: ready.reason },
      );
    }
    if (url.pathname === "/metrics") return serveMetrics(req, res);
    const graphiqlAsset = limits.graphiql ? GRAPHIQL_ASSETS[url.pathname] : undefined;
    if (graphiqlAsset) {
      res.writeHead(200, {
        "content-type": graphiqlAsset.type,
        "cache-control": "public, max-age=3600",
        "x-content-type-options": "nosniff",
      });
      return res.end(graphiqlAsset.body);
    }
    if (await live.handle(req, res, url.pathname)) return;
    if (url.pathname !== "/graphql") return sendJson(res, 404, { error: "not found" });
    // Preflights are answered here, before Apollo's CSRF prevention (which stays on for the rest).
    if (await cors(req, res)) return;
    if (limits.graphiql && wantsGraphiQL(req.method, req.headers.accept, url.search)) {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": GRAPHIQL_CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      });
      return res.end(GRAPHIQL_HTML);
    }
    const body = await readBody(req, bodyLimit(gateway));
    if (body === ABORTED) return;
    if (body === TOO_LARGE) {
      res.setHeader("connection", "close");
      return sendJson(res, 413, {
        errors: [{ message: "request body too large", extensions: { code: "BAD_REQUEST" } }],
      });
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const requestId = randomUUID();
    const address = addressOf(req);
    const parsedBody = parseBody(body, headers.get("content-type"));
    // Each operation of a batch is a request of its own: a POST of 200 costs 200.
    const operations = limits.batching && Array.isArray(parsedBody) ? Math.max(1, parsedBody.length) : 1;
    // Limits apply after authentication, to the verified caller's buckets; an unverified or
    // failed credential counts against the client address (rateLimits.ts).
    const caller = await gateway.authenticate(secretFrom(req), requestId, contextNameFrom(req), address);
    const wait = admit(caller, address, operations);
    if (wait > 0) return rateLimited(res, wait);
    // The request's signal: aborted at the timeout, it stops compute tasks and keeps every write
    // that has not started yet from starting (a statement already sent cannot be cancelled).
    const abort = new AbortController();
    const timedOut = new Promise<"timeout">((r) => {
      abort.signal.addEventListener("abort", () => r("timeout"), { once: true });
    });
    const timer = setTimeout(
      () => abort.abort(new RequestTimeoutError(limits.requestTimeoutMs)),
      limits.requestTimeoutMs,
    );
    const result = await Promise.race([
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method ?? "GET",
          headers,
          search: url.search,
          body: parsedBody,
        },
        context: async () => ({
          ...gateway.contextFor(caller, requestId, abort.signal),
          trustedRouter: fromRouter(req.headers),
        }),
      }),
      timedOut,
    ]).finally(() => clearTimeout(timer));
    if (result === "timeout") {
      // The client gets a clear answer now; the request's remaining work sees the aborted signal.
      log.error({ requestId, timeoutMs: limits.requestTimeoutMs }, "request timed out");
      return sendJson(res, 504, {
        errors: [{ message: "request timed out", extensions: { code: "INTERNAL_SERVER_ERROR", requestId } }],
      });
    }
    res.statusCode = result.status ?? 200;
    // GraphQL over HTTP: a legacy `application/json` response SHOULD be 200 even when the
    // document does not parse or validate (clients read `errors`); the newer
    // `application/graphql-response+json` keeps Apollo's 4xx.
    if (
      res.statusCode === 400 &&
      result.headers.get("content-type")?.startsWith("application/json") &&
      result.body.kind === "complete" &&
      isDocumentError(result.body.string)
    ) {
      res.statusCode = 200;
    }
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.setHeader("x-request-id", requestId);
    if (result.body.kind === "complete") return res.end(result.body.string);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /**
   * GET /metrics for the management key, or the bearer SCOPEGATE_METRICS_TOKEN (a scraper's,
   * compared in constant time). No credential or a failed one: 401, counted against the address
   * like any unverified request; a tenant credential: 403. Series of deleted Contexts are dropped
   * before each page.
   */
  async function serveMetrics(req: IncomingMessage, res: ServerResponse) {
    const secret = secretFrom(req);
    if (!(secret && limits.metricsToken && sameSecret(secret, limits.metricsToken))) {
      const address = addressOf(req);
      const caller = await gateway.authenticate(secret, randomUUID(), null, address);
      const wait = admit(caller, address);
      if (wait > 0) return rateLimited(res, wait);
      if (caller.kind !== "MANAGEMENT") {
        const status = caller.kind === "ANONYMOUS" ? 401 : 403;
        if (status === 401) res.setHeader("www-authenticate", 'Bearer realm="scopegate metrics"');
        return sendJson(res, status, {
          errors: [
            {
              message: "GET /metrics needs the management key or SCOPEGATE_METRICS_TOKEN as a bearer token",
              extensions: { code: status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN" },
            },
          ],
        });
      }
    }
    await gateway.metrics.keepContexts(new Set((await gateway.control.contexts()).map((c) => c.id)));
    res.writeHead(200, { "content-type": gateway.metrics.registry.contentType });
    return res.end(await gateway.metrics.registry.metrics());
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    server,
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${boundPort}/graphql`,
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await apollo.stop();
    },
  };
}

/** Errors about the GraphQL document or its variables, as opposed to a malformed HTTP request. */
function isDocumentError(body: string): boolean {
  try {
    const errors = (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string } }> }).errors ?? [];
    return errors.length > 0 && errors.every((e) => DOCUMENT_ERROR_CODES.has(e.extensions?.code ?? ""));
  } catch {
    return false;
  }
}

/** 429 with `Retry-After` and a RATE_LIMITED error carrying `retryAfter` (seconds). */
function rateLimited(res: ServerResponse, wait: number) {
  res.setHeader("retry-after", String(wait));
  return sendJson(res, 429, {
    errors: [{ message: "rate limit exceeded", extensions: { code: "RATE_LIMITED", retryAfter: wait } }],
  });
}

/** Equal strings, compared in constant time (over their SHA-256 digests, so lengths leak nothing either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

const TOO_LARGE = Symbol("body over the limit");
const ABORTED = Symbol("connection gone");

/**
 * The request body as UTF-8 text, TOO_LARGE when it (or its Content-Length) exceeds `maxBytes`,
 * or ABORTED when the client went away. An over-limit body is still read to its end and thrown
 * away (up to DISCARD_MAX_BYTES more): answering and closing while the client is still sending
 * makes the kernel reset the connection, so the client saw ECONNRESET/EPIPE instead of the 413
 * (measured: 14 of 40 twelve-megabyte uploads with `Connection: close`, as nginx sends upstream).
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | typeof TOO_LARGE | typeof ABORTED> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? 0) > maxBytes;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (!tooLarge && size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (!tooLarge) chunks.push(chunk);
      else if (size > maxBytes + DISCARD_MAX_BYTES) req.destroy();
    });
    req.on("end", () => resolve(tooLarge ? TOO_LARGE : Buffer.concat(chunks).toString("utf8")));
    // "close" without "end": the client disconnected, or the discard limit dropped it.
    req.on("close", () => {
      if (!req.readableEnded) resolve(ABORTED);
    });
    req.on("error", () => resolve(ABORTED));
  });
}

function parseBody(body: string, contentType: string | undefined): unknown {
  if (!body) return undefined;
  if (contentType?.includes("application/json")) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}
