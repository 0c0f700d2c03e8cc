import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { launchChromium } from "./browser.js";
import { createKey, remember, startTestGateway, type TestGateway } from "./harness.js";

describe("GraphiQL in a real browser, offline", () => {
  let t: TestGateway;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    t = await startTestGateway(undefined, { graphiql: true });
    await t.mgmt(`mutation { createContext(input: { id: "ui", namespace: "tenants", database: "ui" }) { id } }`);
    key = await createKey(t, "ui", "agent", "AGENT", { org: "ui" });
    await remember(t, key, "GraphiQL can see this memory");
    ({ browser } = await launchChromium());
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it("serves GraphiQL from our own bundle under a strict CSP and runs queries with a key header", async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(t.http.url.replace(/\/graphql$/, ""))) outside.push(r.url());
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });

    const response = await page.goto(t.http.url, { waitUntil: "networkidle" });
    expect(response!.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.waitForSelector(".graphiql-container", { timeout: 20_000 });
    const editorTexts = await page.evaluate(() =>
      [...document.querySelectorAll(".CodeMirror")].map((e: any) => e.CodeMirror.getValue() as string),
    );
    expect(editorTexts[0]).toContain("Open the Headers tab");
    expect(editorTexts.some((x) => x.includes('"Authorization": "Bearer <paste your key secret here>"'))).toBe(true);

    const run = async (query: string) => {
      await page.evaluate(
        ({ query, key }) => {
          const editors = [...document.querySelectorAll(".CodeMirror")].map((e: any) => e.CodeMirror);
          editors[0].setValue(query);
          const headers = editors.find((cm: any) => cm.getValue().includes("Authorization"));
          headers.setValue(JSON.stringify({ Authorization: `Bearer ${key}` }, null, 2));
        },
        { query, key },
      );
      await page.click(".graphiql-execute-button");
    };
    await run("{ me { kind contextId scopeFloor } }");
    await page.waitForFunction(
      () => document.querySelector(".result-window")?.textContent?.includes("CONTEXT_KEY"),
      null,
      { timeout: 20_000 },
    );
    expect(await page.textContent(".result-window")).toContain('"contextId": "ui"');

    await run("{ memories { edges { node { text scope } } } }");
    await page.waitForFunction(
      () => document.querySelector(".result-window")?.textContent?.includes("GraphiQL can see this memory"),
      null,
      { timeout: 20_000 },
    );
    mkdirSync("test-artifacts", { recursive: true });
    await page.screenshot({ path: "test-artifacts/graphiql.png", fullPage: true });

    expect(outside).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });

  it("is off when configured so, and GraphQL clients still get JSON", async () => {
    const off = await startTestGateway(undefined, { graphiql: false });
    try {
      const r = await fetch(off.http.url, { headers: { accept: "text/html" } });
      expect(r.headers.get("content-type") ?? "").not.toContain("text/html");
      expect((await fetch(off.http.url.replace("/graphql", "/graphiql/graphiql.js"))).status).toBe(404);
    } finally {
      await off.close();
    }
    const json = await fetch(t.http.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/html, application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await json.json()).toEqual({ data: { __typename: "Query" } });
  });
});
