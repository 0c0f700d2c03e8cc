import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

/**
 * GraphiQL from our own installed bundle (graphiql 3 UMD + React 18), never a CDN: the page
 * loads only same-origin files and its Content-Security-Policy forbids anything else.
 */
const require = createRequire(import.meta.url);
const asset = (path: string, type: string) => ({ body: readFileSync(path), type });
/** A file inside an installed package (packages' "exports" hide their UMD builds from require.resolve). */
const packageFile = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

export const GRAPHIQL_ASSETS: Record<string, { body: Buffer; type: string }> = {
  "/graphiql/react.js": asset(packageFile("react", "umd/react.production.min.js"), "text/javascript"),
  "/graphiql/react-dom.js": asset(packageFile("react-dom", "umd/react-dom.production.min.js"), "text/javascript"),
  "/graphiql/graphiql.js": asset(packageFile("graphiql", "graphiql.min.js"), "text/javascript"),
  "/graphiql/graphiql.css": asset(packageFile("graphiql", "graphiql.min.css"), "text/css"),
  "/graphiql/init.js": asset(fileURLToPath(new URL("./init.js", import.meta.url)), "text/javascript"),
  "/graphiql/page.css": { body: Buffer.from("html, body, #graphiql { height: 100%; margin: 0; }"), type: "text/css" },
};

/** Same-origin scripts only; GraphiQL's editors set inline styles, hence style-src 'unsafe-inline'. */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>scopegate · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <link rel="stylesheet" href="/graphiql/page.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script src="/graphiql/init.js"></script>
</body>
</html>`;

/** A browser asking for a page (not a GraphQL client): GET with text/html preferred. */
export function wantsGraphiQL(method: string | undefined, accept: string | undefined, search: string): boolean {
  return method === "GET" && !new URLSearchParams(search).has("query") && (accept ?? "").includes("text/html");
}
