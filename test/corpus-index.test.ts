import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bm25Scores, BM25_DEFAULTS } from "../src/recall/bm25.js";
import { bm25FromIndex, buildCorpusIndex, type RankRow, tfidfFromIndex } from "../src/recall/corpusIndex.js";
import { rankCorpus, rankIndex } from "../src/recall/rank.js";
import { tfidfCosines } from "../src/recall/vectorTier.js";
import { FairLru } from "../src/lib/fairLru.js";
import { TermBlock } from "../src/recall/termBlock.js";

const term = fc.constantFrom("tea", "bob", "paris", "plan", "ship", "friday", "a", "b", "c", "constructor");
const row = fc.record({
  terms: fc.dictionary(term, fc.integer({ min: 1, max: 4 }), { maxKeys: 6 }),
  analyzer: fc.constantFrom(1, 2, 2, 2),
  session: fc.constantFrom(null, "s1", "s2"),
});

function rows(specs: Array<{ terms: Record<string, number>; analyzer: number; session: string | null }>): RankRow[] {
  return specs.map((s, i) => ({
    id: `r${i}`,
    seq: String(i).padStart(26, "0"),
    len: Object.values(s.terms).reduce((a, b) => a + b, 0),
    terms: Object.assign(Object.create(null), s.terms),
    analyzer: s.analyzer,
    vector: null,
    embModel: null,
    sessionId: s.session,
    createdAt: new Date(1_700_000_000_000 + i).toISOString(),
  }));
}

describe("the prepared corpus index (recall/corpusIndex.ts)", () => {
  it("builds the same index from rows whose term maps sit in TermBlocks (persisted snapshots) as from objects", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (specs, blockRows) => {
        const plain = rows(specs);
        // Blocks of `blockRows` rows, as snapshot segments hold them; each block its own dictionary.
        const packed = plain.map((r, i) => {
          const from = i - (i % blockRows);
          const block = TermBlock.of(plain.slice(from, from + blockRows).map((p) => p.terms));
          return { ...r, terms: block.termsOf(i - from), termBlock: block, termRow: i - from };
        });
        const a = buildCorpusIndex(plain);
        const b = buildCorpusIndex(packed);
        expect(b.versions).toEqual(a.versions);
        expect(b.avgdl).toBe(a.avgdl);
        expect([...b.tfidfNorm]).toEqual([...a.tfidfNorm]);
        for (const [v, vocabulary] of a.postings) {
          const other = b.postings.get(v)!;
          expect([...other.keys()].sort()).toEqual([...vocabulary.keys()].sort());
          for (const [t, p] of vocabulary) {
            expect([...other.get(t)!.rows]).toEqual([...p.rows]);
            expect([...other.get(t)!.tf]).toEqual([...p.tf]);
          }
        }
        for (const [i, r] of packed.entries()) {
          expect({ ...r.termBlock.termsOf(r.termRow) }).toEqual({ ...plain[i]!.terms });
        }
      }),
    );
  });

  it("gives BM25 and TF-IDF scores equal, bit for bit, to the whole-corpus computation", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.array(term, { minLength: 1, maxLength: 4 }), (specs, q) => {
        const rs = rows(specs);
        const index = buildCorpusIndex(rs);
        const queryTerms = new Map(index.versions.map((v) => [v, [...new Set(q)]] as const));
        // Reference: bm25Scores over slots (version, term) in the same order.
        const slots: Array<[number, string]> = [...queryTerms].flatMap(([v, ts]) =>
          ts.map((t) => [v, t] as [number, string]),
        );
        const docs = rs.map((r) => ({
          id: r.id,
          len: r.len,
          tf: slots.map(([v, t]) => (r.analyzer === v ? (r.terms[t] ?? 0) : 0)),
        }));
        expect(bm25FromIndex(index, queryTerms, BM25_DEFAULTS)).toEqual(bm25Scores(slots.length, docs, BM25_DEFAULTS));
        expect(tfidfFromIndex(index, queryTerms)).toEqual(tfidfCosines(queryTerms, rs));
      }),
    );
  });

  it("ranks with a reused index exactly as with a fresh one", () => {
    const rs = rows([
      { terms: { tea: 2, bob: 1 }, analyzer: 2, session: "s1" },
      { terms: { paris: 1 }, analyzer: 2, session: "s1" },
      { terms: { tea: 1, plan: 3 }, analyzer: 1, session: null },
    ]);
    const index = buildCorpusIndex(rs);
    const options = { mode: "HYBRID" as const, topK: 5, vector: { kind: "terms" as const } };
    expect(rankIndex("tea bob", index, options)).toEqual(rankCorpus("tea bob", rs, options));
    expect(rankIndex("paris", index, options)).toEqual(rankCorpus("paris", rs, options));
  });
});

describe("FairLru (one tenant cannot evict another's working set)", () => {
  it("evicts the heaviest tenant's least recently used entries first", () => {
    const lru = new FairLru<string>(100);
    lru.set("small-1", "x", 20, "small");
    for (let i = 0; i < 10; i++) lru.set(`big-${i}`, "y", 20, "big");
    expect(lru.get("small-1")).toBe("x"); // the heavy tenant pushed out only its own entries
    expect(lru.weightOf("small")).toBe(20);
    expect(lru.weightOf("big")).toBe(80);
    expect(lru.get("big-9")).toBe("y");
    expect(lru.get("big-0")).toBeUndefined();
  });

  it("keeps a tenant's hottest entries when it alone is larger than the cache", () => {
    const lru = new FairLru<string>(50);
    for (let i = 0; i < 10; i++) {
      lru.set(`p${i}`, "v", 10, "t");
      lru.get("p0"); // p0 is hot
    }
    expect(lru.get("p0")).toBe("v");
    expect(lru.size.weight).toBeLessThanOrEqual(50);
    lru.set("huge", "v", 51, "t");
    expect(lru.get("huge")).toBeUndefined(); // heavier than the whole bound: not kept
  });
});
