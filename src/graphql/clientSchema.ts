/**
 * The schema a frontend team builds on: the running schema (the one `buildSchema` serves),
 * printed, without what Federation 2 injects for the router (`_service`, `_entities`, `_Any`,
 * `_Service`, `_Entity`, the `link__`/`federation__` types and the `@link`/`@key`/`@federation__*`
 * directive definitions), which client tools neither need nor always accept. `npm run
 * schema:print` writes it to stdout (README: "Relay and typed clients"); the relay-compiler and
 * client-preset tests compile against it.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DefinitionNode, Kind, parse, print, printSchema } from "graphql";
import { buildSchema } from "./schema.js";

const FEDERATION_TYPES = new Set(["_Any", "_Service", "_Entity"]);
const isFederation = (name: string) =>
  FEDERATION_TYPES.has(name) || name.startsWith("link__") || name.startsWith("federation__");
const FEDERATION_DIRECTIVES = new Set(["link", "key"]);
const FEDERATION_FIELDS = new Set(["_service", "_entities"]);

/** The client-facing SDL of the running schema (see the module comment). */
export function clientSchemaSdl(): string {
  const document = parse(printSchema(buildSchema()));
  const definitions = document.definitions.flatMap((d): DefinitionNode[] => {
    if (d.kind === Kind.DIRECTIVE_DEFINITION) {
      const name = d.name.value;
      return FEDERATION_DIRECTIVES.has(name) || isFederation(name) ? [] : [d];
    }
    if ("name" in d && d.name && isFederation(d.name.value)) return [];
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === "Query") {
      return [{ ...d, fields: d.fields?.filter((f) => !FEDERATION_FIELDS.has(f.name.value)) }];
    }
    return [d];
  });
  return `${print({ ...document, definitions })}\n`;
}

// `tsx src/graphql/clientSchema.ts` (npm run schema:print): the SDL on stdout.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.stdout.write(clientSchemaSdl());
}
