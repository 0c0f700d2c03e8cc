import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";

/**
 * Cross-origin access to `/graphql` for browser front ends (issue 12), with the `cors` package.
 *
 * - `origins`: exact origins (`https://app.example.com`, `http://localhost:5173`) or `["*"]`; an empty
 *   list allows no other origin (GraphiQL is same-origin and needs none).
 * - `credentials`: send `Access-Control-Allow-Credentials: true`. The gateway authenticates with
 *   bearer headers (`Authorization`, `API-KEY`), which need no credentials mode, and reads no cookie;
 *   the flag only serves clients configured with `credentials: "include"`. Never with `*`
 *   (config.ts refuses it at start-up, and so does `corsHandler`).
 */
export interface CorsPolicy {
  origins: readonly string[];
  credentials: boolean;
}

/** What a preflight may ask for: the methods Apollo serves, and the headers the gateway reads. */
export const CORS_METHODS = ["GET", "POST", "OPTIONS"] as const;
export const CORS_REQUEST_HEADERS = [
  "authorization",
  "content-type",
  "apollo-require-preflight",
  "api-key",
  "x-scopegate-context",
] as const;
/** Response headers a page may read: the request id of every answer and the wait after a 429. */
export const CORS_EXPOSED_HEADERS = ["x-request-id", "retry-after"] as const;
/** Seconds a browser may cache a preflight answer (Chromium caps it at 7200). */
export const CORS_PREFLIGHT_MAX_AGE_S = 600;

export class CorsConfigError extends Error {}

/** One clear line when the policy would be unsafe or meaningless; null when it is fine. */
export function corsPolicyProblem(policy: CorsPolicy): string | null {
  const wildcard = policy.origins.includes("*");
  if (wildcard && policy.origins.length > 1) return "SCOPEGATE_CORS_ORIGINS: `*` stands alone, not in a list";
  if (wildcard && policy.credentials)
    return "SCOPEGATE_CORS_ORIGINS=* cannot be combined with SCOPEGATE_CORS_CREDENTIALS=true: list exact origins";
  for (const origin of policy.origins) {
    if (origin === "*") continue;
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {}
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin)
      return `SCOPEGATE_CORS_ORIGINS: "${origin}" is not an exact origin like https://app.example.com or http://localhost:5173`;
  }
  return null;
}

/**
 * The CORS step of `/graphql`, run before Apollo (whose CSRF prevention refuses an `OPTIONS`
 * preflight with 400). Every `OPTIONS` is answered here with 204; an allowed origin gets
 * `Access-Control-Allow-Origin` with the methods and headers above, any other origin gets no
 * `Access-Control-*` grant, so the browser blocks the real request. Other methods get the origin
 * headers (`Vary: Origin` whenever origins are listed, so caches keep answers per origin) and go
 * on to Apollo, where CSRF prevention stays on. Resolves true when the response has been sent.
 */
export function corsHandler(policy: CorsPolicy): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const problem = corsPolicyProblem(policy);
  if (problem) throw new CorsConfigError(problem);
  const middleware = cors({
    // An array (even empty) means "reflect the Origin only if it is listed"; never pass a falsy
    // value, which the package reads as "*".
    origin: policy.origins[0] === "*" ? "*" : [...policy.origins],
    credentials: policy.credentials,
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_REQUEST_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_PREFLIGHT_MAX_AGE_S,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  });
  return (req, res) =>
    new Promise<boolean>((resolve, reject) => {
      // The package's middleware is synchronous for static options: it either ends an OPTIONS
      // response or calls next() for any other method.
      middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve(false)));
      if (res.writableEnded) resolve(true);
    });
}
