/**
 * A size-bounded cache shared by many tenants, fair between them (issue 11: one tenant must not
 * evict another's working set). Every entry belongs to a bucket (a tenant: a Context, or one org
 * of a shared Context) and has a weight (rows). While the total weight is over the bound, the
 * least recently used entry of the **heaviest** bucket is evicted first: a tenant that reads
 * more than its share pushes out its own cold entries, and buckets at or under an equal share
 * are only touched once every bucket is down to it (max-min fairness over LRU).
 *
 * An entry heavier than the whole bound is not kept. Costs: get/set O(1) plus, per eviction, a
 * pass over the buckets (few: one per active tenant).
 */
export class FairLru<V> {
  private readonly entries = new Map<string, { value: V; weight: number; bucket: string }>();
  /** Per bucket: its total weight and its keys in recency order (Map order: oldest first). */
  private readonly buckets = new Map<string, { weight: number; keys: Map<string, true> }>();
  private total = 0;

  constructor(readonly maxWeight: number) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const keys = this.buckets.get(e.bucket)!.keys;
    keys.delete(key);
    keys.set(key, true);
    return e.value;
  }

  /** The value of `key` without counting it as a use (its recency stays as it was). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: string, value: V, weight: number, bucket: string): void {
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight, bucket });
    let b = this.buckets.get(bucket);
    if (!b) {
      b = { weight: 0, keys: new Map() };
      this.buckets.set(bucket, b);
    }
    b.weight += weight;
    b.keys.set(key, true);
    this.total += weight;
    while (this.total > this.maxWeight) this.evictOne(key);
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    const b = this.buckets.get(e.bucket)!;
    b.weight -= e.weight;
    b.keys.delete(key);
    if (b.keys.size === 0) this.buckets.delete(e.bucket);
    this.total -= e.weight;
  }

  /** Removes every entry whose key starts with `prefix` (e.g. a deleted Context's). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  /** The least recently used entry of the heaviest bucket (never `keep`, the entry just added, while others remain). */
  private evictOne(keep: string): void {
    let heaviest: { weight: number; keys: Map<string, true> } | null = null;
    for (const b of this.buckets.values()) if (!heaviest || b.weight > heaviest.weight) heaviest = b;
    if (!heaviest) return;
    for (const key of heaviest.keys.keys()) {
      if (key === keep && this.entries.size > 1 && heaviest.keys.size > 1) continue;
      this.delete(key);
      return;
    }
    this.delete(keep);
  }

  get size(): { entries: number; weight: number; buckets: number } {
    return { entries: this.entries.size, weight: this.total, buckets: this.buckets.size };
  }

  /** Weight held by one bucket (tests and metrics). */
  weightOf(bucket: string): number {
    return this.buckets.get(bucket)?.weight ?? 0;
  }
}
