// GraphiQL start-up, served from our own origin (the page's CSP allows no inline script).
/* global React, ReactDOM, GraphiQL */
const explanation = [
  "# scopegate GraphiQL",
  "#",
  "# Every request needs a key. Open the Headers tab below and put your secret in",
  '#   { "Authorization": "Bearer sgk_…" }',
  "# (a context key for tenant data, the management key for Contexts and keys).",
  "# Secrets are kept in this tab only: they are not saved in the browser.",
  "",
  "{ me { kind contextId principal scopeFloor } }",
  "",
].join("\n");

const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: explanation,
    headers: JSON.stringify({ Authorization: "Bearer <paste your key secret here>" }, null, 2),
    defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: false,
  }),
);
