/**
 * Reduce an uploaded document to plain, readable text before it is chunked,
 * tokenized and embedded. Everything downstream (token counts, chunk
 * boundaries, content hashes of chunks) works on this text, so the reduction
 * must be deterministic and must not keep markup that carries no meaning for
 * retrieval (URLs, tag soup, emphasis markers) — it would only burn tokens.
 */
import { convert, type HtmlToTextOptions } from "html-to-text";
import { Parser } from "htmlparser2";
import { storageAlteration } from "../domain/text.js";
import { DocumentInputError } from "./errors.js";

export const DOCUMENT_MIME_TYPES = ["text/plain", "text/markdown", "application/json", "text/html"] as const;
export type DocumentMimeType = (typeof DOCUMENT_MIME_TYPES)[number];

/**
 * Lowercase and drop parameters (`text/html; charset=utf-8` → `text/html`).
 * The content arrives as a JS string, so the charset has already been applied
 * by the transport; keeping it would only make equal documents look different.
 */
export function normalizeMimeType(mimeType: string): string {
  return (mimeType.split(";", 1)[0] ?? "").trim().toLowerCase();
}

function isDocumentMimeType(m: string): m is DocumentMimeType {
  return (DOCUMENT_MIME_TYPES as readonly string[]).includes(m);
}

/**
 * The content without a leading U+FEFF. At the start of an uploaded document U+FEFF is a
 * byte-order mark: an encoding signature that editors write and that is not part of the text
 * (Unicode §23.8). It is dropped before hashing and reduction, so the same document with and
 * without its signature is one document.
 */
export function withoutByteOrderMark(content: string): string {
  return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
}

/**
 * The readable text of `content` as `mimeType` (one of DOCUMENT_MIME_TYPES, parameters ignored):
 * what is chunked, indexed and stored. Deterministic. Errors (DocumentInputError, so
 * BAD_USER_INPUT on field `content`): an unknown mime type; content that is not well-formed
 * Unicode (a lone UTF-16 surrogate, which storage would turn into U+FFFD), also when a JSON
 * escape spells one; invalid JSON; HTML nested deeper than MAX_HTML_DEPTH.
 *
 * Every U+FEFF is dropped (see `normalizeText`), so no stored chunk can begin with one: the
 * SDK drops a leading U+FEFF of a stored string, which would silently shorten that chunk.
 */
export function reduceToText(content: string, mimeType: string): string {
  const mime = normalizeMimeType(mimeType);
  if (!isDocumentMimeType(mime)) {
    throw new DocumentInputError(`mimeType must be one of ${DOCUMENT_MIME_TYPES.join(", ")}`);
  }
  const problem = storageAlteration(withoutByteOrderMark(content));
  if (problem) throw new DocumentInputError(`content ${problem}`, "content");
  // Line-ending and NUL clean-up happens up front so every reducer sees "\n"
  // only, and once more at the end because JSON escapes ("\u0000", "\r\n")
  // and HTML entities (&#13;) can reintroduce them.
  const input = normalizeText(content);
  let out: string;
  switch (mime) {
    case "text/plain":
      out = input;
      break;
    case "text/markdown":
      out = reduceMarkdown(input);
      break;
    case "application/json":
      out = reduceJson(input);
      break;
    case "text/html":
      out = reduceHtml(input);
      break;
  }
  const text = normalizeText(out).trim();
  // HTML entities for surrogates decode to U+FFFD, but a JSON string escape ("\uD800") decodes to
  // the lone surrogate itself.
  const escaped = storageAlteration(text);
  if (escaped) throw new DocumentInputError(`content decodes to text that ${escaped}`, "content");
  return text;
}

/**
 * CRLF/CR → LF, strip NUL (it breaks Postgres-style text columns, tokenizers and log lines
 * alike) and U+FEFF: a leading one is a byte-order mark (see `withoutByteOrderMark`), one
 * inside a document is the deprecated zero-width no-break space or, far more often, the
 * signature of a file concatenated into the middle of another; it is invisible either way.
 */
function normalizeText(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(/[\0\uFEFF]/g, "");
}

// ---------------------------------------------------------------- HTML

