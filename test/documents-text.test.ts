import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { decode, encode } from "gpt-tokenizer";
import { DOCUMENT_MIME_TYPES, MAX_HTML_DEPTH, reduceToText, withoutByteOrderMark } from "../src/documents/reduce.js";
import {
  chunkText,
  countTokens,
  encode as boundedEncode,
  encodingSegments,
  MAX_RUN,
  type TextChunk,
} from "../src/documents/chunk.js";
import { contentHash } from "../src/documents/hash.js";

const plain = { disallowedSpecial: new Set<string>() };

/** Runs fn and returns what it threw (fails the test if nothing was thrown). */
function errorOf(fn: () => unknown): Error & { extensions?: { code?: unknown } } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}
const codeOf = (fn: () => unknown) => (errorOf(fn) as { code?: string }).code;

describe("reduceToText", () => {
  it("lists the supported mime types", () => {
    expect([...DOCUMENT_MIME_TYPES]).toEqual(["text/plain", "text/markdown", "application/json", "text/html"]);
  });

  it("text/plain: CRLF → LF, NUL stripped, trimmed", () => {
    expect(reduceToText("  a\r\nb\0c\r\n\r\n", "text/plain")).toBe("a\nbc");
  });

  it("accepts mime types case-insensitively and with parameters", () => {
    expect(reduceToText("x", "Text/Plain; charset=UTF-8")).toBe("x");
  });

  it("text/html: visible text only, entities decoded, no script/style/img/URLs", () => {
    const html = `<!doctype html><html><head><title>t</title>
      <style>.secret { color: red }</style>
      <script>window.stolen = "SECRET_SCRIPT";</script></head>
      <body><h1>Caf&eacute; &amp; Bar</h1>
      <p>Read <a href="https://evil.example/path">the menu</a> &mdash; now&nbsp;open.<img src="x.png" alt="IMGALT"></p>
      <script type="module">import "SECRET_MODULE";</script>
      </body></html>`;
    const text = reduceToText(html, "text/html");
    expect(text).toContain("Café & Bar");
    expect(text).toContain("Read the menu — now");
    for (const leaked of [
      "SECRET_SCRIPT",
      "SECRET_MODULE",
      ".secret",
      "color: red",
      "evil.example",
      "IMGALT",
      "x.png",
      "<",
      "&amp;",
      "&eacute;",
    ]) {
      expect(text).not.toContain(leaked);
    }
  });

  it("text/html: escaped script text never comes back as a literal <script", () => {
    const text = reduceToText("<p>&lt;script&gt;alert(1)&lt;/script&gt; and &lt;SCRIPT src=x&gt;</p>", "text/html");
    expect(text).toContain("alert(1)");
    expect(text.toLowerCase()).not.toContain("<script");
    expect(text.toLowerCase()).not.toContain("</script");
  });

  it("text/html: no input yields <script (property)", () => {
    const piece = fc.constantFrom(
      "<script>",
      "</script>",
      "&lt;script&gt;",
      "&lt;/SCRIPT&gt;",
      "&#60;script",
      "<p>",
      "</p>",
      "x",
      " ",
      "<",
      "&lt;",
      "script",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        expect(reduceToText(parts.join(""), "text/html").toLowerCase()).not.toMatch(/<\s*\/?\s*script/);
      }),
    );
  });

  it("text/markdown: headings, emphasis, links, images, fences and comments reduced", () => {
    const md = [
      "# Title #",
      "",
      "Some **bold**, __strong__, *em*, _it_ and ~~gone~~ words; keep snake_case_name and `a*b*c`.",
      "![diagram](https://img.example/d.png) See [the docs](https://docs.example/x_(y)) now.",
      "<!-- a hidden",
      "comment -->",
      "```ts",
      "const x = a * b * c; // **not emphasis**",
      "```",
      "> quoted *text*",
      "",
      "---",
      "[ref]: https://ref.example",
    ].join("\r\n");
    expect(reduceToText(md, "text/markdown")).toBe(
      [
        "Title",
        "",
        "Some bold, strong, em, it and gone words; keep snake_case_name and a*b*c.",
        "See the docs now.",
        "", // where the comment was
        "const x = a * b * c; // **not emphasis**",
        "quoted text",
      ].join("\n"),
    );
  });

  it("application/json: flattened key paths with unquoted strings", () => {
    const json = JSON.stringify({
      user: { name: "Ada Lovelace", tags: ["math", { lang: "en" }], active: true, age: 36, spouse: null, extra: {} },
      list: [],
    });
    expect(reduceToText(json, "application/json").split("\n")).toEqual([
      "user.name: Ada Lovelace",
      "user.tags[0]: math",
      "user.tags[1].lang: en",
      "user.active: true",
      "user.age: 36",
      "user.spouse: null",
      "user.extra: {}",
      "list: []",
    ]);
    expect(reduceToText(`[{"a":1},2]`, "application/json")).toBe("[0].a: 1\n[1]: 2");
  });

  it("application/json: deep nesting does not overflow the stack", () => {
    const depth = 20_000;
    const json = `${"[".repeat(depth)}1${"]".repeat(depth)}`;
    expect(reduceToText(json, "application/json")).toBe(`${"[0]".repeat(depth)}: 1`);
  });

  it("invalid JSON is BAD_USER_INPUT with a short reason", () => {
    expect(codeOf(() => reduceToText(`{"a": 1,`, "application/json"))).toBe("BAD_USER_INPUT");
    const e = errorOf(() => reduceToText(`{"a": ${"x".repeat(10_000)}`, "application/json"));
    expect(e.message).toMatch(/^content is not valid JSON: /);
    expect(e.message.length).toBeLessThan(200);
  });

  it("content that is not well-formed Unicode is BAD_USER_INPUT on field content, in every mime type", () => {
    for (const mime of DOCUMENT_MIME_TYPES) {
      for (const bad of ["ab\uD800cd", "\uDC00 at start", "end \uD83D"]) {
        const content = mime === "application/json" ? JSON.stringify({ a: bad }) : bad;
        const e = errorOf(() => reduceToText(content, mime));
        expect((e as { code?: string }).code).toBe("BAD_USER_INPUT");
        expect(e.extensions).toEqual({ field: "content" });
        expect(e.message).toMatch(/lone UTF-16 surrogate/);
      }
    }
    // A JSON escape spelling a lone surrogate decodes to one: refused too (storage would store U+FFFD).
    expect(errorOf(() => reduceToText(String.raw`{"a": "x\ud800y"}`, "application/json")).message).toMatch(
      /decodes to text that contains a lone UTF-16 surrogate/,
    );
    // A valid pair, escaped or not, is fine; HTML entities for surrogates are U+FFFD by the HTML spec.
    expect(reduceToText(String.raw`{"a": "\ud83d\ude00"}`, "application/json")).toBe("a: 😀");
    expect(reduceToText("<p>&#xD800;</p>", "text/html")).toBe("\uFFFD");
  });

  it("a leading byte-order mark is an encoding signature: dropped, like every U+FEFF inside the text", () => {
    expect(withoutByteOrderMark("\uFEFFhello")).toBe("hello");
    expect(withoutByteOrderMark("hello\uFEFF")).toBe("hello\uFEFF");
    for (const mime of ["text/plain", "text/markdown", "text/html"]) {
      expect(reduceToText("\uFEFFone\uFEFFtwo", mime)).toBe("onetwo");
    }
    expect(reduceToText('\uFEFF{"a": "b\uFEFFc"}', "application/json")).toBe("a: bc");
    expect(reduceToText("<p>&#xFEFF;x</p>", "text/html")).toBe("x");
  });

  it(`text/html nested up to ${MAX_HTML_DEPTH} levels reduces; deeper is BAD_USER_INPUT, never a stack overflow`, () => {
    const nest = (open: string, close: string, n: number) => `${open.repeat(n)}deep text${close.repeat(n)}`;
    expect(reduceToText(nest("<div>", "</div>", MAX_HTML_DEPTH), "text/html")).toBe("deep text");
    expect(reduceToText(nest("<ul><li>", "</li></ul>", MAX_HTML_DEPTH / 2), "text/html")).toMatch(/\* deep text$/);
    // Void and implicitly closed elements do not count as nesting.
    expect(reduceToText(`${"<p>a<br><img src=x>".repeat(5000)}`, "text/html")).toContain("a");
    for (const [open, close] of [
      ["<div>", "</div>"],
      ["<ul><li>", ""],
      ["<b>", ""],
      ["<table><tr><td>", ""],
    ] as const) {
      const e = errorOf(() => reduceToText(nest(open, close, 5000), "text/html"));
      expect((e as { code?: string }).code).toBe("BAD_USER_INPUT");
      expect(e.message).toContain(`more than ${MAX_HTML_DEPTH} elements deep`);
    }
  });

  it("unknown mime type is BAD_USER_INPUT", () => {
    expect(codeOf(() => reduceToText("x", "application/pdf"))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => reduceToText("x", ""))).toBe("BAD_USER_INPUT");
    expect(errorOf(() => reduceToText("x", "image/png")).message).toContain("mimeType must be one of");
  });
});

