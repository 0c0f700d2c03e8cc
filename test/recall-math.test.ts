import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { analyze, foldCase, termFrequencies } from "../src/recall/text.js";
import { bm25, type LexicalDoc } from "../src/recall/bm25.js";
import {
  LOCAL_EMBEDDING_DIMS,
  cosine,
  embeddingFromBytes,
  embeddingToBytes,
  localEmbed,
} from "../src/recall/localEmbedding.js";
import { reciprocalRankFusion, recencyWeight } from "../src/recall/fusion.js";

/** Build LexicalDocs the way a caller would: analyze each text, count query terms. */
function corpus(query: string, texts: Record<string, string>): { q: string[]; docs: LexicalDoc[] } {
  const q = [...new Set(analyze(query))];
  const docs = Object.entries(texts).map(([id, text]) => {
    const terms = analyze(text);
    const tf = termFrequencies(terms);
    return { id, len: terms.length, tf: q.map((t) => tf.get(t) ?? 0) };
  });
  return { q, docs };
}

describe("foldCase / analyze", () => {
  it("stems English inflections to one term", () => {
    const [a, b, c] = [analyze("running"), analyze("runs"), analyze("Run")];
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("folds German sharp s and Greek final sigma", () => {
    expect(foldCase("STRASSE")).toBe(foldCase("straße"));
    expect(analyze("STRASSE")).toEqual(analyze("straße"));
    // Uppercase ΟΔΟΣ lowercases to "οδος" (final ς); it must match medial-σ spelling.
    expect(foldCase("ΟΔΟΣ")).toBe("οδοσ");
    expect(analyze("ΟΔΟΣ")).toEqual(analyze("οδοσ"));
  });

  it("keeps diacritics (no accent stripping) and NFKC-normalises compatibility forms", () => {
    expect(analyze("résumé")).not.toEqual(analyze("resume"));
    expect(analyze("ＡＢＣ")).toEqual(analyze("abc")); // full-width Latin
  });

  it("drops stop words but keeps content words in order with repeats", () => {
    expect(analyze("The cat and the dog of the cat")).toEqual(["cat", "dog", "cat"]);
    expect(analyze("the a an and of to in is")).toEqual([]);
  });

  it("emits overlapping bigrams for CJK runs and a single char for length-1 runs", () => {
    expect(analyze("東京都")).toEqual(["東京", "京都"]);
    expect(analyze("猫")).toEqual(["猫"]);
    expect(analyze("カタカナ")).toEqual(["カタ", "タカ", "カナ"]);
    expect(analyze("한국어")).toEqual(["한국", "국어"]);
    // Mixed Latin+CJK run: Latin part stays a word.
    expect(analyze("iPhone用ケース")).toEqual(["iphon", "用ケ", "ケー", "ース"]);
  });

  it("truncates long terms to 64 code points", () => {
    const long = "ж".repeat(200);
    expect(analyze(long)).toEqual(["ж".repeat(64)]);
    // Astral (Gothic) letters, offset by one unit so a code-unit cut would split a pair.
    const [t] = analyze(`x${"𐌰".repeat(100)}`);
    expect(Array.from(t!)).toHaveLength(64);
    expect(t!).not.toMatch(/[\ud800-\udfff]/u); // no lone surrogate halves
  });

  it("splits on emoji, punctuation, control chars and lone surrogates", () => {
    expect(analyze("hello🙂world\u0000foo\ud800bar")).toEqual(["hello", "world", "foo", "bar"]);
    expect(analyze("שלום עולם")).toEqual(["שלום", "עולם"]);
  });

  it("never throws and yields non-empty, bounded terms for arbitrary strings", () => {
    const check = (s: string) => {
      const terms = analyze(s);
      for (const t of terms) {
        expect(t.length).toBeGreaterThan(0);
        expect(Array.from(t).length).toBeLessThanOrEqual(64);
      }
    };
    fc.assert(fc.property(fc.string(), check), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary" }), check), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), check), { numRuns: 300 });
    // 16-bit units include lone surrogates.
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), check),
      { numRuns: 500 },
    );
  });

  it("handles 100k-character inputs quickly", () => {
    const inputs = [
      "a".repeat(100_000),
      `${"ba".repeat(50_000)}ational`,
      "word ".repeat(20_000),
      "漢字".repeat(50_000),
      "\ud800".repeat(100_000),
      "🙂x".repeat(40_000),
    ];
    const start = Date.now();
    for (const s of inputs) expect(() => analyze(s)).not.toThrow();
    expect(analyze("word ".repeat(20_000))).toHaveLength(20_000);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it("termFrequencies counts repeats", () => {
    expect([...termFrequencies(["a", "b", "a"])]).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });
});

describe("bm25", () => {
  it("returns [] for empty inputs", () => {
    expect(bm25([], [{ id: "x", len: 3, tf: [] }])).toEqual([]);
    expect(bm25(["cat"], [])).toEqual([]);
  });

  it("a doc matching a rare term outranks one matching a common term", () => {
    const { q, docs } = corpus("zebra cat", {
      common: "cat pictures",
      rare: "zebra pictures",
      c2: "cat food",
      c3: "cat toys",
      c4: "cat bed",
    });
    const ranked = bm25(q, docs);
    expect(ranked[0]!.id).toBe("rare");
    expect(ranked.find((r) => r.id === "common")!.score).toBeLessThan(ranked[0]!.score);
  });

  it("omits non-matching docs and orders by score desc then id asc", () => {
    const docs: LexicalDoc[] = [
      { id: "b", len: 2, tf: [1] },
      { id: "a", len: 2, tf: [1] },
      { id: "c", len: 2, tf: [2] },
      { id: "none", len: 2, tf: [0] },
    ];
    const ranked = bm25(["t"], docs);
    expect(ranked.map((r) => r.id)).toEqual(["c", "a", "b"]);
    expect(ranked[1]!.score).toBe(ranked[2]!.score);
  });

  it("shorter docs score higher for the same tf (length normalisation)", () => {
    const ranked = bm25(
      ["t"],
      [
        { id: "long", len: 100, tf: [1] },
        { id: "short", len: 5, tf: [1] },
        { id: "other", len: 10, tf: [0] },
      ],
    );
    expect(ranked.map((r) => r.id)).toEqual(["short", "long"]);
  });

  // N comes from the whole corpus passed in: adding documents WITHOUT the term
  // raises its idf (N grows, df stays), so the matching doc's score changes.
  it("adding non-matching docs to the corpus changes N and thus the score", () => {
    const base: LexicalDoc[] = [
      { id: "hit", len: 4, tf: [1] },
      { id: "miss", len: 4, tf: [0] },
    ];
    const bigger = [...base, ...Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, len: 4, tf: [0] }))];
    const s1 = bm25(["t"], base)[0]!.score;
    const s2 = bm25(["t"], bigger)[0]!.score;
    expect(s2).toBeGreaterThan(s1);
    // Exact idf check against the formula, same avgdl in both corpora.
    const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    expect(s2 / s1).toBeCloseTo(idf(22, 1) / idf(2, 1), 12);
  });

  it("matches the BM25 formula on a hand-computed case", () => {
    const docs: LexicalDoc[] = [
      { id: "d1", len: 3, tf: [2] },
      { id: "d2", len: 5, tf: [0] },
    ];
    const avgdl = 4;
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 2 * 2.2) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / avgdl));
    expect(bm25(["t"], docs)[0]!.score).toBeCloseTo(expected, 12);
  });

  const docArb = (q: number) =>
    fc.record({
      id: fc.string({ maxLength: 4 }),
      len: fc.integer({ min: 0, max: 50 }),
      tf: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: q, maxLength: q }),
    });
  const caseArb = fc
    .integer({ min: 1, max: 4 })
    .chain((q) =>
      fc.tuple(
        fc.array(fc.string({ minLength: 1, maxLength: 3 }), { minLength: q, maxLength: q }),
        fc.array(docArb(q), { maxLength: 12 }),
      ),
    );

  it("is a pure, deterministic function of its corpus, sorted, positive scores only", () => {
    fc.assert(
      fc.property(caseArb, ([q, docs]) => {
        const copy = structuredClone(docs);
        const r1 = bm25(q, docs);
        const r2 = bm25(q, copy);
        expect(r2).toEqual(r1);
        expect(docs).toEqual(copy); // input not mutated
        for (const r of r1) expect(r.score).toBeGreaterThan(0);
        for (let i = 1; i < r1.length; i++) {
          const [p, c] = [r1[i - 1]!, r1[i]!];
          expect(p.score > c.score || (p.score === c.score && p.id <= c.id)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("localEmbed", () => {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

  it("is deterministic, 256-dim and unit length", () => {
    const a = localEmbed("The quick brown fox");
    expect(a).toHaveLength(LOCAL_EMBEDDING_DIMS);
    expect(localEmbed("The quick brown fox")).toEqual(a);
    expect(norm(a)).toBeCloseTo(1, 5);
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const v = localEmbed(s);
        expect(v).toEqual(localEmbed(s));
        const n = norm(v);
        expect(n === 0 || Math.abs(n - 1) < 1e-5).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("is all zeros for text without terms", () => {
    for (const s of ["", "   ", "the of and", "🙂!!"]) expect(norm(localEmbed(s))).toBe(0);
    expect(cosine(localEmbed(""), localEmbed("cat"))).toBe(0);
  });

  it("similar texts are closer than unrelated ones", () => {
    const a = localEmbed("the cat sat on the mat");
    const b = localEmbed("a cat sitting on a mat");
    const c = localEmbed("quarterly revenue forecast for investors");
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
    expect(cosine(a, b)).toBeGreaterThan(0.5);
    expect(cosine(a, a)).toBeCloseTo(1, 5);
  });

  it("cosine is 0 for mismatched dims", () => {
    expect(cosine(new Float32Array([1, 0]), new Float32Array([1, 0, 0]))).toBe(0);
  });

  it("bytes round-trip exactly, including from an unaligned view", () => {
    const v = localEmbed("round trip me");
    const bytes = embeddingToBytes(v);
    expect(bytes.byteLength).toBe(LOCAL_EMBEDDING_DIMS * 4);
    expect(embeddingFromBytes(bytes)).toEqual(v);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 1);
    expect(embeddingFromBytes(padded.subarray(1, 1 + bytes.length))).toEqual(v);
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true })), (xs) => {
        const f = Float32Array.from(xs);
        const back = embeddingFromBytes(embeddingToBytes(f));
        expect(back.length).toBe(f.length);
        for (let i = 0; i < f.length; i++) expect(Object.is(back[i], f[i])).toBe(true);
      }),
    );
    expect(() => embeddingFromBytes(new Uint8Array(5))).toThrow(RangeError);
  });
});

describe("reciprocalRankFusion / recencyWeight", () => {
  it("an item in both lists beats items in only one, matchedBy correct", () => {
    const fused = reciprocalRankFusion([
      {
        tier: "LEXICAL",
        hits: [
          { id: "lexOnly", score: 9 },
          { id: "both", score: 5 },
        ],
      },
      {
        tier: "VECTOR",
        hits: [
          { id: "vecOnly", score: 0.9 },
          { id: "both", score: 0.8 },
        ],
      },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["both", "lexOnly", "vecOnly"]);
    expect(fused[0]!.matchedBy).toEqual(["LEXICAL", "VECTOR"]);
    expect(fused[0]!.score).toBeCloseTo(2 / 62, 12);
    expect(fused[1]).toEqual({ id: "lexOnly", score: 1 / 61, matchedBy: ["LEXICAL"] });
    expect(fused[2]).toEqual({ id: "vecOnly", score: 1 / 61, matchedBy: ["VECTOR"] });
  });

  it("matchedBy follows input order and duplicates in one list count once", () => {
    const fused = reciprocalRankFusion(
      [
        {
          tier: "VECTOR",
          hits: [
            { id: "x", score: 1 },
            { id: "x", score: 1 },
          ],
        },
        { tier: "LEXICAL", hits: [{ id: "x", score: 1 }] },
      ],
      0,
    );
    expect(fused).toEqual([{ id: "x", score: 2, matchedBy: ["VECTOR", "LEXICAL"] }]);
    expect(reciprocalRankFusion([])).toEqual([]);
  });

  it("recencyWeight halves at each half-life and is clamped to (0, 1]", () => {
    const h = 86_400_000;
    expect(recencyWeight(0, h)).toBe(1);
    expect(recencyWeight(h, h)).toBeCloseTo(0.5, 12);
    expect(recencyWeight(2 * h, h)).toBeCloseTo(0.25, 12);
    expect(recencyWeight(-5, h)).toBe(1);
    expect(recencyWeight(1e308, 1)).toBeGreaterThan(0);
    expect(recencyWeight(Infinity, h)).toBeGreaterThan(0);
    for (const bad of [0, -1, NaN, Infinity]) expect(recencyWeight(h, bad)).toBe(1);
  });
});
