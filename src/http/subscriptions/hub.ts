import { randomUUID } from "node:crypto";
import {
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from "graphql";
import { type Caller, isTenantCaller } from "../../domain/caller.js";
import { SubscriptionLimitError } from "../../domain/errors.js";
import type { Gateway } from "../../gateway.js";
import { createFormatError, hideTokenLimit, maskedCause } from "../../graphql/errorFormatting.js";
import type { RequestContext } from "../../graphql/requestContext.js";
import { log } from "../../log.js";
import type { IncomingMessage } from "node:http";
import { armorFor, type HttpLimits } from "../hardening.js";
import type { Admit } from "../rateLimits.js";

/** Where the live transports listen. */
export const WS_PATH = "/graphql";
export const SSE_PATH = "/graphql/stream";

/** The refusal a live transport gives queries and mutations, and POST/GET /graphql gives subscriptions. */
export const SUBSCRIPTIONS_ONLY = `only subscriptions run over WebSocket (${WS_PATH}) and SSE (${SSE_PATH}); send queries and mutations to POST ${WS_PATH}`;
export const NOT_OVER_HTTP = `subscriptions run over WebSocket (graphql-transport-ws on ${WS_PATH}) or Server-Sent Events (graphql-sse on ${SSE_PATH}), not over POST or GET`;

/** One client connection of a live transport (a WebSocket; each SSE request is its own). */
export interface LiveConnection {
  readonly id: string;
  /** Its open subscriptions. */
  open: number;
  /** How many it may hold at once. */
  readonly max: number;
}

/** What a transport hands to graphql-js for one operation, or the errors that refuse it. */
export type Prepared =
  | { ok: true; document: DocumentNode; contextValue: RequestContext; operationName?: string }
  | { ok: false; errors: GraphQLError[] };

/**
 * What both live transports share (issue 12): the same schema with the same shield, the document
 * limits of POST /graphql (graphql-js's token limit, graphql-armor's depth, alias, cost and
 * directive rules), the per-key rate limit, the per-key and per-connection subscription slots,
 * the live request context, and the one error formatter (formatError: client mistakes keep
 * their codes, anything else is masked with a request id).
 */
export class LiveHub {
  private readonly perKey = new Map<string, number>();
  private readonly rules: ReadonlyArray<ValidationRule>;

  constructor(
    readonly gateway: Gateway,
    readonly schema: GraphQLSchema,
    readonly limits: HttpLimits,
    private readonly admission: { admit: Admit; addressOf: (req: IncomingMessage) => string },
  ) {
    this.rules = [...specifiedRules, ...(armorFor(limits).validationRules as unknown as ValidationRule[])];
  }

  /** A new connection's slot counter. */
  connection(): LiveConnection {
    return { id: randomUUID(), open: 0, max: this.limits.liveMaxPerConnection };
  }

  /** The client address of a transport's HTTP request (rate limits, Argon2 throttle). */
  addressOf(req: IncomingMessage): string {
    return this.admission.addressOf(req);
  }

  /**
   * Authenticates `secret` for one live operation or connection and charges it one request:
   * the caller when admitted, else the seconds to wait. A refused credential is charged to
   * `address` (it is admitted as ANONYMOUS, and the operation then answers UNAUTHENTICATED).
   */
  async authenticateAndCharge(
    secret: string | null,
    address: string,
    requestId: string,
    namedContext: string | null,
  ): Promise<{ caller: Caller } | { wait: number }> {
    const caller = await this.gateway.authenticate(secret, requestId, namedContext, address);
    const wait = this.admission.admit(caller, address);
    return wait > 0 ? { wait } : { caller };
  }

  /**
   * Parses, checks and validates one operation and builds its context for `caller`, whom
   * `secret` authenticated as (authenticateAndCharge). Refusals (all client
   * mistakes, none INTERNAL_SERVER_ERROR): a syntax error or too many tokens, a query or
   * mutation, a validation or document-limit error (including more than one root field, so
   * aliases cannot open several streams in one operation).
   */
  async prepare(
    caller: Caller,
    secret: string | null,
    connection: LiveConnection,
    params: { query?: unknown; operationName?: unknown },
    requestId: string = randomUUID(),
    /** The Context an external JWT names (X-Scopegate-Context), if any. */
    namedContext: string | null = null,
  ): Promise<Prepared> {
    if (typeof params.query !== "string")
      return refuse(new GraphQLError("query must be a string", { extensions: { code: "BAD_REQUEST" } }));
    let document: DocumentNode;
    try {
      document = parse(params.query, { maxTokens: this.limits.maxTokens });
    } catch (err) {
      const message = err instanceof GraphQLError ? hideTokenLimit(err.message) : "Syntax Error";
      return refuse(new GraphQLError(message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } }));
    }
    const operationName = typeof params.operationName === "string" ? params.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return refuse(new GraphQLError("cannot tell which operation to run", { extensions: { code: "BAD_REQUEST" } }));
    if (operation.operation !== "subscription")
      return refuse(new GraphQLError(SUBSCRIPTIONS_ONLY, { extensions: { code: "BAD_REQUEST" } }));
    const invalid = validate(this.schema, document, this.rules);
    if (invalid.length > 0)
      return {
        ok: false,
        errors: invalid.map((e) =>
          e.extensions?.code
            ? e
            : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
        ),
      };
    const contextValue = this.gateway.liveRequestContext(
      caller,
      secret,
      requestId,
      { recheckEveryMs: this.limits.liveRecheckMs, acquire: (caller) => this.acquire(caller, connection) },
      namedContext,
    );
    return { ok: true, document, contextValue, operationName };
  }

  /** A subscription slot of the caller's key and of the connection. Errors: SUBSCRIPTION_LIMIT. */
  private acquire(caller: Caller, connection: LiveConnection): () => void {
    // A key and the browser tokens it issued share one allowance (their owner); each end user of an external JWT has its own.
    const keyId = isTenantCaller(caller) ? caller.owner : "management";
    const held = this.perKey.get(keyId) ?? 0;
    if (held >= this.limits.liveMaxPerKey)
      throw new SubscriptionLimitError("this key has too many open subscriptions on this replica");
    if (connection.open >= connection.max)
      throw new SubscriptionLimitError("this connection has too many open subscriptions");
    this.perKey.set(keyId, held + 1);
    connection.open += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      connection.open -= 1;
      const left = (this.perKey.get(keyId) ?? 1) - 1;
      if (left > 0) this.perKey.set(keyId, left);
      else this.perKey.delete(keyId);
    };
  }

  /** A result as clients see it: every error through formatError (masked ones logged with the request id). */
  format(result: ExecutionResult, requestId: string | undefined): FormattedExecutionResult {
    const { errors, ...rest } = result;
    if (!errors?.length) return rest;
    return {
      ...rest,
      errors: errors.map((e) => {
        const formatted = createFormatError({ hideSuggestions: !this.limits.introspection })(e.toJSON(), e);
        if (formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return formatted;
        // The cause, tied to the id the client got.
        log.error({ requestId, err: maskedCause(formatted) }, "live operation failed");
        return { ...formatted, extensions: { ...formatted.extensions, requestId } };
      }),
    };
  }
}

const refuse = (error: GraphQLError): Prepared => ({ ok: false, errors: [error] });

/** Bearer secret of a live transport's credential (`Authorization: Bearer …` or `API-KEY`), or null. */
export function secretOf(authorization: unknown, apiKey: unknown): string | null {
  if (typeof authorization === "string" && authorization.length > 0) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return m ? m[1]! : null;
  }
  return typeof apiKey === "string" && apiKey.trim().length > 0 ? apiKey.trim() : null;
}
