import { BadUserInputError } from "../domain/errors.js";
import { log } from "../log.js";

/** Where and how to reach one OpenAI-compatible provider (OpenAI itself or a self-hosted server). */
export interface ProviderEndpoint {
  name: string;
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = { openai: "https://api.openai.com/v1" };

/**
 * A minimal client for the OpenAI HTTP protocol: JSON POSTs with a bearer secret, a per-call
 * timeout, and bounded retries with backoff on 429 and 5xx (the statuses the protocol marks
 * as retryable). Errors and logs never carry the secret or the provider's raw body.
 */
export class OpenAICompatibleClient {
  constructor(private readonly endpoint: ProviderEndpoint) {}

  async post<T>(path: string, body: unknown): Promise<T> {
    const { baseUrl, secret, name } = this.endpoint;
    const timeoutMs = this.endpoint.timeoutMs ?? 30_000;
    const maxRetries = this.endpoint.maxRetries ?? 2;
    const url = `${baseUrl.replace(/\/+$/, "")}${path}`;
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        if (res.ok) return (await res.json()) as T;
        if (!(status === 429 || status >= 500) || attempt >= maxRetries) {
          log.error({ provider: name, path, status, attempt }, "provider call failed");
          throw providerError(name, `answered HTTP ${status}`);
        }
        await backoff(attempt, res.headers.get("retry-after"));
      } catch (err) {
        if (err instanceof ProviderError) throw err;
        if (attempt >= maxRetries) {
          log.error({ provider: name, path, error: (err as Error).name, attempt }, "provider unreachable");
          throw providerError(
            name,
            (err as Error).name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : "is unreachable",
          );
        }
        await backoff(attempt, null);
      }
    }
  }

  /**
   * The streaming form of `post` (OpenAI's `stream: true`): each server-sent `data:` event is parsed
   * as JSON and handed to `onEvent` until `data: [DONE]` or the end of the body. The timeout covers
   * the whole stream. Retries (429/5xx, unreachable) happen only before the first event, since a
   * retried stream would repeat what the caller already passed on.
   */
  async postStream<T>(path: string, body: unknown, onEvent: (event: T) => void): Promise<void> {
    const { baseUrl, secret, name } = this.endpoint;
    const timeoutMs = this.endpoint.timeoutMs ?? 30_000;
    const maxRetries = this.endpoint.maxRetries ?? 2;
    const url = `${baseUrl.replace(/\/+$/, "")}${path}`;
    for (let attempt = 0; ; attempt++) {
      let started = false;
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "text/event-stream",
            authorization: `Bearer ${secret}`,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok || !res.body) {
          const status = res.status;
          await res.body?.cancel().catch(() => undefined);
          if (!(status === 429 || status >= 500) || attempt >= maxRetries) {
            log.error({ provider: name, path, status, attempt }, "provider call failed");
            throw providerError(name, `answered HTTP ${status}`);
          }
          await backoff(attempt, res.headers.get("retry-after"));
          continue;
        }
        const decoder = new TextDecoder();
        let buffered = "";
        for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffered += decoder.decode(bytes, { stream: true });
          let cut = buffered.search(/\r?\n\r?\n/);
          while (cut >= 0) {
            const block = buffered.slice(0, cut);
            buffered = buffered.slice(cut).replace(/^\r?\n\r?\n/, "");
            const data = block
              .split(/\r?\n/)
              .filter((l) => l.startsWith("data:"))
              .map((l) => l.slice(5).trimStart())
              .join("\n");
            if (data === "[DONE]") return;
            if (data) {
              let event: T;
              try {
                event = JSON.parse(data) as T;
              } catch {
                throw providerError(name, "sent an unreadable stream event");
              }
              started = true;
              onEvent(event);
            }
            cut = buffered.search(/\r?\n\r?\n/);
          }
        }
        return;
      } catch (err) {
        if (err instanceof ProviderError) throw err;
        if (started || attempt >= maxRetries) {
          log.error({ provider: name, path, error: (err as Error).name, attempt }, "provider unreachable");
          throw providerError(
            name,
            (err as Error).name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : "is unreachable",
          );
        }
        await backoff(attempt, null);
      }
    }
  }
}

/** A provider failure: masked to INTERNAL_SERVER_ERROR (with a request id) for clients, named in logs. */
export class ProviderError extends Error {}

/** A model the Context names but cannot reach (no secret or base URL for its provider): BAD_USER_INPUT. */
export class ProviderConfigError extends BadUserInputError {}

function providerError(name: string, what: string) {
  return new ProviderError(`model provider "${name}" ${what}`);
}

async function backoff(attempt: number, retryAfter: string | null): Promise<void> {
  const hinted = retryAfter ? Number(retryAfter) * 1000 : NaN;
  const ms = Number.isFinite(hinted) ? Math.min(hinted, 5_000) : 200 * 2 ** attempt;
  await new Promise((r) => setTimeout(r, ms));
}
