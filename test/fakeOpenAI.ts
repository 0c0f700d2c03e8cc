import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for a paid OpenAI-compatible API, speaking its HTTP protocol on 127.0.0.1.
 * `/v1/embeddings` returns deterministic 8-dimensional vectors (letter-group counts), records
 * every request, and can be told to fail the next calls with a status.
 */
export interface FakeOpenAI {
  baseUrl: string;
  requests: Array<{ path: string; authorization: string | undefined; body: any }>;
  failNext(status: number, times?: number): void;
  /** Chat completions report this usage; null makes them omit `usage` (gateway counts with a tokenizer). */
  chatUsage: { prompt_tokens: number; completion_tokens: number } | null;
  /** Milliseconds every chat completion waits before answering (for concurrency tests). */
  chatDelayMs: number;
  /** Milliseconds every embeddings call waits before answering (for request-timeout tests). */
  embeddingDelayMs: number;
  close(): Promise<void>;
}

export function letterVector(text: string): number[] {
  const v = new Array(8).fill(0);
  for (const ch of text.toLowerCase()) {
    const c = ch.charCodeAt(0) - 97;
    if (c >= 0 && c < 26) v[c % 8] += 1;
  }
  return v;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeOpenAI["requests"] = [];
  let failures: { status: number; left: number } | null = null;
  // eslint-disable-next-line prefer-const
  let fake: FakeOpenAI;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
    if (failures && failures.left > 0) {
      failures.left -= 1;
      res.writeHead(failures.status, { "content-type": "application/json", "retry-after": "0" });
      res.end(JSON.stringify({ error: { message: "try later", type: "rate_limit" } }));
      return;
    }
    if (req.url === "/v1/chat/completions") {
      const system: string = body.messages?.[0]?.content ?? "";
      const user: string = body.messages?.at(-1)?.content ?? "";
      const content = system.startsWith("Extract")
        ? JSON.stringify(
            user
              .split(/(?<=\.)\s+/)
              .map((x: string) => x.trim())
              .filter((x: string) => x.length > 0),
          )
        : "From the passages: see [1].";
      if (fake.chatDelayMs) await new Promise((r) => setTimeout(r, fake.chatDelayMs));
      if (body.stream === true) {
        // OpenAI's streaming protocol: a delta per word, then (with include_usage) a usage-only event, then [DONE].
        res.writeHead(200, { "content-type": "text/event-stream" });
        const event = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
        for (const piece of content.match(/\S+\s*/g) ?? []) {
          event({
            id: "chatcmpl-test",
            object: "chat.completion.chunk",
            choices: [{ index: 0, delta: { content: piece } }],
          });
          await new Promise((r) => setTimeout(r, 1));
        }
        if (fake.chatUsage && body.stream_options?.include_usage)
          event({
            id: "chatcmpl-test",
            object: "chat.completion.chunk",
            choices: [],
            usage: { ...fake.chatUsage, total_tokens: fake.chatUsage.prompt_tokens + fake.chatUsage.completion_tokens },
          });
        res.end("data: [DONE]\n\n");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: "chat.completion",
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          ...(fake.chatUsage
            ? {
                usage: {
                  ...fake.chatUsage,
                  total_tokens: fake.chatUsage.prompt_tokens + fake.chatUsage.completion_tokens,
                },
              }
            : {}),
        }),
      );
      return;
    }
    if (req.url === "/v1/embeddings") {
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      if (fake.embeddingDelayMs) await new Promise((r) => setTimeout(r, fake.embeddingDelayMs));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          model: body.model,
          data: inputs.map((text, index) => ({ object: "embedding", index, embedding: letterVector(text) })),
          usage: {
            prompt_tokens: inputs.join(" ").split(/\s+/).length,
            total_tokens: inputs.join(" ").split(/\s+/).length,
          },
        }),
      );
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "unknown path" } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  fake = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatUsage: { prompt_tokens: 100, completion_tokens: 20 },
    chatDelayMs: 0,
    embeddingDelayMs: 0,
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  return fake;
}
