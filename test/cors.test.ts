import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { startHttp } from "../src/http/server.js";
import { launchChromium } from "./browser.js";
import { createKey, memoryTexts, startTestGateway, type TestGateway } from "./harness.js";

/**
 * A front end on another origin: a page whose script calls the gateway with `fetch` and an
 * `Authorization` header, served by its own node:http server on another 127.0.0.1 port.
 */
const FRONT_END = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>front end</title></head>
<body>
<script>
  window.callGateway = async (url, key, query, credentials = "same-origin") => {
    try {
      const r = await fetch(url, {
        method: "POST",
        credentials,
        headers: { authorization: "Bearer " + key, "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      return { status: r.status, requestId: r.headers.get("x-request-id"), body: await r.json() };
    } catch (e) {
      return { error: String(e) };
    }
  };
</script>
</body></html>`;

async function servePage(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(FRONT_END);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

type CallResult = { status?: number; requestId?: string | null; body?: any; error?: string };

describe("CORS for browser front ends on other origins (real Chromium)", () => {
  let t: TestGateway;
  let browser: Browser;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };
  let key: string;
  const consoleLines: string[] = [];

  const openPage = async (origin: string): Promise<Page> => {
    const page = await browser.newPage();
    page.on("console", (m) => consoleLines.push(m.text()));
    await page.goto(`${origin}/`);
    return page;
  };
  const call = (page: Page, url: string, query: string, credentials?: string) =>
    page.evaluate(({ url, key, query, credentials }) => (window as any).callGateway(url, key, query, credentials), {
      url,
      key,
      query,
      credentials,
    }) as Promise<CallResult>;

  beforeAll(async () => {
    allowed = await servePage();
    other = await servePage();
    t = await startTestGateway(undefined, { corsOrigins: [allowed.origin] });
    await t.mgmt(`mutation { createContext(input: { id: "web", namespace: "tenants", database: "web" }) { id } }`);
    key = await createKey(t, "web", "front-end", "AGENT", { org: "web" });
    ({ browser } = await launchChromium());
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    allowed.server.close();
    other.server.close();
  });

  it("lets a page on an allowed origin call the gateway with its key", async () => {
    const page = await openPage(allowed.origin);
    const r = await call(page, t.http.url, "{ me { kind contextId } }");
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { me: { kind: "CONTEXT_KEY", contextId: "web" } } });
    // x-request-id is exposed to the page, so a front end can report it.
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.close();
  });

  it("blocks a page on any other origin before the request runs", async () => {
    const page = await openPage(other.origin);
    consoleLines.length = 0;
    const r = await call(page, t.http.url, `mutation { remember(input: { text: "written cross-origin" }) { id } }`);
    expect(r.error).toMatch(/Failed to fetch/);
    expect(consoleLines.join("\n")).toMatch(/blocked by CORS policy/);
    // The preflight failed, so the mutation never ran.
    expect(await memoryTexts(t, key)).toEqual([]);
    await page.close();
  });

  it("answers preflights before CSRF prevention, with exactly the allowed methods and headers", async () => {
    const preflight = (origin: string) =>
      fetch(t.http.url, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type",
        },
      });
    const ok = await preflight(allowed.origin);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(allowed.origin);
    expect(ok.headers.get("access-control-allow-methods")).toBe("GET,POST,OPTIONS");
    expect(ok.headers.get("access-control-allow-headers")).toBe(
      "authorization,content-type,apollo-require-preflight,api-key,x-scopegate-context",
    );
    expect(ok.headers.get("access-control-max-age")).toBe("600");
    expect(ok.headers.get("vary")).toMatch(/\bOrigin\b/);
    expect(ok.headers.get("access-control-allow-credentials")).toBeNull();

    const refused = await preflight(other.origin);
    expect(refused.status).toBe(204);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(refused.headers.get("vary")).toMatch(/\bOrigin\b/);
  });

  it("marks real responses per origin and keeps CSRF prevention on", async () => {
    const post = (origin: string) =>
      fetch(t.http.url, {
        method: "POST",
        headers: { origin, "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ me { kind } }" }),
      });
    const ok = await post(allowed.origin);
    expect(ok.headers.get("access-control-allow-origin")).toBe(allowed.origin);
    expect(ok.headers.get("access-control-expose-headers")).toBe("x-request-id,retry-after");
    expect(ok.headers.get("vary")).toMatch(/\bOrigin\b/);
    const foreign = await post(other.origin);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    expect(foreign.headers.get("vary")).toMatch(/\bOrigin\b/);
    // A "simple" GET (no preflight header) from an allowed origin is still refused by CSRF prevention.
    const simple = await fetch(`${t.http.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { origin: allowed.origin },
    });
    expect(simple.status).toBe(400);
  });

  it("without configured origins, a preflight gets 204 and no grant (not a CSRF 400)", async () => {
    const none = await startHttp(t.gateway, 0, "127.0.0.1", { rateLimitPerMinute: 0 });
    try {
      const r = await fetch(none.url, {
        method: "OPTIONS",
        headers: { origin: allowed.origin, "access-control-request-method": "POST" },
      });
      expect(r.status).toBe(204);
      expect(r.headers.get("access-control-allow-origin")).toBeNull();
      const page = await openPage(allowed.origin);
      expect((await call(page, none.url, "{ me { kind } }")).error).toMatch(/Failed to fetch/);
      await page.close();
    } finally {
      await none.close();
    }
  });

  it("credentials: never with *, exact origin with ACAC when enabled, and `include` fetches need it", async () => {
    await expect(startHttp(t.gateway, 0, "127.0.0.1", { corsOrigins: ["*"], corsCredentials: true })).rejects.toThrow(
      /cannot be combined/,
    );

    const page = await openPage(allowed.origin);
    // Without the flag a `credentials: "include"` fetch is blocked (no Allow-Credentials)...
    expect((await call(page, t.http.url, "{ me { kind } }", "include")).error).toMatch(/Failed to fetch/);
    // ...with it, the exact origin (never *) and Allow-Credentials: true.
    const withCredentials = await startHttp(t.gateway, 0, "127.0.0.1", {
      rateLimitPerMinute: 0,
      corsOrigins: [allowed.origin],
      corsCredentials: true,
    });
    const anyOrigin = await startHttp(t.gateway, 0, "127.0.0.1", { rateLimitPerMinute: 0, corsOrigins: ["*"] });
    try {
      const r = await call(page, withCredentials.url, "{ me { kind } }", "include");
      expect(r.body).toEqual({ data: { me: { kind: "CONTEXT_KEY" } } });
      const pre = await fetch(withCredentials.url, {
        method: "OPTIONS",
        headers: { origin: allowed.origin, "access-control-request-method": "POST" },
      });
      expect(pre.headers.get("access-control-allow-origin")).toBe(allowed.origin);
      expect(pre.headers.get("access-control-allow-credentials")).toBe("true");

      // `*` serves any origin without credentials.
      const fromOther = await openPage(other.origin);
      expect((await call(fromOther, anyOrigin.url, "{ me { kind } }")).body).toEqual({
        data: { me: { kind: "CONTEXT_KEY" } },
      });
      const star = await fetch(anyOrigin.url, {
        method: "OPTIONS",
        headers: { origin: other.origin, "access-control-request-method": "POST" },
      });
      expect(star.headers.get("access-control-allow-origin")).toBe("*");
      expect(star.headers.get("access-control-allow-credentials")).toBeNull();
      await fromOther.close();
    } finally {
      await page.close();
      await withCredentials.close();
      await anyOrigin.close();
    }
  });
});
