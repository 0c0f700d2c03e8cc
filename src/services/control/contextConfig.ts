import { BadUserInputError } from "../../domain/errors.js";
import type { ContextConfig } from "../../domain/models.js";
import { DIMENSION_PATTERN, parseScope } from "../../domain/scope.js";

const badInput = (message: string, field?: string) => new BadUserInputError(message, field);

export const DEFAULT_CONFIG = {
  tokenLimit: null,
  scopeTokenLimits: null,
  retentionDays: null,
  retentionPolicies: [],
  models: { extraction: "local/extractive", response: "local/extractive", embedding: "local/contextual-tfidf" },
  ontology: null,
  chunking: { size: 512, overlap: 64 },
  providerUrls: {},
} as const;

export const CONTEXT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DB_NAME = /^[a-z0-9_][a-z0-9_-]{0,62}$/;
export const RESERVED_NAMESPACE = "scopegate";

type Patch = Record<string, unknown>;

/**
 * Deep-merge for config patches: objects merge, everything else (arrays, scalars, null)
 * replaces. Keys are copied as own data properties, so a patch key such as `__proto__` (JSON
 * fields like `ontology` are free-form) is stored as written and never reaches a prototype.
 */
export function deepMerge(base: Patch, patch: Patch): Patch {
  const out = new Map<string, unknown>(Object.entries(base));
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const b = out.get(k);
    out.set(k, isPlainObject(v) && isPlainObject(b) ? deepMerge(b as Patch, v as Patch) : v);
  }
  return Object.fromEntries(out);
}

const isPlainObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Splits a config input into stored config and write-only provider secrets, validating both. */
export function splitConfigInput(input: Patch | null | undefined): {
  config: Patch;
  providers: Record<string, string> | undefined;
} {
  const { providers, ...config } = (input ?? {}) as Patch & { providers?: unknown };
  for (const field of ["tokenLimit", "retentionDays"] as const) {
    const v = config[field];
    if (v !== undefined && v !== null && (typeof v !== "number" || v < 0))
      throw badInput(`${field} must be a non-negative integer`);
  }
  validateScopeTokenLimits(config.scopeTokenLimits);
  validateRetentionPolicies(config.retentionPolicies);
  const chunking = config.chunking as { size?: number; overlap?: number } | undefined;
  if (chunking?.size !== undefined && (chunking.size < 16 || chunking.size > 8192))
    throw badInput("chunking.size must be 16–8192 tokens");
  if (chunking?.overlap !== undefined && chunking.overlap < 0) throw badInput("chunking.overlap must be ≥ 0");
  if (chunking?.size !== undefined && chunking.overlap !== undefined && chunking.overlap >= chunking.size)
    throw badInput("chunking.overlap must be smaller than chunking.size");
  const models = config.models as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(models ?? {})) {
    if (v !== undefined && v !== null && (typeof v !== "string" || !/^[a-z0-9_-]+\/[\w.:-]{1,100}$/i.test(v))) {
      throw badInput(`models.${k} must look like "provider/model"`);
    }
  }
  const urls = config.providerUrls;
  if (urls !== undefined && urls !== null) {
    if (typeof urls !== "object" || Array.isArray(urls))
      throw badInput("providerUrls must be an object of provider name to base URL");
    for (const [name, url] of Object.entries(urls as Patch)) {
      if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) throw badInput("provider names are lowercase identifiers");
      if (typeof url !== "string" || !/^https?:\/\/[^\s]{1,2000}$/.test(url))
        throw badInput(`providerUrls.${name} must be an http(s) URL`);
    }
  }
  if (providers === undefined || providers === null) return { config, providers: undefined };
  if (typeof providers !== "object" || Array.isArray(providers))
    throw badInput("providers must be an object of provider name to secret");
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(providers as Patch)) {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) throw badInput("provider names are lowercase identifiers");
    if (typeof secret !== "string" || secret.length === 0 || secret.length > 4096)
      throw badInput(`provider "${name}" needs a secret string`);
    out[name] = secret;
  }
  return { config, providers: out };
}

export function effectiveConfig(stored: Patch, providers: Record<string, string>): ContextConfig {
  const merged = deepMerge(DEFAULT_CONFIG as unknown as Patch, stored) as any;
  return {
    tokenLimit: merged.tokenLimit ?? null,
    scopeTokenLimits: merged.scopeTokenLimits
      ? {
          dimension: merged.scopeTokenLimits.dimension,
          default: merged.scopeTokenLimits.default ?? null,
          // Prototype-free: an override for the value "constructor" or "__proto__" is just that value's.
          overrides: Object.assign(Object.create(null), merged.scopeTokenLimits.overrides ?? {}),
        }
      : null,
    retentionPolicies: merged.retentionPolicies ?? [],
    retentionDays: merged.retentionDays ?? null,
    models: merged.models,
    providersConfigured: Object.keys(providers).sort(),
    ontology: merged.ontology ?? null,
    chunking: merged.chunking,
    providerUrls: merged.providerUrls ?? {},
  };
}

function validateScopeTokenLimits(v: unknown): void {
  if (v === undefined || v === null) return;
  const l = v as { dimension?: unknown; default?: unknown; overrides?: unknown };
  if (typeof l.dimension !== "string" || !DIMENSION_PATTERN.test(l.dimension))
    throw badInput("scopeTokenLimits.dimension must be a scope dimension");
  if (l.default !== undefined && l.default !== null && !(Number.isInteger(l.default) && (l.default as number) >= 0))
    throw badInput("scopeTokenLimits.default must be a non-negative integer");
  if (l.overrides !== undefined && l.overrides !== null) {
    if (typeof l.overrides !== "object" || Array.isArray(l.overrides))
      throw badInput("scopeTokenLimits.overrides must map values to limits");
    for (const [k, n] of Object.entries(l.overrides)) {
      if (!(Number.isInteger(n) && (n as number) >= 0))
        throw badInput(`scopeTokenLimits.overrides.${k} must be a non-negative integer`);
    }
  }
}

function validateRetentionPolicies(v: unknown): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.length > 100) throw badInput("retentionPolicies must be a list of at most 100 policies");
  for (const p of v) {
    if (!Number.isInteger(p?.days) || p.days < 1) throw badInput("retentionPolicies[].days must be a positive integer");
    parseScope(p.scope, "retentionPolicies[].scope");
  }
}
