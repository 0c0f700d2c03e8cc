import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  carriesFloor,
  effectiveScope,
  isInSubtree,
  isVisibleAt,
  parseScope,
  ScopeSyntaxError,
  ScopeViolation,
} from "../src/domain/scope.js";

const dim = fc.constantFrom("org", "user", "team", "project");
const value = fc.constantFrom("alpha", "beta", "gamma", "bob", "ann");
const scope = fc.dictionary(dim, value, { maxKeys: 4 });

describe("scope algebra", () => {
  it("the effective scope always carries the floor, or the request is refused", () => {
    fc.assert(
      fc.property(scope, scope, (floor, requested) => {
        try {
          const e = effectiveScope(floor, requested);
          expect(carriesFloor(e, floor)).toBe(true);
          expect(isVisibleAt(requested, e)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ScopeViolation);
          expect(Object.keys(floor).some((d) => d in requested && requested[d] !== floor[d])).toBe(true);
        }
      }),
    );
  });

  it("a record written under one floor is never visible under a floor that contradicts it", () => {
    fc.assert(
      fc.property(scope, scope, scope, (floorA, floorB, extra) => {
        fc.pre(Object.keys(floorA).some((d) => d in floorB && floorA[d] !== floorB[d]));
        let written: Record<string, string>;
        try {
          written = effectiveScope(floorA, extra);
        } catch {
          return;
        }
        expect(isVisibleAt(written, floorB)).toBe(false);
        expect(isInSubtree(written, floorB)).toBe(false);
      }),
    );
  });

  it("the empty scope is visible to everyone; narrower records stay hidden from broader queries", () => {
    fc.assert(
      fc.property(scope, (e) => {
        expect(isVisibleAt({}, e)).toBe(true);
      }),
    );
    expect(isVisibleAt({ org: "alpha", user: "bob" }, { org: "alpha" })).toBe(false);
    expect(isInSubtree({ org: "alpha", user: "bob" }, { org: "alpha" })).toBe(true);
  });

  it("agent visibility implies supervisor visibility", () => {
    fc.assert(
      fc.property(scope, scope, (s, e) => {
        if (isVisibleAt(s, e)) expect(isInSubtree(s, e)).toBe(true);
      }),
    );
  });

  it("rejects malformed scopes", () => {
    for (const bad of [
      null,
      [],
      "org",
      { Org: "a" },
      { org: "" },
      { org: 1 },
      { org: "a\u0000" },
      { "1x": "a" },
      { org: "x".repeat(129) },
      Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`d${i}`, "v"])),
    ]) {
      expect(() => parseScope(bad), JSON.stringify(bad)).toThrow(ScopeSyntaxError);
    }
    expect(parseScope({ org: "alpha", user_id: "ünïcode ✓" })).toEqual({ org: "alpha", user_id: "ünïcode ✓" });
  });
});
