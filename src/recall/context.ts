// Conversation context: a memory remembered in a session is one turn of a dialogue, and what
// it means often lives in the turns around it ("Yes, adoption agencies!" answers the question
// before it). Each row's score is therefore expanded with the scores of its neighbours in the
// same session, in creation order — document expansion from neighbouring documents (Tao, Wang,
// Mei and Zhai, "Language Model Information Retrieval with Document Expansion", NAACL 2006),
// with the dialogue's own order as the neighbourhood instead of a similarity search. Pure.

/** What context propagation needs of a row. */
export interface ContextRow {
  /** Rows sharing a non-null session are one dialogue; rows without a session have no neighbours. */
  sessionId: string | null;
  /** Creation order (a ULID: time-ordered, monotonic within a process). */
  seq: string;
}

/**
 * Neighbours up to CONTEXT_WINDOW turns away count, each CONTEXT_DECAY times less per turn of
 * distance: a turn's direct neighbours weigh 1/2, the next ones 1/4 (a geometric "half per
 * turn" decay). Windows 1, 2 and 3 are compared on the LoCoMo dev split in BENCHMARKS.md; 3
 * scored a little higher there and was not taken, to avoid fitting the dev split and to keep
 * unrelated turns of long sessions out.
 */
export const CONTEXT_WINDOW = 2;
export const CONTEXT_DECAY = 0.5;

/** Each session's rows (indices into the rows passed), in creation order; sessions of one row are left out. */
export type SessionOrder = number[][];

/** Groups rows by session and orders each session by `seq` (ties by position). Linear plus the sorts. */
export function sessionOrder(rows: readonly ContextRow[]): SessionOrder {
  const sessions = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.sessionId === null) return;
    const list = sessions.get(r.sessionId);
    if (list) list.push(i);
    else sessions.set(r.sessionId, [i]);
  });
  const out: SessionOrder = [];
  for (const members of sessions.values()) {
    if (members.length < 2) continue;
    members.sort((a, b) => (rows[a]!.seq < rows[b]!.seq ? -1 : rows[a]!.seq > rows[b]!.seq ? 1 : a - b));
    out.push(members);
  }
  return out;
}

/**
 * out[i] = base[i] + Σ_{d=1..W} λ^d · (base[prev_d(i)] + base[next_d(i)]), where prev_d/next_d
 * are the rows d places before/after row i among the given rows of its session, ordered by
 * `seq`. Linear in rows. Scores are non-negative in, non-negative out; rows without a session
 * keep their base score. Only rows passed in are neighbours, so the expansion sees exactly the
 * caller's visible rows. `order` is `sessionOrder(rows)`, computed once when several score
 * arrays are expanded over the same rows.
 */
export function propagateContext(
  base: Float64Array,
  rows: readonly ContextRow[],
  window = CONTEXT_WINDOW,
  decay = CONTEXT_DECAY,
  order: SessionOrder = sessionOrder(rows),
): Float64Array {
  const out = Float64Array.from(base);
  for (const members of order) {
    for (let p = 0; p < members.length; p++) {
      const i = members[p]!;
      let add = 0;
      let w = 1;
      for (let d = 1; d <= window; d++) {
        w *= decay;
        if (p - d >= 0) add += w * base[members[p - d]!]!;
        if (p + d < members.length) add += w * base[members[p + d]!]!;
      }
      out[i] = base[i]! + add;
    }
  }
  return out;
}
