/**
 * The first ULID written to each partition, remembered per process: where a first page starts
 * probing (ids.ts `windowBounds`), so a first page needs no registry read. A partition's first
 * ULID never changes while its row lives; a redacted and re-created partition starts later,
 * and probing from an earlier ULID only costs a few empty windows more. Unknown partitions are
 * remembered as unknown for a few seconds (they are read whole meanwhile, which is cheap while
 * they are new), so a missing candidate partition does not cost a round trip per page.
 */
const UNKNOWN_TTL_MS = 5_000;
const MAX_ENTRIES = 100_000;

export class FirstUlids {
  private readonly entries = new Map<string, { first: string | null; until: number }>();

  private static key(contextId: string, partition: string): string {
    return `${contextId}\u0000${partition}`;
  }

  /** The remembered first ULID (string), "unknown" (null), or undefined when not remembered. */
  get(contextId: string, partition: string, now = Date.now()): string | null | undefined {
    const e = this.entries.get(FirstUlids.key(contextId, partition));
    if (!e || e.until < now) return undefined;
    return e.first;
  }

  set(contextId: string, partition: string, first: string | null, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(FirstUlids.key(contextId, partition), {
      first,
      until: first === null ? now + UNKNOWN_TTL_MS : Number.POSITIVE_INFINITY,
    });
  }
}
