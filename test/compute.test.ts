import { afterAll, describe, expect, it } from "vitest";
import { ComputePool, INLINE_MAX_CHARS } from "../src/compute/pool.js";
import { TASKS } from "../src/compute/tasks.js";
import { BadUserInputError, RequestTimeoutError } from "../src/domain/errors.js";

/** Pseudo-random text without whitespace, `n` characters (the tokenizer's worst shape). */
function run(n: number, seed = 7): string {
  let x = seed;
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return abc[x >>> 26];
  }).join("");
}

/** The compute pool runs its worker (src/compute/worker.mjs) from TypeScript sources under vitest too. */
describe("ComputePool", () => {
  const pool = new ComputePool({ threads: 1 });
  afterAll(() => pool.close());
  const chunking = { size: 64, overlap: 8 };

  it("a large document is prepared in a worker thread with exactly the inline result", async () => {
    const content = `# Title\n\n${"Some prose about tea and coffee, and 日本語のテキスト too. ".repeat(400)}`;
    expect(content.length).toBeGreaterThan(INLINE_MAX_CHARS);
    const input = { content, mimeType: "text/markdown", chunking, localEmbedding: true };
    const before = { ...pool.counts };
    const pooled = await pool.run("prepareDocument", input, { chars: content.length });
    expect(pool.counts.worker).toBe(before.worker + 1);
    expect(pool.threads).toBe(1);
    const inline = TASKS.prepareDocument(input);
    expect(pooled.tokens).toBe(inline.tokens);
    expect(pooled.chunks.length).toBe(inline.chunks.length);
    expect(pooled.chunks.map((c) => ({ ...c, emb: [...c.emb!] }))).toEqual(
      inline.chunks.map((c) => ({ ...c, emb: [...c.emb!] })),
    );
  });

  it("small inputs run inline on the calling thread", async () => {
    const before = { ...pool.counts };
    const [a] = await pool.run(
      "analyzeTexts",
      { texts: ["Bob prefers tea"], localEmbedding: true, countTokens: true },
      { chars: 15 },
    );
    expect(pool.counts).toEqual({ inline: before.inline + 1, worker: before.worker });
    expect(a).toMatchObject({ len: 3, tokens: 3 });
    expect(a!.emb).toBeInstanceOf(Uint8Array);
  });

  it("the client's own mistake in a worker comes back as BadUserInputError with its field", async () => {
    const deep = `${"<div>".repeat(600)}${"x".repeat(INLINE_MAX_CHARS)}`;
    const err = await pool
      .run(
        "prepareDocument",
        { content: deep, mimeType: "text/html", chunking, localEmbedding: true },
        {
          chars: deep.length,
        },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(BadUserInputError);
    expect(err.code).toBe("BAD_USER_INPUT");
    expect(err.extensions).toEqual({ field: "content" });
    expect(err.message).toMatch(/more than 512 elements deep/);
  });

  it("an aborted signal stops a running task with its reason, and the pool serves the next task", async () => {
    const content = run(400_000);
    const abort = new AbortController();
    const started = performance.now();
    setTimeout(() => abort.abort(new RequestTimeoutError(100)), 100);
    const err = await pool
      .run(
        "prepareDocument",
        { content, mimeType: "text/plain", chunking, localEmbedding: true },
        {
          chars: content.length,
          signal: abort.signal,
        },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    // Preparing 400,000 characters takes over a second on this machine; the abort did not wait for it.
    expect(performance.now() - started).toBeLessThan(1000);
    const again = await pool.run("countTokensOf", { texts: [run(20_000, 3)] }, { chars: 20_000 });
    expect(again[0]).toBeGreaterThan(1000);
    // Already aborted: nothing runs at all.
    await expect(
      pool.run("countTokensOf", { texts: ["x"] }, { chars: 1, signal: AbortSignal.abort(new RequestTimeoutError(1)) }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
  });
});
