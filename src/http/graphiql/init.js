// GraphiQL start-up, served from our own origin (the page's CSP allows no inline script).
/* global React, ReactDOM, GraphiQL */
const explanation = [
  "# scopegate GraphiQL",
  "#",
  "# Every request needs a key. Open the Headers tab below and put your secret in",
  '#   { "Authorization": "Bearer sgk_…" }',
  "# (a context key for tenant data, the management key for Contexts and keys).",
  "# Secrets are kept in this tab only: they are not saved in the browser, not even in History.",
  "",
  "{ me { kind contextId principal scopeFloor } }",
  "",
].join("\n");

/**
 * The Storage GraphiQL writes through (its `storage` prop): localStorage, minus every header.
 * `shouldPersistHeaders: false` keeps headers out of `graphiql:headers` and `graphiql:tabState`,
 * but the History plugin still saves `{query, variables, headers}` in `graphiql:queries` and
 * `graphiql:favorites` (@graphiql/toolkit's HistoryStore), so a pasted key would come back after a
 * reload. Here every `headers` property of a JSON value is stored as null (the shape GraphiQL's own
 * tab serializer uses, so stored tabs still validate), the headers key itself is never stored, and
 * header persistence cannot be switched on.
 */
const PREFIX = "graphiql:";
const HEADERS_KEY = `${PREFIX}headers`;
const PERSIST_KEY = `${PREFIX}shouldPersistHeaders`;

function withoutHeaders(key, value) {
  if (key === HEADERS_KEY) return null;
  if (key === PERSIST_KEY) return "false";
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.stringify(JSON.parse(value), (k, v) => (k === "headers" ? null : v));
  } catch {
    return value; // not JSON (a query text): GraphiQL stores no headers there
  }
}

const ownKeys = () => Object.keys(localStorage).filter((k) => k.startsWith(PREFIX));

const headerFreeStorage = {
  getItem: (key) => localStorage.getItem(key),
  setItem(key, value) {
    const clean = withoutHeaders(key, value);
    if (clean === null) localStorage.removeItem(key);
    else localStorage.setItem(key, clean);
  },
  removeItem: (key) => localStorage.removeItem(key),
  clear() {
    for (const key of ownKeys()) localStorage.removeItem(key);
  },
  get length() {
    return ownKeys().length;
  },
};

// What an older page (before this storage) left behind is cleaned on the next visit.
for (const key of ownKeys()) {
  const value = localStorage.getItem(key);
  if (value !== null) headerFreeStorage.setItem(key, value);
}

const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    storage: headerFreeStorage,
    defaultQuery: explanation,
    headers: JSON.stringify({ Authorization: "Bearer <paste your key secret here>" }, null, 2),
    defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: false,
  }),
);
