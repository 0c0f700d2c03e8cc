import { CliError, type GatewayClient } from "./client.js";

/** What a command prints: `text` for people, `json` for --json. */
export interface Output {
  text: string;
  json: unknown;
  failed?: boolean;
  /** Printed to stderr (never part of --json output), e.g. a least-privilege warning. */
  warning?: string;
}
type Flags = Record<string, string | boolean | undefined>;
export type Command = (client: GatewayClient, args: string[], flags: Flags) => Promise<Output>;

// `id` is the API's global id; people and the commands name Contexts by `name` and keys by name (or `keyId`).
const KEY_FIELDS = "id keyId name principal scopeFloor createdAt lastUsedAt expiresAt revokedAt";
const CONTEXT_FIELDS =
  "id name namespace database createdAt config { tokenLimit retentionDays providersConfigured models { extraction response embedding } }";

function need(args: string[], count: number, usage: string): string[] {
  if (args.length < count) throw new CliError(`usage: scopegate ${usage}`);
  return args;
}

function jsonFlag(flags: Flags, name: string): unknown {
  const raw = flags[name];
  if (raw === undefined || raw === true) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch {
    throw new CliError(`--${name} must be JSON, e.g. '{"org":"alpha"}'`);
  }
}

const table = (rows: unknown, text: (r: any[]) => string): Output => ({ json: rows, text: text(rows as any[]) });

