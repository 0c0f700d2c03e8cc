import { describe, expect, it } from "vitest";
import { ConfigError, readSettings } from "../src/config.js";
import { BadUserInputError } from "../src/domain/errors.js";
import {
  contextRequestsPerMinute,
  effectiveConfig,
  mergeConfig,
  splitConfigInput,
} from "../src/services/control/contextConfig.js";

/** Every env var the Dockerfile and deploy/compose.yaml set is read here, with its bounds. */
describe("settings from the environment", () => {
  it("reads every deployment variable", () => {
    const s = readSettings({
      PORT: "4100",
      HOST: "0.0.0.0",
      NODE_ENV: "production",
      SCOPEGATE_SURREAL_URL: "ws://surrealdb:8000",
      SCOPEGATE_SURREAL_USER: "root",
      SCOPEGATE_SURREAL_PASS: "pw",
      SCOPEGATE_MANAGEMENT_KEY: "m".repeat(40),
      SCOPEGATE_CONNECT_TIMEOUT_MS: "15000",
      SCOPEGATE_INTROSPECTION: "false",
      SCOPEGATE_GRAPHIQL: "false",
      SCOPEGATE_BATCHING: "true",
      SCOPEGATE_RATE_LIMIT_PER_MINUTE: "600",
      SCOPEGATE_TRUSTED_PROXIES: "uniquelocal, 203.0.113.7, 2001:db8::/32",
      SCOPEGATE_METRICS_TOKEN: "p".repeat(40),
      SCOPEGATE_REQUEST_TIMEOUT_MS: "30000",
      SCOPEGATE_RETENTION_INTERVAL_MS: "3600000",
      SCOPEGATE_MAX_DEPTH: "10",
      SCOPEGATE_MAX_ALIASES: "5",
      SCOPEGATE_MAX_COST: "9000",
      SCOPEGATE_MAX_TOKENS: "900",
      SCOPEGATE_MAX_DIRECTIVES: "7",
      SCOPEGATE_RECALL_TOPK_MAX: "20",
      SCOPEGATE_REMEMBER_MANY_MAX: "100",
      SCOPEGATE_DOCUMENT_MAX_BYTES: "1000",
      SCOPEGATE_RECALL_CACHE_ROWS: "0",
      SCOPEGATE_CORS_ORIGINS: "https://app.example.com, http://localhost:5173",
      SCOPEGATE_CORS_CREDENTIALS: "true",
      SCOPEGATE_ROUTER_SECRET: "r".repeat(40),
      SCOPEGATE_COMPUTE_THREADS: "2",
      SCOPEGATE_LOG: "warn",
    });
    expect(s).toMatchObject({
      port: 4100,
      host: "0.0.0.0",
      surrealUrl: "ws://surrealdb:8000",
      surrealUser: "root",
      surrealPass: "pw",
      connectTimeoutMs: 15000,
      retentionIntervalMs: 3_600_000,
      computeThreads: 2,
      http: {
        introspection: false,
        graphiql: false,
        batching: true,
        rateLimitPerMinute: 600,
        trustedProxies: ["uniquelocal", "203.0.113.7", "2001:db8::/32"],
        metricsToken: "p".repeat(40),
        requestTimeoutMs: 30000,
        maxDepth: 10,
        maxAliases: 5,
        maxCost: 9000,
        maxTokens: 900,
        maxDirectives: 7,
        corsOrigins: ["https://app.example.com", "http://localhost:5173"],
        corsCredentials: true,
        routerSecret: "r".repeat(40),
      },
      limits: { recallTopKMax: 20, rememberManyMax: 100, documentMaxBytes: 1000, recallCacheRows: 0 },
    });
  });

  it("defaults: embedded database, introspection off only in production", () => {
    expect(readSettings({})).toMatchObject({
      port: 4000,
      surrealUrl: "surrealkv://./data",
      http: { introspection: true },
      retentionIntervalMs: 3_600_000,
    });
    expect(readSettings({}).http).toMatchObject({ corsOrigins: [], corsCredentials: false, routerSecret: undefined });
    expect(readSettings({}).http).toMatchObject({
      trustedProxies: [],
      metricsToken: undefined,
      rateLimitPerMinute: 600,
    });
    expect(readSettings({ SCOPEGATE_CORS_ORIGINS: "*" }).http.corsOrigins).toEqual(["*"]);
    expect(readSettings({}).computeThreads).toBeUndefined();
    expect(readSettings({ SCOPEGATE_SURREAL_URL: "rocksdb:///var/data" }).surrealUrl).toBe("rocksdb:///var/data");
    expect(readSettings({ NODE_ENV: "production" }).http.introspection).toBe(false);
    expect(readSettings({ NODE_ENV: "production", SCOPEGATE_INTROSPECTION: "true" }).http.introspection).toBe(true);
  });

  it("refuses * with credentials at start-up, in one line naming both variables", () => {
    const env = { SCOPEGATE_CORS_ORIGINS: "*", SCOPEGATE_CORS_CREDENTIALS: "true" };
    expect(() => readSettings(env)).toThrow(ConfigError);
    expect(() => readSettings(env)).toThrow(
      "SCOPEGATE_CORS_ORIGINS=* cannot be combined with SCOPEGATE_CORS_CREDENTIALS=true: list exact origins",
    );
  });

  it("refuses a metrics token equal to the management key", () => {
    const same = "s".repeat(40);
    expect(() => readSettings({ SCOPEGATE_MANAGEMENT_KEY: same, SCOPEGATE_METRICS_TOKEN: same })).toThrow(
      "SCOPEGATE_METRICS_TOKEN must differ from SCOPEGATE_MANAGEMENT_KEY",
    );
  });

  it("refuses a router secret equal to the management key", () => {
    const same = "s".repeat(40);
    expect(() => readSettings({ SCOPEGATE_MANAGEMENT_KEY: same, SCOPEGATE_ROUTER_SECRET: same })).toThrow(
      "SCOPEGATE_ROUTER_SECRET must differ from SCOPEGATE_MANAGEMENT_KEY",
    );
  });

  it("stops on a bad value with one clear line naming the variable", () => {
    for (const [name, value] of [
      ["PORT", "70000"],
      ["SCOPEGATE_MAX_DEPTH", "0"],
      ["SCOPEGATE_INTROSPECTION", "maybe"],
      ["SCOPEGATE_MANAGEMENT_KEY", "short"],
      ["SCOPEGATE_SURREAL_URL", "postgres://x"],
      ["SCOPEGATE_REQUEST_TIMEOUT_MS", "10"],
      ["SCOPEGATE_RATE_LIMIT_PER_MINUTE", "-1"],
      ["SCOPEGATE_CORS_ORIGINS", "https://app.example.com/"],
      ["SCOPEGATE_CORS_ORIGINS", "app.example.com"],
      ["SCOPEGATE_CORS_ORIGINS", "*, https://app.example.com"],
      ["SCOPEGATE_CORS_CREDENTIALS", "sometimes"],
      ["SCOPEGATE_ROUTER_SECRET", "too-short"],
      ["PORT", ""],
      ["PORT", " 80"],
      ["SCOPEGATE_LOG", "verbose"],
      ["SCOPEGATE_SURREAL_URL", "surrealkv://"],
      ["SCOPEGATE_SURREAL_URL", "rocksdb://?x=1"],
      ["SCOPEGATE_SURREAL_URL", "surrealkv+versioned:///var/data"],
      ["SCOPEGATE_COMPUTE_THREADS", "0"],
      ["SCOPEGATE_TRUSTED_PROXIES", "proxy.example.com"],
      ["SCOPEGATE_TRUSTED_PROXIES", "10.0.0.0/33"],
      ["SCOPEGATE_METRICS_TOKEN", "short"],
    ] as const) {
      expect(() => readSettings({ [name]: value })).toThrow(ConfigError);
      try {
        readSettings({ [name]: value });
      } catch (err) {
        expect((err as Error).message).toContain(name);
      }
    }
  });
});

