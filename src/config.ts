/** Environment → settings. Bad values stop start-up with one clear line. */
import { trustedProxiesProblem } from "./http/clientAddress.js";
import { corsPolicyProblem } from "./http/cors.js";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "./http/hardening.js";
import { DEFAULT_LIMITS, type TenantLimits } from "./domain/limits.js";
export interface Settings {
  port: number;
  host: string;
  surrealUrl: string;
  surrealUser?: string;
  surrealPass?: string;
  connectTimeoutMs: number;
  managementKey?: string;
  limits: TenantLimits;
  http: HttpLimits;
  /** How often a replica tries to run retention (0 = never; `runRetention` still works). */
  retentionIntervalMs: number;
  /** Compute worker threads (undefined: cores − 1, 1–4; see compute/pool.ts). */
  computeThreads?: number;
}

/** SCOPEGATE_LOG values: pino's levels, or `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export class ConfigError extends Error {}

/**
 * Reads and checks every setting. Errors: ConfigError with one line naming the variable, for
 * any value that is malformed or out of its bounds (an empty PORT included: it used to bind a
 * random port), and for database URLs the gateway cannot open (see `checkSurrealUrl`).
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = env.PORT === undefined ? 4000 : /^\d{1,5}$/.test(env.PORT) ? Number(env.PORT) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be an integer 0–65535, got "${env.PORT}"`);
  const logLevel = env.SCOPEGATE_LOG ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError(`SCOPEGATE_LOG must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  const surrealUrl = env.SCOPEGATE_SURREAL_URL ?? "surrealkv://./data";
  checkSurrealUrl(surrealUrl);
  const connectTimeoutMs = Number(env.SCOPEGATE_CONNECT_TIMEOUT_MS ?? 10_000);
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs < 100)
    throw new ConfigError("SCOPEGATE_CONNECT_TIMEOUT_MS must be ≥ 100");
  const managementKey = env.SCOPEGATE_MANAGEMENT_KEY || undefined;
  if (managementKey !== undefined && managementKey.length < 32)
    throw new ConfigError("SCOPEGATE_MANAGEMENT_KEY must be at least 32 characters");
  const metricsToken = env.SCOPEGATE_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 32)
    throw new ConfigError("SCOPEGATE_METRICS_TOKEN must be at least 32 characters");
  if (metricsToken !== undefined && metricsToken === managementKey)
    throw new ConfigError("SCOPEGATE_METRICS_TOKEN must differ from SCOPEGATE_MANAGEMENT_KEY");
  const trustedProxies = (env.SCOPEGATE_TRUSTED_PROXIES ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const proxiesProblem = trustedProxiesProblem(trustedProxies);
  if (proxiesProblem)
    throw new ConfigError(
      `SCOPEGATE_TRUSTED_PROXIES must list IP addresses, CIDR ranges, loopback, linklocal or uniquelocal: ${proxiesProblem}`,
    );
  const routerSecret = env.SCOPEGATE_ROUTER_SECRET || undefined;
  if (routerSecret !== undefined && routerSecret.length < 32)
    throw new ConfigError("SCOPEGATE_ROUTER_SECRET must be at least 32 characters");
  if (routerSecret !== undefined && routerSecret === managementKey)
    throw new ConfigError("SCOPEGATE_ROUTER_SECRET must differ from SCOPEGATE_MANAGEMENT_KEY");
  const limits: TenantLimits = {
    recallTopKMax: positiveInt(env, "SCOPEGATE_RECALL_TOPK_MAX", DEFAULT_LIMITS.recallTopKMax, 1000),
    rememberManyMax: positiveInt(env, "SCOPEGATE_REMEMBER_MANY_MAX", DEFAULT_LIMITS.rememberManyMax, 100_000),
    documentMaxBytes: positiveInt(
      env,
      "SCOPEGATE_DOCUMENT_MAX_BYTES",
      DEFAULT_LIMITS.documentMaxBytes,
      64 * 1024 * 1024,
    ),
    recallCacheRows: positiveInt(env, "SCOPEGATE_RECALL_CACHE_ROWS", DEFAULT_LIMITS.recallCacheRows, 50_000_000, 0),
  };
  const introspection =
    env.SCOPEGATE_INTROSPECTION === undefined ? env.NODE_ENV !== "production" : flag(env, "SCOPEGATE_INTROSPECTION");
  const http: HttpLimits = {
    maxDepth: positiveInt(env, "SCOPEGATE_MAX_DEPTH", DEFAULT_HTTP_LIMITS.maxDepth, 1000),
    maxAliases: positiveInt(env, "SCOPEGATE_MAX_ALIASES", DEFAULT_HTTP_LIMITS.maxAliases, 10_000),
    maxCost: positiveInt(env, "SCOPEGATE_MAX_COST", DEFAULT_HTTP_LIMITS.maxCost, 100_000_000),
    maxTokens: positiveInt(env, "SCOPEGATE_MAX_TOKENS", DEFAULT_HTTP_LIMITS.maxTokens, 1_000_000),
    maxDirectives: positiveInt(env, "SCOPEGATE_MAX_DIRECTIVES", DEFAULT_HTTP_LIMITS.maxDirectives, 10_000),
    introspection,
    rateLimitPerMinute: positiveInt(
      env,
      "SCOPEGATE_RATE_LIMIT_PER_MINUTE",
      DEFAULT_HTTP_LIMITS.rateLimitPerMinute,
      10_000_000,
      0,
    ),
    trustedProxies,
    metricsToken,
    requestTimeoutMs: positiveInt(
      env,
      "SCOPEGATE_REQUEST_TIMEOUT_MS",
      DEFAULT_HTTP_LIMITS.requestTimeoutMs,
      3_600_000,
      100,
    ),
    graphiql: env.SCOPEGATE_GRAPHIQL === undefined ? env.NODE_ENV !== "production" : flag(env, "SCOPEGATE_GRAPHIQL"),
    batching: env.SCOPEGATE_BATCHING === undefined ? false : flag(env, "SCOPEGATE_BATCHING"),
    corsOrigins: (env.SCOPEGATE_CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter((o) => o !== ""),
    corsCredentials: env.SCOPEGATE_CORS_CREDENTIALS ? flag(env, "SCOPEGATE_CORS_CREDENTIALS") : false,
    routerSecret,
    liveMaxPerKey: positiveInt(env, "SCOPEGATE_LIVE_MAX_PER_KEY", DEFAULT_HTTP_LIMITS.liveMaxPerKey, 100_000),
    liveMaxPerConnection: positiveInt(
      env,
      "SCOPEGATE_LIVE_MAX_PER_CONNECTION",
      DEFAULT_HTTP_LIMITS.liveMaxPerConnection,
      10_000,
    ),
    liveRecheckMs: positiveInt(env, "SCOPEGATE_LIVE_RECHECK_MS", DEFAULT_HTTP_LIMITS.liveRecheckMs, 4500, 100),
  };
  const corsProblem = corsPolicyProblem({ origins: http.corsOrigins, credentials: http.corsCredentials });
  if (corsProblem) throw new ConfigError(corsProblem);
  return {
    http,
    limits,
    retentionIntervalMs: positiveInt(env, "SCOPEGATE_RETENTION_INTERVAL_MS", 3_600_000, 7 * 86_400_000, 0),
    port,
    host: env.HOST ?? "0.0.0.0",
    surrealUrl,
    surrealUser: env.SCOPEGATE_SURREAL_USER,
    surrealPass: env.SCOPEGATE_SURREAL_PASS,
    connectTimeoutMs,
    managementKey,
    computeThreads:
      env.SCOPEGATE_COMPUTE_THREADS === undefined || env.SCOPEGATE_COMPUTE_THREADS === ""
        ? undefined
        : positiveInt(env, "SCOPEGATE_COMPUTE_THREADS", 1, 64),
  };
}

/**
 * Schemes the gateway opens: `mem://`, `surrealkv://<folder>`, `rocksdb://<folder>` (embedded,
 * @surrealdb/node 3.0.3) and `ws(s)://`, `http(s)://` (a SurrealDB server). Refused with a reason:
 * `surrealkv+versioned://`, which that engine accepts but never finishes opening (measured: no
 * answer and no error), and a folder scheme without a folder (`surrealkv://` used to put the
 * database files in the current directory).
 */
function checkSurrealUrl(url: string): void {
  if (url.startsWith("surrealkv+versioned://"))
    throw new ConfigError(
      "SCOPEGATE_SURREAL_URL surrealkv+versioned:// is not supported: the embedded engine (@surrealdb/node 3.0.3) never opens it; use surrealkv://",
    );
  if (!/^(mem:\/\/|surrealkv:\/\/|rocksdb:\/\/|wss?:\/\/|https?:\/\/)/.test(url))
    throw new ConfigError(
      "SCOPEGATE_SURREAL_URL must start with mem://, surrealkv://, rocksdb://, ws://, wss://, http:// or https://",
    );
  const folder = /^(surrealkv|rocksdb):\/\/([^?]*)/.exec(url)?.[2];
  if (folder === "")
    throw new ConfigError(
      `SCOPEGATE_SURREAL_URL ${url} names no data folder (write surrealkv://./data or surrealkv:///absolute/path)`,
    );
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer ${min}–${max}, got "${raw}"`);
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]!.toLowerCase();
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}
