/**
 * Fixed input corpora of the generator: words for texts and queries, scope values, malformed and
 * Unicode-heavy scopes, garbage ids and cursors, and the id codec used to forge well-formed ids.
 */
import { decodeGlobalId, globalId } from "../../src/domain/globalIds.js";
export const WORDS = [
  "tea",
  "coffee",
  "fruit",
  "apple",
  "roadmap",
  "launch",
  "budget",
  "pricing",
  "meeting",
  "spring",
  "invoice",
  "travel",
  "plan",
  "report",
  "customer",
  "contract",
  "deadline",
  "review",
  "billing",
  "handbook",
];
export const NASTY = [
  "'; DELETE memory; --",
  '" } ; REMOVE TABLE memory; {',
  "$token.ftags",
  "𝔘𝔫𝔦 ✓ שלום",
  "<script>x</script>",
];
export const USERS = ["bob", "ann", "zo\u00eb", "李雷"];
export const TOPICS = ["fruit", "travel", "billing"];
export const ROLES = ["USER", "ASSISTANT", "SYSTEM", "TOOL"];

/** Scopes the scope algebra must refuse with BAD_USER_INPUT. */
export const MALFORMED_SCOPES: readonly unknown[] = [
  "org=alpha",
  5,
  [],
  [["user", "bob"]],
  { User: "bob" },
  { "1user": "bob" },
  { "user-name": "bob" },
  { ["d".repeat(33)]: "x" },
  { user: 5 },
  { user: true },
  { user: { nested: "x" } },
  { user: "" },
  { user: "x".repeat(129) },
  { user: "a\u0007b" },
  { user: "tab\there" },
  { user: "nul\u0000" },
  Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`d${i}`, "v"])),
  // Values the database would alter: lone surrogates and noncharacters (DESIGN §3).
  { user: "bob\ud800" },
  { user: "\udc00" },
  { topic: "x\ufffe" },
  { topic: "\ufdd0" },
];

/** Valid scopes that stress Unicode and length limits. */
export const UNICODE_SCOPES: readonly Record<string, string>[] = [
  { user: "zo\u00eb" },
  { user: "zoe\u0308" },
  { user: "李雷", topic: "🍎" },
  { user: "x".repeat(128) },
  { user: "🍎".repeat(128) },
];

export const GARBAGE_IDS = [
  "",
  "x' OR true --",
  "null",
  "0",
  "-1",
  "memory:1",
  "session:⟨x⟩",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "🙂",
  "a".repeat(2000),
  "WyJ",
  b64(JSON.stringify(["a"])),
  b64(JSON.stringify([1, 2])),
  b64(JSON.stringify(["[]", "not-a-ulid"])),
  b64(JSON.stringify(['[["org","x"]]', "01ARZ3NDEKTSV4RRFFQ69G5FAV", "extra"])),
  b64("{}"),
];

export const GARBAGE_CURSORS = [
  "",
  "x",
  "!!!",
  "AAAA",
  "🙂",
  b64("not an id!"),
  b64("../../x"),
  b64("0".repeat(65)),
  "%%",
];

export function b64(s: string): string {
  return Buffer.from(s).toString("base64url");
}

export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The API's type name of a record kind (the type in its global id). */
export const ID_TYPE = { memory: "Memory", session: "Session", document: "Document" } as const;

/** A global id of `kind` in `contextId` around the partitioned key [partition, ulid]: how ids are forged. */
export function recordGlobalId(kind: keyof typeof ID_TYPE, contextId: string, pair: [string, string]): string {
  return globalId(ID_TYPE[kind], contextId, b64(JSON.stringify(pair)));
}

/** The [partition, ulid] pair inside a partitioned record's global id, if it is one. */
export function decodePair(id: string): [string, string] | null {
  const local = decodeGlobalId(id)?.local;
  if (local === undefined) return null;
  try {
    const v = JSON.parse(Buffer.from(local, "base64url").toString("utf8"));
    return Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string"
      ? [v[0], v[1]]
      : null;
  } catch {
    return null;
  }
}