/** Context config fields of issue 11: `rateLimit` and `scopeTokenLimits.defaultShare`. */
describe("Context config: rate limit and budget shares", () => {
  it("defaults: 600 requests per minute, no share", () => {
    expect(effectiveConfig({}, {}).rateLimit).toEqual({ requestsPerMinute: 600 });
    expect(contextRequestsPerMinute({ config: {} })).toBe(600);
    const { config } = splitConfigInput({ scopeTokenLimits: { dimension: "org" } });
    expect(effectiveConfig(config, {}).scopeTokenLimits).toMatchObject({ defaultShare: null, default: null });
  });

  it("reads what was set; null restores the default", () => {
    const { config } = splitConfigInput({
      rateLimit: { requestsPerMinute: 0 },
      scopeTokenLimits: { dimension: "org", defaultShare: 0.25 },
    });
    expect(contextRequestsPerMinute({ config })).toBe(0);
    expect(effectiveConfig(config, {}).scopeTokenLimits?.defaultShare).toBe(0.25);
    const reset = mergeConfig(config, splitConfigInput({ rateLimit: null }).config);
    expect(contextRequestsPerMinute({ config: reset })).toBe(600);
    expect(effectiveConfig(reset, {}).rateLimit).toEqual({ requestsPerMinute: 600 });
  });

  it("refuses values out of bounds with BAD_USER_INPUT", () => {
    for (const bad of [
      { rateLimit: { requestsPerMinute: -1 } },
      { rateLimit: { requestsPerMinute: 1.5 } },
      { rateLimit: { requestsPerMinute: 10_000_001 } },
      { rateLimit: {} },
      { scopeTokenLimits: { dimension: "org", defaultShare: 0 } },
      { scopeTokenLimits: { dimension: "org", defaultShare: 1.01 } },
      { scopeTokenLimits: { dimension: "org", defaultShare: "half" } },
    ])
      expect(() => splitConfigInput(bad), JSON.stringify(bad)).toThrow(BadUserInputError);
  });
});
