/**
 * The newest ULID this process knows in each partition of each table: where a newest-first
 * (DESC) first page starts probing backwards (ids.ts `windowBoundsBackward`), instead of at the
 * current time.
 *
 * Why: backward windows double in width from their start. Started at "now", the window that
 * reaches the newest rows is about as wide as their age, so an old dense burst (50,000 traces
 * written in a minute, read an hour later) was read whole. Started just above the newest row,
 * the windows step down through the burst in ULID steps and stop at the first page.
 *
 * A hint, never a filter: the first window of such a page is open above (up to every ULID), so
 * rows newer than the hint (another replica's writes, or a hint from a view that hides some
 * rows) are still read; they only cost what they number. Kept current by this process's writes
 * (`noteWritten`) and by what its pages return (`note`); unknown after a restart until the
 * first page of that partition, which probes from now as before.
 */
const MAX_ENTRIES = 100_000;

export class NewestUlids {
  private readonly entries = new Map<string, string>();

  private static key(contextId: string, table: string, partition: string): string {
    return `${contextId}\u0000${table}\u0000${partition}`;
  }

  /** The newest ULID known in the partition, or undefined. */
  get(contextId: string, table: string, partition: string): string | undefined {
    return this.entries.get(NewestUlids.key(contextId, table, partition));
  }

  /** Raises the partition's newest ULID to `ulid` when it is newer (ULIDs compare as strings). */
  note(contextId: string, table: string, partition: string, ulid: string): void {
    const key = NewestUlids.key(contextId, table, partition);
    const known = this.entries.get(key);
    if (known !== undefined && known >= ulid) return;
    if (known === undefined && this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, ulid);
  }

  /** Drops every hint of a Context (it was deleted: a Context re-created with its id starts from now). */
  forgetContext(contextId: string): void {
    const prefix = `${contextId}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Notes every `[partition, ulid]` a committed write put into `table`. */
  noteWritten(contextId: string, table: string, written: Iterable<readonly [string, string]>): void {
    for (const [partition, ulid] of written) this.note(contextId, table, partition, ulid);
  }
}