// ---------------------------------------------------------------- chunking

const asciiText = fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 400 }).filter((s) => s.trim() !== "");
const sizes = fc
  .integer({ min: 1, max: 40 })
  .chain((size) => fc.record({ size: fc.constant(size), overlap: fc.integer({ min: 0, max: size - 1 }) }));

/** Structural invariants that must hold for any input. */
function expectWellFormed(chunks: TextChunk[], n: number) {
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i));
  expect(chunks[0]!.tokenStart).toBe(0);
  expect(chunks.at(-1)!.tokenEnd).toBe(n);
  for (let i = 1; i < chunks.length; i++) {
    const [a, b] = [chunks[i - 1]!, chunks[i]!];
    expect(b.tokenStart).toBeGreaterThan(a.tokenStart); // progress
    expect(b.tokenEnd).toBeGreaterThan(a.tokenEnd); // never contained in the previous window
    expect(b.tokenStart).toBeLessThanOrEqual(a.tokenEnd); // no gap
  }
}

describe("chunkText", () => {
  it("countTokens counts o200k tokens and tolerates special-token text", () => {
    expect(countTokens("hello world")).toBe(2);
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });

  it("empty and whitespace-only text gives no chunks", () => {
    expect(chunkText("", { size: 10, overlap: 2 })).toEqual([]);
    expect(chunkText(" \n\t ", { size: 10, overlap: 2 })).toEqual([]);
  });

  it("rejects bad size/overlap with BAD_USER_INPUT", () => {
    expect(codeOf(() => chunkText("a b c", { size: 4, overlap: 4 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => chunkText("a b c", { size: 4, overlap: 5 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => chunkText("a b c", { size: 0, overlap: 0 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => chunkText("a b c", { size: 4, overlap: -1 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => chunkText("a b c", { size: 2.5, overlap: 0 }))).toBe("BAD_USER_INPUT");
  });

  it("fixed example: stride size-overlap, last window ends at the last token", () => {
    const text = Array.from({ length: 11 }, (_, i) => `w${i}`).join(" ");
    const n = encode(text, plain).length;
    const chunks = chunkText(text, { size: 4, overlap: 1 });
    expectWellFormed(chunks, n);
    for (let i = 0; i < chunks.length - 1; i++) expect(chunks[i]!.tokenStart).toBe(i * 3);
    expect(chunks.at(-1)!.tokenStart).toBeLessThan(n - 1); // no tail made of overlap only
  });

  it("short text is a single chunk equal to the text", () => {
    expect(chunkText("Hello, world.", { size: 50, overlap: 10 })).toEqual([
      { position: 0, text: "Hello, world.", tokenStart: 0, tokenEnd: countTokens("Hello, world.") },
    ]);
  });

  it("ASCII: ≤ size tokens, exactly `overlap` shared tokens, text matches the token window, reconstructs", () => {
    fc.assert(
      fc.property(asciiText, sizes, (text, { size, overlap }) => {
        const tokens = encode(text, plain);
        const chunks = chunkText(text, { size, overlap });
        expectWellFormed(chunks, tokens.length);
        let rebuilt = "";
        chunks.forEach((c, i) => {
          expect(c.tokenEnd - c.tokenStart).toBeLessThanOrEqual(size);
          expect(c.tokenEnd - c.tokenStart).toBeGreaterThan(0);
          expect(c.text).toBe(decode(tokens.slice(c.tokenStart, c.tokenEnd)));
          if (i === 0) {
            rebuilt = c.text;
            return;
          }
          const prev = chunks[i - 1]!;
          expect(prev.tokenEnd - c.tokenStart).toBe(overlap);
          expect(c.tokenStart - prev.tokenStart).toBe(size - overlap);
          const shared = decode(tokens.slice(c.tokenStart, prev.tokenEnd));
          expect(c.text.startsWith(shared)).toBe(true);
          rebuilt += c.text.slice(shared.length);
        });
        expect(rebuilt).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("emoji / CJK / astral text never yields U+FFFD at tiny sizes", () => {
    const text = "😀🎉 日本語のテキスト 𠀋𡈽 👨‍👩‍👧‍👦 naïve café Ελληνικά 🇯🇵🇫🇷 ".repeat(3);
    const n = encode(text, plain).length;
    let sawSplitRisk = false;
    for (let size = 1; size <= 8; size++) {
      for (let overlap = 0; overlap < size; overlap++) {
        const chunks = chunkText(text, { size, overlap });
        expectWellFormed(chunks, n);
        for (const c of chunks) {
          expect(c.text).not.toContain("\uFFFD");
          if (c.tokenEnd - c.tokenStart > size) sawSplitRisk = true;
        }
        // Non-overlapping parts concatenate to the input even here.
        if (overlap === 0) expect(chunks.map((c) => c.text).join("")).toBe(text);
      }
    }
    // The fixture really contains characters spread over several tokens.
    expect(sawSplitRisk).toBe(true);
  });

  it("arbitrary Unicode never yields U+FFFD unless the input had one (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 120 }), sizes, (text, { size, overlap }) => {
        if (text.trim() === "") return;
        const chunks = chunkText(text, { size, overlap });
        expectWellFormed(chunks, encode(text, plain).length);
        if (!text.includes("\uFFFD")) for (const c of chunks) expect(c.text).not.toContain("\uFFFD");
      }),
      { numRuns: 300 },
    );
  });

  it("does not corrupt later gpt-tokenizer decode() calls", () => {
    // gpt-tokenizer's decode() shares a streaming TextDecoder; chunking must not leave bytes in it.
    chunkText("🎉𠀋𡈽".repeat(5), { size: 1, overlap: 0 });
    expect(decode(encode("hello"))).toBe("hello");
  });
});

/** Chinese prose without spaces (the shape that made the tokenizer quadratic), `n` UTF-16 units long. */
function chineseRun(n: number): string {
  const prose =
    "我们今天讨论的是人工智能在医疗领域的应用以及它对社会带来的深远影响这个问题非常复杂需要从多个角度来分析首先技术本身的发展速度很快其次法律法规还不完善最后公众的接受程度也各不相同";
  return prose.repeat(Math.ceil(n / prose.length)).slice(0, n);
}

describe("tokenizing long runs without whitespace (MAX_RUN)", () => {
  it("text whose runs are all ≤ MAX_RUN is one segment and encodes exactly as gpt-tokenizer does", () => {
    const word = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((w) => !/\s/.test(w));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 60 }), (words) => {
        const text = words.join(" ");
        expect(encodingSegments(text)).toEqual([text]);
        expect(boundedEncode(text)).toEqual(encode(text, plain));
        expect(countTokens(text)).toBe(encode(text, plain).length);
      }),
      { numRuns: 200 },
    );
  });

  it("segments concatenate to the text, each run piece ≤ MAX_RUN, and no surrogate pair or mark is split", () => {
    const atom = fc.constantFrom("語", "😀", "e\u0301", "👨‍👩‍👧", "🇯🇵", "a", "1", ".", "\uFE0F");
    fc.assert(
      fc.property(fc.array(atom, { minLength: 1, maxLength: 900 }), fc.constantFrom("", " ", "\n"), (atoms, sep) => {
        const text = atoms.join("") + sep + atoms.join("");
        const segments = encodingSegments(text);
        expect(segments.join("")).toBe(text);
        for (const [i, s] of segments.entries()) {
          expect(s.length).toBeGreaterThan(0);
          if (i > 0) {
            // A segment never starts with a lone low surrogate or with a mark that belongs to the previous one.
            expect(s.charCodeAt(0) >= 0xdc00 && s.charCodeAt(0) <= 0xdfff).toBe(false);
          }
          const longestRun = Math.max(...(s.match(/\S+|\s+/g) ?? [""]).map((r) => r.length));
          expect(longestRun).toBeLessThanOrEqual(text.length > MAX_RUN ? MAX_RUN + 1 : text.length);
        }
        expect(boundedEncode(text).length).toBe(countTokens(text));
      }),
      { numRuns: 100 },
    );
  });

  it("a long Chinese run costs at most a fraction of a percent more tokens than the unbounded encoding", () => {
    const text = chineseRun(4000); // the unbounded encoding of 4,000 characters still takes ~0.2 s
    const exact = encode(text, plain).length;
    const bounded = countTokens(text);
    expect(encodingSegments(text).length).toBe(Math.ceil(4000 / MAX_RUN));
    expect(bounded).toBeGreaterThanOrEqual(exact);
    expect(bounded / exact).toBeLessThan(1.005);
  });

  it("120,000 characters of Chinese without spaces chunk in linear time into windows that rebuild the text", () => {
    const text = chineseRun(120_000);
    const started = performance.now();
    const chunks = chunkText(text, { size: 512, overlap: 0 });
    const ms = performance.now() - started;
    expectWellFormed(chunks, countTokens(text));
    expect(chunks.map((c) => c.text).join("")).toBe(text);
    for (const c of chunks) expect(c.tokenEnd - c.tokenStart).toBeLessThanOrEqual(512);
    // Before MAX_RUN this took ~20 s (quadratic); now ~0.1 s. The bound leaves room for a loaded machine.
    expect(ms).toBeLessThan(3000);
  });
});

describe("contentHash", () => {
  it("is a stable sha256 hex over mime type and content", () => {
    const h = contentHash("hello", "text/plain");
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash("hello", "text/plain")).toBe(h);
    // sha256("text/plain\nhello"): pins the exact input layout, since stored hashes must not drift.
    expect(h).toBe("564a2c8a09390052a4de28a895d914b11fd2214436256ff2f18dbed18e5fe724");
  });

  it("normalizes the mime type but differs by mime type and content", () => {
    const h = contentHash("hello", "text/plain");
    expect(contentHash("hello", "Text/Plain; charset=utf-8")).toBe(h);
    expect(contentHash("hello", "text/markdown")).not.toBe(h);
    expect(contentHash("hello!", "text/plain")).not.toBe(h);
    expect(contentHash("hello ", "text/plain")).not.toBe(h);
  });
});
