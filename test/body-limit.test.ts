import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./harness.js";

/**
 * A client in its own process (sharing the test's event loop hides the race): POSTs `count`
 * bodies of each size with `headers`, 4 at a time, streamed (`chunked`) or with Content-Length,
 * and prints how each ended: the status and the error code, or the network error.
 */
const CLIENT = `
const [url, sizes, count, headers, chunked] = JSON.parse(process.argv[1]);
const prefix = '{"query":"{ __typename }","variables":{"pad":"';
const outcomes = [];
for (const size of sizes) {
  const payload = Buffer.from(prefix + "x".repeat(size - prefix.length - 3) + '"}}');
  for (let i = 0; i < count; i += 4) {
    outcomes.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, async () => {
      let at = 0;
      const body = chunked
        ? new ReadableStream({ pull(c) { if (at >= payload.length) return c.close(); c.enqueue(payload.subarray(at, at += 65536)); } })
        : payload;
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, duplex: "half" });
        const type = res.headers.get("content-type");
        const json = await res.json();
        return res.status + " " + type + " " + json.errors?.[0]?.extensions?.code;
      } catch (err) {
        return size + ": " + (err.cause?.code ?? err.cause ?? err);
      }
    }))));
  }
}
console.log(JSON.stringify(outcomes));
`;

function client(args: unknown[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", CLIENT, JSON.stringify(args)],
      { timeout: 120_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

/**
 * Issue 10: a body over the limit must always get 413 with a JSON error, never a connection
 * reset. Before the fix the server answered while the client was still sending and then closed
 * the socket: with `Connection: close` (what nginx sends upstream by default) 14 of 40 twelve-
 * megabyte uploads ended in EPIPE/ECONNRESET. Now the rest of the body is read and discarded first.
 */
describe("bodies over the size limit", () => {
  let t: TestGateway;
  let limit: number;
  beforeAll(async () => {
    t = await startTestGateway();
    limit = Math.max(1_000_000, 2 * t.gateway.limits.documentMaxBytes + 65_536);
  });
  afterAll(() => t.close());

  const TOO_LARGE = "413 application/json BAD_REQUEST";

  it.each([
    ["keep-alive", {}],
    ["Connection: close", { connection: "close" }],
  ])("%s: 413 with a JSON error every time, just over the limit and far over it, 20 times each", async (_, headers) => {
    const outcomes = await client([t.http.url, [limit + 1, 4_000_000, 12_000_000], 20, headers, false]);
    expect(outcomes).toHaveLength(60);
    expect(outcomes.filter((o) => o !== TOO_LARGE)).toEqual([]);
  });

  it("a 12 MB body without Content-Length (chunked) gets 413 too, 20 times", async () => {
    const outcomes = await client([t.http.url, [12_000_000], 20, { connection: "close" }, true]);
    expect(outcomes.filter((o) => o !== TOO_LARGE)).toEqual([]);
  });

  it("a body just under the limit is read and answered normally", async () => {
    const outcomes = await client([t.http.url, [limit - 10], 1, {}, false]);
    expect(outcomes).toEqual(["200 application/json; charset=utf-8 undefined"]);
  });
});
