import { describe, expect, it } from "vitest";
import type { TestGateway } from "./harness.js";
import { byIdMissing, compareIds, expectOutcome, NULL } from "./fuzz/checks.js";
import { OpContext, Stats } from "./fuzz/context.js";
import { type Key, MANAGEMENT, type MemoryRecord, Model, type Tenant } from "./fuzz/model.js";
import { Prng } from "./fuzz/prng.js";
import { isInSubtree, isSubset, resolveScope } from "./fuzz/scope.js";
import { Violations } from "./fuzz/violations.js";

/**
 * The fuzzer's own parts, without a gateway: its scope algebra and rules follow the brief, and its
 * checks report planted violations (so isolation-fuzz.test.ts can fail for each of them).
 */

function world() {
  const model = new Model();
  const tenant = (name: string, org: string, canary: string): Tenant => {
    const t: Tenant = { name, org, contextId: "platform-prod", pattern: "shared", canary, keys: [] };
    for (const [role, principal] of [
      ["a1", "AGENT"],
      ["a2", "AGENT"],
      ["sup", "SUPERVISOR"],
    ] as const) {
      const key: Key = {
        label: `${name}/${role}`,
        secret: `s-${name}-${role}`,
        principal,
        floor: { org },
        tenant: t,
        contextId: t.contextId,
      };
      t.keys.push(key);
      model.keys.push(key);
    }
    model.tenants.push(t);
    return t;
  };
  const acme = tenant("acme", "acm\u00e9", "cnryaaaa");
  const globex = tenant("globex", "globex", "cnrybbbb");
  const memory = (owner: Key | null, scope: Record<string, string>, contextId = "platform-prod"): MemoryRecord => {
    const rec: MemoryRecord = {
      id: `m${model.memories.size}`,
      contextId,
      scope,
      owner: owner?.label ?? MANAGEMENT,
      tenant: owner?.tenant.name ?? null,
      position: model.nextPosition(),
      alive: true,
      text: `${owner?.tenant.canary ?? "sharedkb"}-1 text`,
      sessionId: null,
      sourceId: null,
    };
    model.memories.set(rec.id, rec);
    return rec;
  };
  return { model, acme, globex, memory, a1: acme.keys[0]!, a2: acme.keys[1]!, sup: acme.keys[2]!, g1: globex.keys[0]! };
}

/** An OpContext whose gateway answers every request with `reply`. */
function contextWith(model: Model, key: Key, reply: { status: number; body: any }) {
  const t = {
    request: async () => ({ ...reply, text: JSON.stringify(reply.body) }),
  } as unknown as TestGateway;
  const violations = new Violations();
  return { ctx: new OpContext(t, model, new Prng(1), violations, new Stats(), 7, "probe", key), violations };
}

describe("fuzz scope algebra", () => {
  it("E = F ∪ R; sideways is FORBIDDEN; malformed (incl. lone surrogates, noncharacters) is BAD_USER_INPUT", () => {
    const f = { org: "acme" };
    expect(resolveScope(f, undefined)).toEqual({ effective: f });
    expect(resolveScope(f, { user: "bob" })).toEqual({ effective: { org: "acme", user: "bob" } });
    expect(resolveScope(f, { org: "acme", user: "zo\u00eb" })).toEqual({
      effective: { org: "acme", user: "zo\u00eb" },
    });
    expect(resolveScope(f, { org: "globex" })).toEqual({ code: "FORBIDDEN" });
    for (const bad of [
      5,
      [],
      { User: "x" },
      { user: "" },
      { user: 1 },
      { user: "a\u0000" },
      { user: "x\ud800" },
      { user: "\udc00y" },
      { t: "\ufffe" },
      { t: "\ufdd0" },
      { u: "x".repeat(129) },
    ])
      expect(resolveScope(f, bad)).toEqual({ code: "BAD_USER_INPUT" });
    expect(resolveScope(f, { user: "🍎".repeat(128) })).toEqual({ effective: { org: "acme", user: "🍎".repeat(128) } });
  });

  it("agents list S ⊆ E, supervisors the subtree of E", () => {
    expect(isSubset({}, { org: "a" })).toBe(true);
    expect(isSubset({ org: "a", user: "bob" }, { org: "a" })).toBe(false);
    expect(isInSubtree({ org: "a", user: "bob" }, { org: "a" })).toBe(true);
    expect(isInSubtree({ org: "b" }, { org: "a" })).toBe(false);
  });
});

