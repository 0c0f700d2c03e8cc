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
