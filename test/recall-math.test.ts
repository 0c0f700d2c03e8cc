import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  ANALYZER_VERSION,
  analyze,
  analyzeAs,
  foldCase,
  readStoredTerms,
  STOP_WORDS,
  storedTerms,
  termFrequencies,
} from "../src/recall/text.js";
import { analyzeV1 } from "../src/recall/legacyText.js";
import { BM25_DEFAULTS, bm25, bm25Scores, type LexicalDoc } from "../src/recall/bm25.js";
import {
  LOCAL_EMBEDDING_DIMS,
  cosine,
  embeddingFromBytes,
  embeddingToBytes,
  localEmbed,
} from "../src/recall/localEmbedding.js";
import { maxNormalize, meanCenteredNormalize, recencyWeight } from "../src/recall/fusion.js";
import { propagateContext } from "../src/recall/context.js";
import { storedCosines, tfidfCosines } from "../src/recall/vectorTier.js";
import { rankCorpus, type RankMode, type RankRow } from "../src/recall/rank.js";

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

  it("uses Porter2 (Snowball English), not Porter: -ously, -ies, possessives", () => {
    expect(analyze("generously")).toEqual(["generous"]); // Porter (v1) gives "gener"
    expect(analyzeV1("generously")).toEqual(["gener"]);
    expect(analyze("agencies agency")).toEqual(["agenc", "agenc"]);
    // The apostrophe stays inside the word and Porter2 strips the possessive.
    expect(analyze("Caroline's CAROLINE’S caroline")).toEqual(["carolin", "carolin", "carolin"]);
    // Digits are not stemmed (Porter2 would turn "2023" into "202i").
    expect(analyze("2023 v2")).toEqual(["2023", "v2"]);
  });

  it("drops the Snowball English stop words, contractions included, but keeps will/can/may", () => {
    expect(STOP_WORDS.size).toBe(174);
    expect(analyze("What did she do? I'm sure they'd known, wouldn't they")).toEqual(["sure", "known"]);
    expect(analyze("When’s it due")).toEqual(["due"]);
    expect(analyze("will can may")).toEqual(["will", "can", "may"]);
    // Quotes around a word are not apostrophes inside it.
    expect(analyze("'hello' 'tis")).toEqual(["hello", "tis"]);
  });

  it("tags stored term maps with the analyzer version; untagged maps are version 1", () => {
    const stored = storedTerms("Running runs; the runner");
    expect(stored.len).toBe(3);
    const back = readStoredTerms(JSON.parse(JSON.stringify(stored.terms)));
    expect(back).toEqual({ version: ANALYZER_VERSION, terms: { run: 2, runner: 1 } });
    expect(readStoredTerms({ run: 2, bad: "x", neg: -1 })).toEqual({ version: 1, terms: { run: 2 } });
    // A term that is also an Object.prototype name is an ordinary key.
    const odd = readStoredTerms(JSON.parse('{"constructor": 1, "__proto__": 2}')).terms;
    expect(Object.getPrototypeOf(odd)).toBe(null);
    expect(Object.entries(odd)).toEqual([
      ["constructor", 1],
      ["__proto__", 2],
    ]);
    expect(analyzeAs(1, "generously")).toEqual(analyzeV1("generously"));
    expect(analyzeAs(ANALYZER_VERSION, "generously")).toEqual(analyze("generously"));
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

  it("omits non-matching docs and orders by score desc then input order (never by id)", () => {
    const docs: LexicalDoc[] = [
      { id: "b", len: 2, tf: [1] },
      { id: "a", len: 2, tf: [1] },
      { id: "c", len: 2, tf: [2] },
      { id: "none", len: 2, tf: [0] },
    ];
    const ranked = bm25(["t"], docs);
    expect(ranked.map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(ranked[1]!.score).toBe(ranked[2]!.score);
    expect([...bm25Scores(1, docs)]).toEqual([ranked[1]!.score, ranked[2]!.score, ranked[0]!.score, 0]);
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

  it("matches the BM25 formula on a hand-computed case, with the default (0.9, 0.4) and given parameters", () => {
    const docs: LexicalDoc[] = [
      { id: "d1", len: 3, tf: [2] },
      { id: "d2", len: 5, tf: [0] },
    ];
    const avgdl = 4;
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    expect(BM25_DEFAULTS).toEqual({ k1: 0.9, b: 0.4 });
    const at = (k1: number, b: number) => (idf * 2 * (k1 + 1)) / (2 + k1 * (1 - b + (b * 3) / avgdl));
    expect(bm25(["t"], docs)[0]!.score).toBeCloseTo(at(0.9, 0.4), 12);
    expect(bm25(["t"], docs, { k1: 1.2, b: 0.75 })[0]!.score).toBeCloseTo(at(1.2, 0.75), 12);
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
        const unique = docs.map((d, i) => ({ ...d, id: String(i) }));
        const copy = structuredClone(unique);
        const r1 = bm25(q, unique);
        const r2 = bm25(q, copy);
        expect(r2).toEqual(r1);
        expect(unique).toEqual(copy); // input not mutated
        for (const r of r1) expect(r.score).toBeGreaterThan(0);
        for (let i = 1; i < r1.length; i++) {
          const [p, c] = [r1[i - 1]!, r1[i]!];
          expect(p.score > c.score || (p.score === c.score && Number(p.id) < Number(c.id))).toBe(true);
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

describe("fusion normalisation / recencyWeight", () => {
  it("maxNormalize maps the best score to 1 and keeps zeros; all zeros when nothing scored", () => {
    expect([...maxNormalize(Float64Array.from([2, 0, 1, -3]))]).toEqual([1, 0, 0.5, 0]);
    expect([...maxNormalize(Float64Array.from([0, 0]))]).toEqual([0, 0]);
    expect([...maxNormalize(new Float64Array(0))]).toEqual([]);
  });

  it("meanCenteredNormalize keeps only above-average similarity among the scored rows", () => {
    // Rows 0–3 scored (mean 0.4), row 4 not (its value is ignored).
    const out = meanCenteredNormalize(Float64Array.from([0.3, 0.3, 0.4, 0.6, 0.9]), (i) => i < 4);
    expect([...out].map((x) => Number(x.toFixed(12)))).toEqual([0, 0, 0, 1, 0]);
    expect([...meanCenteredNormalize(Float64Array.from([0.5, 0.5]), () => true)]).toEqual([0, 0]);
    expect([...meanCenteredNormalize(Float64Array.from([0.5]), () => false)]).toEqual([0]);
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

/** RankRows the way the gateway builds them: stored term maps read back, creation order in `seq`. */
function rows(items: ReadonlyArray<{ text: string; session?: string; id?: string }>): RankRow[] {
  return items.map((item, i) => {
    const stored = storedTerms(item.text);
    const { version, terms } = readStoredTerms(JSON.parse(JSON.stringify(stored.terms)));
    return {
      id: item.id ?? `r${i}`,
      seq: `01J${String(i).padStart(23, "0")}`,
      len: stored.len,
      terms,
      analyzer: version,
      vector: null,
      embModel: null,
      sessionId: item.session ?? null,
      createdAt: "2025-01-01T00:00:00.000Z",
    };
  });
}
const TERMS = { kind: "terms" } as const;

describe("vector tier, context, rankCorpus", () => {
  it("tfidfCosines matches the ltc cosine on a hand-computed case", () => {
    const r = rows([{ text: "cat dog" }, { text: "cat" }, { text: "bird" }]);
    const out = tfidfCosines(new Map([[ANALYZER_VERSION, ["dog"]]]), r);
    const [ln3, ln15] = [Math.log(3), Math.log(1.5)];
    expect(out[0]).toBeCloseTo(ln3 / Math.sqrt(ln15 ** 2 + ln3 ** 2), 12);
    expect([out[1], out[2]]).toEqual([0, 0]);
    // A term in every row carries no weight (ln(N/N) = 0).
    expect([...tfidfCosines(new Map([[ANALYZER_VERSION, ["cat"]]]), r.slice(0, 2))]).toEqual([0, 0]);
  });

  it("storedCosines compares only vectors of the same model", () => {
    const r = rows([{ text: "a" }, { text: "b" }, { text: "c" }]);
    r[0] = { ...r[0]!, vector: Float32Array.from([1, 0]), embModel: "m" };
    r[1] = { ...r[1]!, vector: Float32Array.from([1, 0]), embModel: "other" };
    expect([...storedCosines(Float32Array.from([1, 0]), "m", r)]).toEqual([1, 0, 0]);
  });

  it("propagateContext adds neighbours' scores by creation order within a session: ½ at one turn, ¼ at two", () => {
    const r: Array<{ sessionId: string | null; seq: string }> = [
      { sessionId: "s", seq: "3" },
      { sessionId: "s", seq: "1" },
      { sessionId: null, seq: "2" },
      { sessionId: "s", seq: "2" },
      { sessionId: "s", seq: "4" },
      { sessionId: "t", seq: "5" },
    ];
    // Session s in order: rows 1, 3, 0, 4. Only row 1 (first turn) scores.
    const out = propagateContext(Float64Array.from([0, 8, 7, 0, 0, 0]), r);
    expect([...out]).toEqual([2, 8, 7, 4, 0, 0]);
  });

  it("equal scores fuse equally, and ties go to the newer row whatever the ids", () => {
    for (const [older, newer] of [
      ["a", "z"],
      ["z", "a"],
    ] as const) {
      const r = rows([
        { text: "kayak trip to the lake", id: older },
        { text: "kayak trip to the lake", id: newer },
        { text: "tax forms", id: "m" },
      ]);
      for (const mode of ["LEXICAL", "VECTOR", "HYBRID"] as RankMode[]) {
        const hits = rankCorpus("kayak lake", r, { mode, topK: 10, vector: TERMS });
        expect(hits.map((h) => h.id)).toEqual([newer, older]);
        expect(hits[0]!.score).toBe(hits[1]!.score);
      }
    }
  });

  it("depends on the rows and their creation order only: input order and id values do not matter", () => {
    const texts = [
      { text: "Melanie: Have you been researching anything lately?", session: "s1" },
      { text: "Caroline: Adoption agencies! I want to give a kid a home.", session: "s1" },
      { text: "Melanie: That is wonderful, kids need love.", session: "s1" },
      { text: "Caroline: I painted a lake sunrise last year.", session: "s2" },
      { text: "Melanie: Research says painting calms you.", session: "s2" },
      { text: "Shared handbook: research budgets go to finance" },
    ];
    const base = rows(texts);
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...base.keys()], { minLength: base.length, maxLength: base.length }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: base.length, maxLength: base.length }),
        (order, names) => {
          const relabelled = order.map((i) => ({ ...base[i]!, id: names[i]! }));
          for (const mode of ["LEXICAL", "VECTOR", "HYBRID"] as RankMode[]) {
            const expected = rankCorpus("What did Caroline research?", base, { mode, topK: 10, vector: TERMS });
            const got = rankCorpus("What did Caroline research?", relabelled, { mode, topK: 10, vector: TERMS });
            expect(got).toEqual(expected.map((h) => ({ ...h, id: names[Number(h.id.slice(1))]! })));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("HYBRID finds at least what each tier finds on a small dialogue, and more thanks to the context", () => {
    const dialogue = rows([
      { text: "[8 May 2023] Melanie: What have you been researching lately?", session: "s1" },
      { text: "[8 May 2023] Caroline: Adoption agencies. I want to give a kid a loving home.", session: "s1" },
      { text: "[8 May 2023] Melanie: You would be such a great mom!", session: "s1" },
      { text: "[8 May 2023] Caroline: I also went to a pottery class on Friday.", session: "s1" },
      { text: "[9 June 2023] Melanie: We went camping at the beach with the kids.", session: "s2" },
      { text: "[9 June 2023] Caroline: Which beach did you camp at?", session: "s2" },
      { text: "[9 June 2023] Melanie: Point Reyes, we roasted marshmallows.", session: "s2" },
      { text: "[9 June 2023] Caroline: My pottery bowl came out of the kiln today.", session: "s2" },
      { text: "[9 June 2023] Melanie: Research on camping says kids sleep better outdoors.", session: "s2" },
    ]);
    // question → rows holding the answer
    const questions: Array<[string, number[]]> = [
      ["What did Caroline research?", [1]],
      ["Where did Melanie camp with her kids?", [6]],
      ["What did Caroline make in pottery class?", [7]],
      ["Did Melanie go camping?", [4]],
    ];
    const found = (mode: RankMode, k: number) =>
      questions.filter(([q, answer]) =>
        rankCorpus(q, dialogue, { mode, topK: k, vector: TERMS }).some((h) => answer.includes(Number(h.id.slice(1)))),
      ).length;
    for (const k of [1, 2, 3]) {
      const [lexical, vector, hybrid] = [found("LEXICAL", k), found("VECTOR", k), found("HYBRID", k)];
      expect(hybrid).toBeGreaterThanOrEqual(lexical);
      expect(hybrid).toBeGreaterThanOrEqual(vector);
    }
    // The answers that only follow a matching turn ("Adoption agencies.", "Point Reyes…") come in through the context.
    expect(found("HYBRID", 3)).toBe(4);
    expect(found("LEXICAL", 3)).toBe(2);
  });

  it("matchedBy names the tiers that scored a row, its conversation context included in HYBRID", () => {
    const r = rows([
      { text: "What have you been researching?", session: "s" },
      { text: "Adoption agencies!", session: "s" },
    ]);
    const hybrid = rankCorpus("research", r, { mode: "HYBRID", topK: 10, vector: TERMS });
    expect(hybrid.map((h) => [h.id, h.matchedBy])).toEqual([
      ["r0", ["LEXICAL", "VECTOR"]],
      ["r1", ["LEXICAL", "VECTOR"]], // only through its neighbour
    ]);
    expect(hybrid[0]!.score).toBe(2);
    expect(hybrid[1]!.score).toBe(1); // ½ of each tier's normalised 1
    expect(rankCorpus("research", r, { mode: "LEXICAL", topK: 10 }).map((h) => [h.id, h.matchedBy])).toEqual([
      ["r0", ["LEXICAL"]],
    ]);
    expect(rankCorpus("research", r, { mode: "VECTOR", topK: 10, vector: TERMS }).map((h) => h.id)).toEqual(["r0"]);
    // VECTOR without a vector tier finds nothing; HYBRID falls back to the lexical tier (with its context).
    expect(rankCorpus("research", r, { mode: "VECTOR", topK: 10 })).toEqual([]);
    expect(rankCorpus("research", r, { mode: "HYBRID", topK: 10 }).map((h) => [h.id, h.matchedBy])).toEqual([
      ["r0", ["LEXICAL"]],
      ["r1", ["LEXICAL"]],
    ]);
  });

  it("rows of analyzer version 1 are matched by the query as version 1 analyzes it", () => {
    const r = rows([{ text: "she gave generously" }, { text: "unrelated words here" }]);
    const v1Terms = termFrequencies(analyzeV1("he gives generously"));
    r.push({ ...r[1]!, id: "old", seq: "01K", terms: Object.fromEntries(v1Terms), len: 3, analyzer: 1 });
    const hits = rankCorpus("generously", r, { mode: "LEXICAL", topK: 10 });
    expect(hits.map((h) => h.id).sort()).toEqual(["old", "r0"]);
    expect(analyzeV1("generously")).not.toEqual(analyze("generously")); // so the versions really differ
  });

  it("recency multiplies scores; topK bounds the answer; empty input gives nothing", () => {
    const r = rows([{ text: "kayak" }, { text: "kayak" }]);
    r[0] = { ...r[0]!, createdAt: "2025-01-01T00:00:00.000Z" };
    r[1] = { ...r[1]!, createdAt: "2024-12-31T00:00:00.000Z" };
    const nowMs = Date.parse("2025-01-01T00:00:00.000Z");
    const hits = rankCorpus("kayak", r, {
      mode: "LEXICAL",
      topK: 10,
      recency: { halfLifeMs: 86_400_000, nowMs },
    });
    expect(hits.map((h) => h.id)).toEqual(["r0", "r1"]);
    expect(hits[1]!.score).toBeCloseTo(hits[0]!.score / 2, 12);
    expect(rankCorpus("kayak", r, { mode: "LEXICAL", topK: 1 })).toHaveLength(1);
    expect(rankCorpus("kayak", [], { mode: "HYBRID", topK: 5, vector: TERMS })).toEqual([]);
    expect(rankCorpus("the of and", r, { mode: "HYBRID", topK: 5, vector: TERMS })).toEqual([]);
  });
});
