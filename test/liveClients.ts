import { createClient as createSseClient } from "graphql-sse";
import { type Client as WsClient, createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";
import type { TestGateway } from "./harness.js";

/** One subscription as a test sees it: every payload in order, and how it ended. */
export interface Sub {
  results: Array<{ data?: any; errors?: any[] }>;
  /** Resolves when the stream completes ("complete") or fails (the error the client got). */
  ended: Promise<"complete" | { error: unknown }>;
  /** Resolves once `n` payloads arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Unsubscribes (the client sends `complete` / aborts the request). */
  stop(): void;
}

export type Transport = "ws" | "sse";

export interface LiveClient {
  subscribe(query: string, variables?: Record<string, unknown>): Sub;
  close(): Promise<void>;
}

/** A graphql-ws client (credential in connectionParams) or a graphql-sse client (credential in headers) for `t`. */
export function liveClient(t: TestGateway, transport: Transport, secret: string | null): LiveClient {
  if (transport === "ws") {
    const client: WsClient = createWsClient({
      url: t.http.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: secret ? { Authorization: `Bearer ${secret}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    return {
      subscribe: (query, variables) => track((sink) => client.subscribe({ query, variables }, sink)),
      close: () => client.dispose() as Promise<void>,
    };
  }
  const client = createSseClient({
    url: `${t.http.url}/stream`,
    headers: secret ? { authorization: `Bearer ${secret}` } : {},
    retryAttempts: 0,
  });
  return {
    subscribe: (query, variables) => track((sink) => client.subscribe({ query, variables }, sink)),
    close: async () => client.dispose(),
  };
}

type Sink = { next(v: any): void; error(e: unknown): void; complete(): void };

function track(start: (sink: Sink) => () => void): Sub {
  const results: Sub["results"] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let finish!: (v: "complete" | { error: unknown }) => void;
  const ended = new Promise<"complete" | { error: unknown }>((r) => {
    finish = r;
  });
  const stop = start({
    next(v) {
      results.push(v);
      for (const w of [...waiters]) if (results.length >= w.n) w.resolve();
    },
    error: (error) => finish({ error }),
    complete: () => finish("complete"),
  });
  return {
    results,
    ended,
    stop,
    waitFor(n, timeoutMs = 5000) {
      if (results.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`waited ${timeoutMs} ms for ${n} events, got ${JSON.stringify(results)}`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** Waits until the gateway has `n` live feeds open (a subscription is live once its LIVE SELECT runs). */
export async function feedsOpen(t: TestGateway, n: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (t.gateway.openLiveFeeds !== n) {
    if (Date.now() > until) throw new Error(`expected ${n} live feeds, have ${t.gateway.openLiveFeeds}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
