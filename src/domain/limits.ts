/** Size limits of the tenant plane; configurable by env (config.ts), defaults here. */
export interface TenantLimits {
  /** Largest `topK` of recall (and `limit` of forget by query). */
  recallTopKMax: number;
  /** Items per rememberMany call (one transaction). */
  rememberManyMax: number;
  /** Bytes of one uploaded document's content (UTF-8). */
  documentMaxBytes: number;
  /** Rows of recall corpus kept in gateway memory across requests (0 turns the cache off). */
  recallCacheRows: number;
}

export const DEFAULT_LIMITS: TenantLimits = Object.freeze({
  recallTopKMax: 50,
  rememberManyMax: 5000,
  documentMaxBytes: 512 * 1024,
  recallCacheRows: 200_000,
});