/**
 * Deepest element nesting accepted in text/html. Chromium's HTML parser builds at most 512
 * levels (`kMaximumHTMLParserDOMTreeDepth`), so no page a browser shows needs more. The bound
 * is there because html-to-text walks the DOM recursively: 3,000 nested `<div>` (1,000
 * `<ul><li>` pairs) overflowed the main thread's stack, which answered INTERNAL_SERVER_ERROR.
 * 512 levels of the costliest nesting measured (`<table><tr><td>`, `<ol><li><p><b><a>`) still
 * reduce with half the default stack (`--stack-size=500`).
 */
export const MAX_HTML_DEPTH = 512;

/** Throws DocumentInputError when `html` nests elements deeper than MAX_HTML_DEPTH. Linear, no recursion. */
function checkHtmlDepth(html: string): void {
  // htmlparser2 (the parser html-to-text uses, same options) reports every element's open and
  // close, implied closes and void elements included, so `depth` is the DOM depth it builds.
  let depth = 0;
  const tooDeep = new DocumentInputError(
    `content is HTML nested more than ${MAX_HTML_DEPTH} elements deep; browsers build at most ${MAX_HTML_DEPTH} levels`,
    "content",
  );
  const parser = new Parser(
    {
      onopentag() {
        if (++depth > MAX_HTML_DEPTH) throw tooDeep;
      },
      onclosetag() {
        depth--;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
}

const HTML_OPTIONS: HtmlToTextOptions = {
  // Chunking decides where text breaks; hard wraps would only add noise tokens.
  wordwrap: false,
  // The default (16 Mi characters) truncates longer input with only a console warning: the
  // document limit (SCOPEGATE_DOCUMENT_MAX_BYTES, up to 64 MiB) is the one bound that applies.
  limits: { maxInputLength: Number.POSITIVE_INFINITY },
  selectors: [
    // Images carry no text (alt text is usually filler); script/style are not visible content
    // and must never leak into stored text that may later be rendered somewhere.
    { selector: "img", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "noscript", format: "skip" },
    { selector: "template", format: "skip" },
    // Keep link text only: URLs are token-heavy and useless for semantic search.
    { selector: "a", options: { ignoreHref: true } },
    // html-to-text upper-cases headings by default; keep the author's casing so
    // exact-phrase and lexical matching still work.
    ...(["h1", "h2", "h3", "h4", "h5", "h6"] as const).map((h) => ({ selector: h, options: { uppercase: false } })),
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
};

function reduceHtml(html: string): string {
  checkHtmlDepth(html);
  const text = convert(html, HTML_OPTIONS);
  // Entity decoding can turn visible text like "&lt;script&gt;" into a literal
  // "<script". The output must never contain that sequence (it may be shown in
  // an HTML UI later), so swap the "<" for a look-alike that no parser treats
  // as a tag opener. A single pass is enough: the replacement cannot create a
  // new match.
  return text.replace(/<(\s*\/?\s*script)/gi, "\u2039$1");
}

// ---------------------------------------------------------------- Markdown

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

function reduceMarkdown(md: string): string {
  // HTML comments may span lines (and hide anything), so drop them before line processing.
  // Raw <script>/<style> blocks are legal in Markdown but are not readable text.
  const src = md.replace(/<!--[\s\S]*?(?:-->|$)/g, "").replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, "");
  const out: string[] = [];
  let fence: string | null = null; // the opening marker while inside a fenced code block
  for (const line of src.split("\n")) {
    const f = FENCE.exec(line);
    if (fence !== null) {
      // Code is kept verbatim: "emphasis" characters inside code are meaningful.
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[1]) fence = null;
      else out.push(line);
      continue;
    }
    if (f) {
      fence = f[1]!;
      continue;
    } // the fence line itself (with its info string) is markup
    const reduced = reduceMarkdownLine(line);
    if (reduced !== null) out.push(reduced);
  }
  // Collapse the blank-line runs left behind by dropped lines.
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

// "(url)" or "(url "title")", allowing one level of parentheses inside (Wikipedia-style URLs).
const URL_PART = String.raw`\((?:[^()]|\([^()]*\))*\)`;
// Trailing blank included so a dropped image leaves no gap.
const INLINE_IMAGE = new RegExp(String.raw`!\[[^\]]*\]${URL_PART}[ \t]?`, "g");
const INLINE_LINK = new RegExp(String.raw`\[([^\]]*)\]${URL_PART}`, "g");

/** One non-code line → readable text, or null when the line is pure markup. */
function reduceMarkdownLine(line: string): string | null {
  // Link reference definitions (`[id]: https://…`) and thematic breaks / setext underlines are markup only.
  if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line)) return null;
  if (/^\s{0,3}([-*_=])(\s*\1){2,}\s*$/.test(line)) return null;
  let s = line.replace(/^(\s*>\s?)+/, ""); // blockquote markers
  const heading = /^\s{0,3}#{1,6}(?:\s+|$)/.exec(s);
  // ATX heading: drop the opening #'s and the optional closing run.
  if (heading) s = s.slice(heading[0].length).replace(/(?:^|\s+)#+\s*$/, "");
  // Images first (they look like links with a leading "!"), then links: keep the text, drop the URL.
  s = s
    .replace(INLINE_IMAGE, "")
    .replace(/!\[[^\]]*\]\[[^\]]*\][ \t]?/g, "")
    .replace(INLINE_LINK, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, "$1"); // autolink: the URL is the only text there is
  // Inline HTML tags and emphasis/strike markers, only outside inline code
  // spans so `a*b*c` and `Promise<T>` survive.
  s = mapOutsideCode(
    s,
    (t) =>
      t
        .replace(/<\/?[A-Za-z][^>]*>/g, "")
        .replace(/(?<![\\\w*])(\*\*|__)(?=\S)([\s\S]*?\S)\1(?![\w*])/g, "$2")
        .replace(/(?<![\\\w*])(\*|_)(?=\S)([\s\S]*?\S)\1(?![\w*])/g, "$2")
        .replace(/(?<!\\)~~(?=\S)([\s\S]*?\S)~~/g, "$1")
        .replace(/\\([!-/:-@[-`{-~])/g, "$1"), // backslash escapes → the literal character
  );
  return s;
}

/** Apply `fn` to the parts of `s` outside inline code spans; code spans lose their backticks. */
function mapOutsideCode(s: string, fn: (t: string) => string): string {
  let out = "";
  let last = 0;
  for (const m of s.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)) {
    out += fn(s.slice(last, m.index)) + m[2]!;
    last = m.index + m[0].length;
  }
  return out + fn(s.slice(last));
}

// ---------------------------------------------------------------- JSON

function reduceJson(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    // V8 messages quote part of the input; keep the reason short so a huge
    // document is not echoed back in the error.
    const reason = e instanceof Error ? e.message : String(e);
    throw new DocumentInputError(
      `content is not valid JSON: ${reason.length > 120 ? `${reason.slice(0, 117)}...` : reason}`,
    );
  }
  return flattenJson(value).join("\n");
}

/**
 * `{"a":{"b":[1,"x"]}}` → `a.b[0]: 1`, `a.b[1]: x`. Paths keep each value next
 * to its meaning, which is what makes JSON retrievable as text. Iterative (an
 * explicit stack) because JSON.parse accepts nesting deep enough to overflow
 * the call stack of a recursive walk.
 */
function flattenJson(root: unknown): string[] {
  const lines: string[] = [];
  const stack: Array<[path: string, value: unknown]> = [["", root]];
  while (stack.length > 0) {
    const [path, value] = stack.pop()!;
    const children: Array<[string, unknown]> = [];
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        children.push([`${path}[${i}]`, v]);
      });
      if (children.length === 0) lines.push(line(path, "[]")); // keep "this exists and is empty"
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) children.push([joinKey(path, k), v]);
      if (children.length === 0) lines.push(line(path, "{}"));
    } else {
      lines.push(line(path, typeof value === "string" ? value : String(value)));
    }
    // Reverse so the stack pops children in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return lines;
}

function line(path: string, value: string): string {
  return path === "" ? value : `${path}: ${value}`; // a bare top-level scalar has no path
}

/** Plain keys use dot notation; keys that would make the path ambiguous are bracket-quoted. */
function joinKey(path: string, key: string): string {
  if (/^[^.[\]\s:"]+$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