export function commands(
  print: (rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]) => string,
): Record<string, Command> {
  return {
    "context create": async (c, a, f) => {
      const [id] = need(a, 1, "context create <id> --namespace NS --database DB [--config JSON]");
      const d = await c.request(
        `mutation($i: CreateContextInput!) { createContext(input: $i) { ${CONTEXT_FIELDS} } }`,
        {
          i: { id, namespace: f.namespace ?? "tenants", database: f.database ?? id, config: jsonFlag(f, "config") },
        },
      );
      return {
        json: d.createContext,
        text: `created Context ${d.createContext.name} (${d.createContext.namespace}/${d.createContext.database})`,
      };
    },
    "context list": async (c) => {
      const d = await c.request(`{ contexts { ${CONTEXT_FIELDS} } }`);
      return table(d.contexts, (rows) =>
        print(
          rows.map((r) => ({
            id: r.name,
            namespace: r.namespace,
            database: r.database,
            tokenLimit: r.config.tokenLimit,
            providers: r.config.providersConfigured.join(","),
          })),
        ),
      );
    },
    "context get": async (c, a) => {
      const [id] = need(a, 1, "context get <id>");
      const d = await c.request(`query($id: ID!) { context(id: $id) { ${CONTEXT_FIELDS} keys { ${KEY_FIELDS} } } }`, {
        id,
      });
      if (!d.context) throw new CliError(`NOT_FOUND: context ${id}`);
      return {
        json: d.context,
        text: `${JSON.stringify({ ...d.context, keys: undefined }, null, 2)}\n\nkeys:\n${print(d.context.keys, ["name", "principal", "scopeFloor", "lastUsedAt", "revokedAt"])}`,
      };
    },
    "context update": async (c, a, f) => {
      const [id] = need(a, 1, "context update <id> --config JSON");
      const d = await c.request(
        `mutation($id: ID!, $c: ContextConfigInput!) { updateContext(id: $id, config: $c) { ${CONTEXT_FIELDS} } }`,
        { id, c: jsonFlag(f, "config") ?? {} },
      );
      return { json: d.updateContext, text: `updated Context ${id}` };
    },
    "context delete": async (c, a) => {
      const [id] = need(a, 1, "context delete <id>");
      const d = await c.request(`mutation($id: ID!) { deleteContext(id: $id) }`, { id });
      return {
        json: { deleted: d.deleteContext },
        text: d.deleteContext ? `deleted Context ${id} and its database` : `nothing deleted`,
      };
    },
    "key create": async (c, a, f) => {
      const [contextId, name] = need(
        a,
        2,
        "key create <context> <name> --principal AGENT|SUPERVISOR --floor JSON [--expires ISO]",
      );
      // Least privilege by default: a key without a floor reads every tenant of its Context.
      if (f.floor === undefined || f.floor === true) {
        throw new CliError(
          `key create needs --floor (e.g. --floor '{"org":"${name}"}'); a floorless key reads every tenant of the Context: pass --floor '{}' to mean it`,
        );
      }
      const floor = jsonFlag(f, "floor");
      const floorless = floor !== null && typeof floor === "object" && Object.keys(floor).length === 0;
      const d = await c.request(
        `mutation($c: ID!, $i: CreateKeyInput!) { createKey(contextId: $c, input: $i) { secret key { ${KEY_FIELDS} } } }`,
        {
          c: contextId,
          i: {
            name,
            principal: String(f.principal ?? "AGENT").toUpperCase(),
            scopeFloor: floor,
            expiresAt: f.expires,
          },
        },
      );
      return {
        json: d.createKey,
        text: `created key ${name} in ${contextId}\nsecret (shown once): ${d.createKey.secret}`,
        warning: floorless
          ? `warning: key ${name} has an empty floor: it reads and writes every tenant of ${contextId}`
          : undefined,
      };
    },
    "key list": async (c, a) => {
      const [contextId] = need(a, 1, "key list <context>");
      const d = await c.request(`query($c: ID!) { keys(contextId: $c) { ${KEY_FIELDS} } }`, { c: contextId });
      return table(d.keys, (rows) =>
        print(rows, ["name", "principal", "scopeFloor", "createdAt", "lastUsedAt", "expiresAt", "revokedAt"]),
      );
    },
    "key revoke": async (c, a) => {
      const [contextId, name] = need(a, 2, "key revoke <context> <name>");
      const d = await c.request(
        `mutation($c: ID!, $n: String!) { revokeKey(contextId: $c, name: $n) { ${KEY_FIELDS} } }`,
        { c: contextId, n: name },
      );
      return { json: d.revokeKey, text: `revoked key ${name} of ${contextId}` };
    },
    "key rotate": async (c, a) => {
      const [contextId, name] = need(a, 2, "key rotate <context> <name>");
      const d = await c.request(
        `mutation($c: ID!, $n: String!) { rotateKey(contextId: $c, name: $n) { secret key { ${KEY_FIELDS} } } }`,
        { c: contextId, n: name },
      );
      return {
        json: d.rotateKey,
        text: `rotated key ${name} of ${contextId}\nnew secret (shown once): ${d.rotateKey.secret}`,
      };
    },
    /** The seed's two provision_tenant flows. */
    "tenant provision": async (c, a, f) => {
      const [tenant] = need(
        a,
        1,
        "tenant provision <tenant> --pattern separate|shared [--shared-context platform-prod] [--config JSON]",
      );
      const pattern = String(f.pattern ?? "separate");
      if (pattern === "separate") {
        const contextId = `tenant-${tenant}`;
        await c.request(`mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
          i: {
            id: contextId,
            namespace: "tenants",
            database: tenant,
            config: jsonFlag(f, "config") ?? {
              tokenLimit: 1_000_000,
              models: { extraction: "local/extractive", response: "local/extractive" },
            },
          },
        });
        const d = await c.request(
          `mutation($c: ID!, $i: CreateKeyInput!) { createKey(contextId: $c, input: $i) { secret } }`,
          { c: contextId, i: { name: "app-agent", principal: "AGENT", scopeFloor: { org: tenant } } },
        );
        return {
          json: { contextId, keyName: "app-agent", scopeFloor: { org: tenant }, secret: d.createKey.secret },
          text: `provisioned ${tenant} in its own Context ${contextId}\nagent key secret (shown once): ${d.createKey.secret}`,
        };
      }
      if (pattern !== "shared") throw new CliError("--pattern must be separate or shared");
      const contextId = String(f["shared-context"] ?? "platform-prod");
      const existing = await c.request(`query($id: ID!) { context(id: $id) { id } }`, { id: contextId });
      if (!existing.context)
        await c.request(`mutation($i: CreateContextInput!) { createContext(input: $i) { id } }`, {
          i: { id: contextId, namespace: "platform", database: contextId.replace(/^platform-/, "") || "prod" },
        });
      const name = `tenant-${tenant}`;
      const d = await c.request(
        `mutation($c: ID!, $i: CreateKeyInput!) { createKey(contextId: $c, input: $i) { secret } }`,
        { c: contextId, i: { name, principal: "AGENT", scopeFloor: { org: tenant } } },
      );
      return {
        json: { contextId, keyName: name, scopeFloor: { org: tenant }, secret: d.createKey.secret },
        text: `provisioned ${tenant} in shared Context ${contextId} (floor {org: ${tenant}})\nagent key secret (shown once): ${d.createKey.secret}`,
      };
    },
    usage: async (c, a, f) => {
      const [contextId] = need(a, 1, "usage <context> [--group-by org] [--since ISO] [--until ISO]");
      const groupBy = f["group-by"] ? String(f["group-by"]).split(",") : ["org"];
      const d = await c.request(
        `query($c: ID!, $g: [String!], $s: DateTime, $u: DateTime) { context(id: $c) { tokenUsage(groupBy: $g, since: $s, until: $u) { scope model promptTokens completionTokens totalTokens calls } } }`,
        { c: contextId, g: groupBy, s: f.since, u: f.until },
      );
      if (!d.context) throw new CliError(`NOT_FOUND: context ${contextId}`);
      return table(d.context.tokenUsage, (rows) => print(rows));
    },
    audit: async (c, a, f) => {
      const [contextId] = need(a, 1, "audit <context> [--dimension org]");
      const d = await c.request(
        `query($c: ID!, $d: String) { scopeAudit(contextId: $c, dimension: $d) { passed markdown json } }`,
        { c: contextId, d: f.dimension ?? "org" },
      );
      return { json: d.scopeAudit.json, text: d.scopeAudit.markdown, failed: !d.scopeAudit.passed };
    },
    redact: async (c, a, f) => {
      const [contextId] = need(a, 1, "redact <context> --scope JSON [--dry-run] [--revoke-keys]");
      const scope = jsonFlag(f, "scope");
      if (!scope) throw new CliError('redact needs --scope, e.g. \'{"org":"beta"}\'');
      const d = await c.request(
        `mutation($c: ID!, $s: Scope!, $d: Boolean, $r: Boolean) { redactScope(contextId: $c, scope: $s, dryRun: $d, revokeKeys: $r) { dryRun verified counts { table count } remaining { table count } revokedKeys { name } } }`,
        { c: contextId, s: scope, d: f["dry-run"] === true, r: f["revoke-keys"] === true },
      );
      const r = d.redactScope;
      return {
        json: r,
        text: `${r.dryRun ? "would remove" : "removed"}:\n${print(r.counts)}${r.dryRun ? "" : `\nverified: ${r.verified}; revoked keys: ${r.revokedKeys.map((k: any) => k.name).join(", ") || "none"}`}`,
      };
    },
  };
}
