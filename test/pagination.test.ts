import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ULID, ulid } from "ulid";
import { windowBounds } from "../src/db/ids.js";
import { createKey, startTestGateway, type TestGateway } from "./harness.js";

describe("windowBounds (the probe a page makes through one partition)", () => {
  it("starts with ULID steps inside the cursor's millisecond, then whole milliseconds, and ends at MAX_ULID", () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    const from = ulid(now - 60_000);
    const bounds = windowBounds(from, now);
    expect(bounds.at(-1)).toBe(MAX_ULID);
    expect([...bounds].sort()).toEqual(bounds); // ascending
    expect(bounds.every((b) => b > from)).toBe(true);
    expect(new Set(bounds).size).toBe(bounds.length);
    expect(bounds.length).toBeLessThan(40); // a minute of history and a day of horizon: a few dozen probes
  });
});

describe("pages stay complete and ordered across bulk writes, several partitions and deletions", () => {
  let t: TestGateway;
  let key: string;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(`mutation { createContext(input: { id: "p", namespace: "platform", database: "p" }) { id } }`);
    key = await createKey(t, "p", "a", "AGENT", { org: "acme" });
  });
  afterAll(() => t.close());

  async function all(scope?: Record<string, string>, first = 7): Promise<string[]> {
    const texts: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 2000; i++) {
      const r = await t.gql(
        key,
        `query($a: String, $f: Int, $s: Scope) { memories(first: $f, after: $a, scope: $s) { edges { node { text } } pageInfo { hasNextPage endCursor } } }`,
        { a: after, f: first, s: scope },
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      texts.push(...r.data.memories.edges.map((e: any) => e.node.text));
      if (!r.data.memories.pageInfo.hasNextPage) return texts;
      after = r.data.memories.pageInfo.endCursor;
    }
    throw new Error("too many pages");
  }

  it("walks 600 rows written in bulk batches, single writes and two partitions, in creation order", async () => {
    const expected: string[] = [];
    const write = async (items: Array<{ text: string; scope?: Record<string, string> }>) => {
      const r = await t.gql(key, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items },
      });
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      expected.push(...items.map((i) => i.text));
    };
    await write(Array.from({ length: 250 }, (_, i) => ({ text: `bulk-a ${String(i).padStart(3, "0")}` })));
    for (let i = 0; i < 20; i++) await write([{ text: `single ${String(i).padStart(2, "0")}` }]);
    await new Promise((r) => setTimeout(r, 30)); // a gap in time between batches
    await write(Array.from({ length: 330 }, (_, i) => ({ text: `bulk-b ${String(i).padStart(3, "0")}` })));
    const visible = await all();
    expect(visible).toEqual(expected);
    for (const first of [20, 100]) expect(await all(undefined, first)).toEqual(expected);
    // A narrower scope adds a second partition; its rows interleave in creation order.
    const narrowed: string[] = [];
    for (let i = 0; i < 30; i++) {
      const text = `bob ${String(i).padStart(2, "0")}`;
      await t.gql(key, `mutation($t: String!) { remember(input: { text: $t, scope: { user: "bob" } }) { id } }`, {
        t: text,
      });
      narrowed.push(text);
    }
    expect(await all({ user: "bob" }, 9)).toEqual([...expected, ...narrowed]);
  });

  it("skips holes left by deletions without losing rows", async () => {
    const r = await t.gql(key, `mutation { forget(input: { query: "bulk-a", limit: 50 }) { count ids } }`);
    expect(r.data.forget.count).toBe(50);
    const left = await all(undefined, 13);
    expect(left.length).toBe(600 - 50);
    expect(left.filter((x) => x.startsWith("bulk-a")).length).toBe(200);
    expect([...left].sort((a, b) => a.localeCompare(b))).toEqual(
      [...left].sort((a, b) => a.localeCompare(b)).filter((x, i, arr) => arr.indexOf(x) === i),
    ); // no duplicates
  });
});
