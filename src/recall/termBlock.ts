// Many rows' stored term maps in one compressed-sparse-row block: a dictionary of the block's
// distinct terms, then per row a run of (term number, frequency) entries in the row's own term
// order. A persisted corpus snapshot decodes into blocks (typed arrays and one string list per
// ~2,000 rows) instead of one JS object per row, which is what made a cold recall's decode and
// garbage collection cost more than reading the bytes. Pure.

/** The term maps of `rows` rows: row r's entries are `terms[starts[r]..starts[r+1])` with `freqs` alike. */
export class TermBlock {
  constructor(
    /** The block's distinct terms; entries name them by index. */
    readonly dictionary: readonly string[],
    /** Dictionary index of each entry. */
    readonly terms: Int32Array,
    /** Frequency of each entry (> 0). */
    readonly freqs: Float64Array,
    /** Entry offsets: rows + 1 of them, starting at 0. */
    readonly starts: Int32Array,
  ) {}

  get rows(): number {
    return this.starts.length - 1;
  }

  /** Row `row`'s term map as an object (its own term order), built on demand. */
  termsOf(row: number): Record<string, number> {
    const out: Record<string, number> = Object.create(null);
    for (let e = this.starts[row]!; e < this.starts[row + 1]!; e++)
      out[this.dictionary[this.terms[e]!]!] = this.freqs[e]!;
    return out;
  }

  /**
   * The block of `maps` (each row's term map; entries with a frequency that is not a positive
   * number are left out, as every reader of stored terms does).
   */
  static of(maps: ReadonlyArray<Readonly<Record<string, number>>>): TermBlock {
    const numbers = new Map<string, number>();
    const dictionary: string[] = [];
    const terms: number[] = [];
    const freqs: number[] = [];
    const starts = new Int32Array(maps.length + 1);
    maps.forEach((map, r) => {
      for (const t in map) {
        if (!Object.hasOwn(map, t)) continue;
        const f = map[t];
        if (!(typeof f === "number" && f > 0)) continue;
        let n = numbers.get(t);
        if (n === undefined) {
          n = dictionary.length;
          numbers.set(t, n);
          dictionary.push(t);
        }
        terms.push(n);
        freqs.push(f);
      }
      starts[r + 1] = terms.length;
    });
    return new TermBlock(dictionary, Int32Array.from(terms), Float64Array.from(freqs), starts);
  }

  /** Whether `x` has a block's shape (a decoded snapshot is checked before use). */
  static isBlock(x: unknown): x is TermBlock {
    if (!(x instanceof TermBlock)) return false;
    const { dictionary, terms, freqs, starts } = x;
    if (!Array.isArray(dictionary) || !dictionary.every((t) => typeof t === "string")) return false;
    if (!(terms instanceof Int32Array && freqs instanceof Float64Array && starts instanceof Int32Array)) return false;
    if (terms.length !== freqs.length || starts.length < 1 || starts[0] !== 0 || starts.at(-1) !== terms.length)
      return false;
    for (let r = 1; r < starts.length; r++) if (starts[r]! < starts[r - 1]!) return false;
    for (let e = 0; e < terms.length; e++) {
      if (terms[e]! < 0 || terms[e]! >= dictionary.length || !(freqs[e]! > 0)) return false;
    }
    return true;
  }
}