describe("fuzz model rules", () => {
  it("by id: an agent reads what it wrote at a narrowed scope, not a sibling's; a supervisor its whole subtree", () => {
    const { model, memory, a1, a2, sup, g1 } = world();
    const own = memory(a1, { org: "acm\u00e9", user: "bob" });
    const shared = memory(null, {});
    expect(model.readableById(a1, own)).toBe(true);
    expect(model.readableOnlyAsOwner(a1, own)).toBe(true);
    expect(model.readableById(a2, own)).toBe(false);
    expect(model.readableById(sup, own)).toBe(true);
    expect(model.readableById(g1, own)).toBe(false);
    expect(model.readableById(g1, shared)).toBe(true);
    expect(model.readableById(a1, memory(a1, { org: "acm\u00e9" }, "tenant-other"))).toBe(false);
  });

  it("deletes: agents their own records carrying F, supervisors all carrying F; forget by scope reaches narrower scopes", () => {
    const { model, memory, a1, a2, sup, g1 } = world();
    const narrow = memory(a1, { org: "acm\u00e9", user: "bob", topic: "fruit" });
    const atUser = memory(a1, { org: "acm\u00e9", user: "bob" });
    const other = memory(a1, { org: "acm\u00e9", user: "ann" });
    const shared = memory(null, {});
    expect(model.deletable(a2, narrow)).toBe(false);
    expect(model.deletable(sup, narrow)).toBe(true);
    expect(model.deletable(g1, narrow)).toBe(false);
    expect(model.deletable(sup, shared)).toBe(false);
    const ids = model.forgettableUnder(a1, { org: "acm\u00e9", user: "bob" }).map((m) => m.id);
    expect(ids.sort()).toEqual([narrow.id, atUser.id].sort());
    expect(ids).not.toContain(other.id);
  });
});

describe("fuzz checks report planted violations", () => {
  it("another tenant's canary in a response is a canary-leak; the key's own is not", async () => {
    const { model, a1 } = world();
    const leak = contextWith(model, a1, { status: 200, body: { data: { memory: { text: "cnrybbbb-3 plan" } } } });
    await leak.ctx.call("{ x }");
    expect([...leak.violations.counts.keys()]).toEqual(["canary-leak"]);
    const own = contextWith(model, a1, { status: 200, body: { data: { memory: { text: "cnryaaaa-3 plan" } } } });
    await own.ctx.call("{ x }");
    expect(own.violations.total).toBe(0);
  });

  it("a foreign canary the request itself carried counts only as a stored text (canary followed by '-')", async () => {
    const { model, a1 } = world();
    const echo = contextWith(model, a1, { status: 200, body: { data: { recall: { query: "cnrybbbb" } } } });
    await echo.ctx.call("query($q: String!) { x }", { q: "cnrybbbb" });
    expect(echo.violations.total).toBe(0);
    const stored = contextWith(model, a1, { status: 200, body: { data: { recall: { text: "cnrybbbb-9 x" } } } });
    await stored.ctx.call("query($q: String!) { x }", { q: "cnrybbbb" });
    expect([...stored.violations.counts.keys()]).toEqual(["canary-leak"]);
  });

  it("HTTP 5xx and INTERNAL_SERVER_ERROR are internal errors", async () => {
    const { model, a1 } = world();
    const r = contextWith(model, a1, {
      status: 500,
      body: { errors: [{ message: "x", path: ["memory"], extensions: { code: "INTERNAL_SERVER_ERROR" } }] },
    });
    await r.ctx.call("{ x }");
    expect(r.violations.counts.get("internal-error")).toBe(2);
  });

  it("FORBIDDEN for a record the key cannot see is an existence oracle", () => {
    const { model, a1 } = world();
    const { ctx, violations } = contextWith(model, a1, { status: 200, body: {} });
    expectOutcome(ctx, "memory(id)", { ok: false, code: "FORBIDDEN", message: "no" }, NULL);
    expect([...violations.counts.keys()]).toEqual(["existence-oracle"]);
  });

  it("id sets: another tenant's record is count-includes-foreign, a missing own narrowed record is ownership", () => {
    const { model, memory, a1, g1 } = world();
    const own = memory(a1, { org: "acm\u00e9", user: "bob" });
    const theirs = memory(g1, { org: "globex" });
    const { ctx, violations } = contextWith(model, a1, { status: 200, body: {} });
    compareIds(ctx, "memories", [own], [theirs.id], { missing: byIdMissing(ctx) });
    expect(Object.fromEntries(violations.counts)).toEqual({ "count-includes-foreign": 1, ownership: 1 });
  });
});
