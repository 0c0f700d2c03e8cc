import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { MANAGEMENT_KEY, startTestGateway, type TestGateway, noteSecret } from "./harness.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/scopegate.mjs", ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("the scopegate CLI against a running gateway", () => {
  let t: TestGateway;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(args, env);

  beforeAll(async () => {
    t = await startTestGateway();
    env = { SCOPEGATE_URL: t.http.url, SCOPEGATE_MANAGEMENT_KEY: MANAGEMENT_KEY, SCOPEGATE_LOG: "silent" };
  });
  afterAll(() => t.close());

  it("provisions a tenant in its own Context (seed pattern 1) and prints the agent secret once", async () => {
    const r = await run("tenant", "provision", "alpha", "--pattern", "separate", "--json");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const out = JSON.parse(r.stdout);
    noteSecret(out.secret);
    expect(out).toMatchObject({ contextId: "tenant-alpha", keyName: "app-agent", scopeFloor: { org: "alpha" } });
    const me = await t.gql(out.secret, `{ me { kind contextId principal scopeFloor } }`);
    expect(me.data.me).toEqual({
      kind: "CONTEXT_KEY",
      contextId: "tenant-alpha",
      principal: "AGENT",
      scopeFloor: { org: "alpha" },
    });
  });

  it("provisions tenants into a shared Context (seed pattern 2), creating it on first use", async () => {
    const beta = await run("tenant", "provision", "beta", "--pattern", "shared");
    expect(beta.code).toBe(0);
    expect(beta.stdout).toMatch(/shared Context platform-prod/);
    const secret = noteSecret(beta.stdout.match(/secret \(shown once\): (sgk_\S+)/)![1]!);
    expect((await t.gql(secret, `{ me { contextId scopeFloor } }`)).data.me).toEqual({
      contextId: "platform-prod",
      scopeFloor: { org: "beta" },
    });
    expect((await run("tenant", "provision", "gamma", "--pattern", "shared")).code).toBe(0);
    const list = await run("context", "list");
    expect(list.stdout).toMatch(/^id\s+namespace\s+database/m);
    expect(list.stdout).toMatch(/tenant-alpha\s+tenants\s+alpha/);
    expect(list.stdout).toMatch(/platform-prod\s+platform\s+prod/);
  });

  it("lists, rotates and revokes keys; the old secret stops working", async () => {
    const created = JSON.parse(
      (
        await run(
          "key",
          "create",
          "platform-prod",
          "ops",
          "--principal",
          "supervisor",
          "--floor",
          '{"org":"beta"}',
          "--json",
        )
      ).stdout,
    );
    expect(created.key).toMatchObject({ name: "ops", principal: "SUPERVISOR", scopeFloor: { org: "beta" } });
    const keys = JSON.parse((await run("key", "list", "platform-prod", "--json")).stdout);
    expect(keys.map((k: any) => k.name).sort()).toEqual(["ops", "tenant-beta", "tenant-gamma"]);
    const rotated = await run("key", "rotate", "platform-prod", "ops");
    expect(rotated.stdout).toMatch(/new secret \(shown once\): sgk_/);
    expect((await t.gql(created.secret, `{ me { kind } }`)).errors?.[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await run("key", "revoke", "platform-prod", "ops")).code).toBe(0);
    expect(keys.some((k: any) => "secret" in k || "hash" in k)).toBe(false);
  });

  it("refuses to mint a floorless key by accident, and warns when one is asked for", async () => {
    const missing = await run("key", "create", "platform-prod", "x");
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(/^scopegate: key create needs --floor .*\n$/);
    const keys = JSON.parse((await run("key", "list", "platform-prod", "--json")).stdout);
    expect(keys.map((k: any) => k.name)).not.toContain("x");
    const explicit = await run("key", "create", "platform-prod", "everything", "--floor", "{}", "--json");
    expect(explicit.code).toBe(0);
    expect(explicit.stderr).toMatch(/^scopegate: warning: key everything has an empty floor/);
    const made = JSON.parse(explicit.stdout);
    noteSecret(made.secret);
    expect(made.key.scopeFloor).toEqual({});
    const audit = await run("audit", "platform-prod", "--json");
    const flagged = JSON.parse(audit.stdout).checks.find((c: any) =>
      c.name.startsWith("active keys whose floor does not fix"),
    );
    expect(flagged).toMatchObject({ count: 1, passed: false });
    expect(audit.code).toBe(1);
    expect((await run("key", "revoke", "platform-prod", "everything")).code).toBe(0);
  });

  it("reports usage, audits and redacts", async () => {
    const usage = await run("usage", "platform-prod", "--json");
    expect(JSON.parse(usage.stdout)).toEqual([]);
    const audit = await run("audit", "platform-prod");
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain("**Result: PASS**");
    const dry = await run("redact", "platform-prod", "--scope", '{"org":"beta"}', "--dry-run", "--json");
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true });
  });

  it("fails with a non-zero exit and one line on bad input, a wrong key or an unreachable gateway", async () => {
    const bad = await run("context", "create", "Bad_Id");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^scopegate: BAD_USER_INPUT: .+\n$/);
    const wrongKey = await cli(["context", "list"], {
      ...env,
      SCOPEGATE_MANAGEMENT_KEY: "not-the-management-key-0123456789abcdef",
    });
    expect(wrongKey).toMatchObject({ code: 1, stdout: "" });
    expect(wrongKey.stderr).toMatch(/^scopegate: UNAUTHENTICATED: /);
    const down = await cli(["context", "list"], { ...env, SCOPEGATE_URL: "http://127.0.0.1:9/graphql" });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^scopegate: cannot reach http:\/\/127\.0\.0\.1:9\/graphql/);
    expect((await run("frobnicate")).stderr).toMatch(/unknown command/);
    expect((await run("redact", "platform-prod")).stderr).toMatch(/needs --scope/);
  });
});
