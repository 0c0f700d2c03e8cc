/**
 * What storage does to strings, measured on the embedded engine through the SDK (SurrealDB
 * 3.0.2, `surrealdb` 2.0.8): a lone UTF-16 surrogate cannot be encoded as UTF-8 and comes back
 * as U+FFFD, and a leading U+FEFF (byte-order mark) is dropped when the SDK decodes the string.
 * Everything else round-trips byte for byte (NUL, noncharacters, every plane). Text a client
 * sends is therefore stored exactly, or refused with a reason: never silently changed.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why storage would alter `text`, or null when it round-trips exactly. */
export function storageAlteration(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  if (text.charCodeAt(0) === 0xfeff) return "starts with U+FEFF (a byte-order mark), which storage would drop";
  return null;
}

/** Same check over every string inside a JSON-like value (metadata); returns the first problem with its path. */
export function storageAlterationIn(value: unknown, path = ""): string | null {
  const stack: Array<[string, unknown]> = [[path, value]];
  while (stack.length > 0) {
    const [p, v] = stack.pop()!;
    if (typeof v === "string") {
      const problem = storageAlteration(v);
      if (problem) return `${p || "value"} ${problem}`;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        stack.push([`${p}[${i}]`, item]);
      });
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        const keyProblem = storageAlteration(k);
        if (keyProblem) return `key ${JSON.stringify(k.slice(0, 40))} of ${p || "value"} ${keyProblem}`;
        stack.push([p ? `${p}.${k}` : k, item]);
      }
    }
  }
  return null;
}
