import { parseArgs } from "node:util";
import { CliError, GatewayClient } from "./client.js";
import { commands } from "./commands.js";
import { printTable } from "./format.js";

const USAGE = `scopegate — the scopegate gateway and its provisioning CLI

  scopegate serve                                   start the gateway (same as npm start)
  scopegate context create|list|get|update|delete  manage Contexts
  scopegate key create|list|revoke|rotate          manage context keys
  scopegate tenant provision <tenant> --pattern separate|shared
  scopegate usage <context> [--group-by org]        token usage from decision traces
  scopegate audit <context>                         the scope audit (Markdown; exit 1 when it fails)
  scopegate redact <context> --scope JSON [--dry-run] [--revoke-keys]

Talks to SCOPEGATE_URL (default http://127.0.0.1:4000/graphql) with SCOPEGATE_MANAGEMENT_KEY.
Add --json for machine-readable output.`;

const STRING_FLAGS = [
  "namespace",
  "database",
  "config",
  "principal",
  "floor",
  "expires",
  "pattern",
  "shared-context",
  "group-by",
  "since",
  "until",
  "dimension",
  "scope",
];

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" as const }])),
      "dry-run": { type: "boolean" },
      "revoke-keys": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  if (positionals[0] === "serve") {
    await import("../main.js");
    return -1; // keeps running
  }
  const table = commands(printTable);
  const two = positionals.slice(0, 2).join(" ");
  const [name, rest] = table[two] ? [two, positionals.slice(2)] : [positionals[0]!, positionals.slice(1)];
  const command = table[name];
  if (!command) throw new CliError(`unknown command "${positionals.join(" ")}" (scopegate --help)`);
  const out = await command(GatewayClient.fromEnv(), rest, values as Record<string, string | boolean | undefined>);
  if (out.warning) process.stderr.write(`scopegate: ${out.warning}\n`);
  process.stdout.write(`${values.json ? JSON.stringify(out.json, null, 2) : out.text}\n`);
  return out.failed ? 1 : 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err) => {
    process.stderr.write(
      `scopegate: ${err instanceof CliError ? err.message : (err as Error).message.split("\n")[0]}\n`,
    );
    process.exitCode = 1;
  },
);
