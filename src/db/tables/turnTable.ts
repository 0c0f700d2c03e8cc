import { RecordId } from "surrealdb";
import type { TurnModel } from "../../domain/models.js";
import { decodeRecordKey, decodeTurnKey } from "../ids.js";
import type { LiveFeed } from "../liveFeed.js";
import { partitionLocks, sessionLock, writtenAt } from "../partitions.js";
import { TransactionThrow } from "../transactions.js";
import type { Scan } from "./partitionedTable.js";
import type { TableContext } from "./tableContext.js";

const NO_SESSION = "no such session";
const ENDED = "session has ended";

interface TurnRow {
  id: string;
  seq: number;
  role: string;
  content: string;
  created_at: string;
}

/** Why a turn was not appended. */
export type AppendRefusal = "not-found" | "ended";

/**
 * Turns, keyed `turn:[sessionScopeKey, sessionUlid, seq]`: the database itself makes each seq
 * unique per session (two turns cannot share a record id), and a page of turns is a bounded
 * key range, so its cost does not grow with the session.
 */
export class TurnTable {
  constructor(private readonly t: TableContext) {}

  /** A turn row as the live feed and the pages select it, as a model. */
  readonly model = (r: TurnRow): TurnModel => turnModel(this.t.actor.contextId, r);

  /**
   * The turns among `ids` (public turn ids) that exist. Whether the caller may read their
   * sessions is the service's check before this (turns are read through their session, like
   * `Session.turns`); the table PERMISSIONS of the caller's session filter underneath.
   */
  async byIds(ids: readonly string[]): Promise<TurnModel[]> {
    const targets = [...new Set(ids)].flatMap((id) => {
      const key = decodeTurnKey(id);
      return key ? [new RecordId("turn", key)] : [];
    });
    if (targets.length === 0) return [];
    // A record id that names no record yields a row of NONE: keep only records that exist.
    const [rows] = await this.t.q.run("SELECT id, seq, role, content, created_at FROM $targets WHERE id != NONE", {
      targets,
    });
    return ((rows ?? []) as TurnRow[]).map(this.model);
  }

  /**
   * Turns appended to one session from now on, as a live feed (null: the id cannot name a
   * session). Whether the caller may read the session is the service's check before this; the
   * table PERMISSIONS of the caller's session filter every turn underneath.
   */
  async live(sessionId: string): Promise<LiveFeed | null> {
    const key = decodeRecordKey(sessionId);
    if (!key) return null;
    return this.t.q.live("LIVE SELECT id, seq, role, content, created_at FROM turn WHERE session = $sid", {
      sid: new RecordId("session", key),
    });
  }

  /**
   * Appends a turn with the next seq to a session the caller owns (the management key: any).
   * One transaction: read the session, bump its counter, create the turn. Concurrent appends
   * conflict on the counter and are retried (db/transactions.ts), so every caller gets its own
   * seq; past the retries the caller gets CONFLICT. The turn inherits the session's scope.
   * With `signal`, no attempt starts once it has aborted.
   */
  async append(
    sessionId: string,
    role: string,
    content: string,
    signal?: AbortSignal,
  ): Promise<TurnModel | AppendRefusal> {
    const key = decodeRecordKey(sessionId);
    if (!key) return "not-found";
    try {
      const results = await this.t.q.transaction(
        `BEGIN;
         LET $s = (SELECT scope, owner, ended_at, turn_count FROM ONLY $sid);
         IF $s = NONE OR ($s.owner != $owner AND !$any) { THROW '${NO_SESSION}' };
         IF $s.ended_at != NONE { THROW '${ENDED}' };
         LET $seq = ($s.turn_count ?? 0) + 1;
         UPDATE $sid SET turn_count = $seq;
         LET $turn = (CREATE ONLY type::record('turn', [$skey, $sulid, $seq])
           SET session = $sid, seq = $seq, role = $role, content = $content, scope = $s.scope RETURN id, seq, role, content, created_at);
         IF $turn = NONE { THROW 'outside floor' };
         RETURN $turn;
         COMMIT;`,
        {
          sid: new RecordId("session", key),
          skey: key[0],
          sulid: key[1],
          owner: this.t.actor.keyId ?? "",
          any: this.t.actor.principal === "MANAGEMENT",
          role,
          content,
        },
        {
          markers: [NO_SESSION, ENDED],
          signal,
          writes: writtenAt(key[0]),
          locks: [...partitionLocks([key[0]], false), sessionLock(key)],
        },
      );
      return this.model(results.filter((r) => r && typeof r === "object" && !Array.isArray(r)).at(-1));
    } catch (err) {
      if (err instanceof TransactionThrow) return err.marker === ENDED ? "ended" : "not-found";
      throw err;
    }
  }

  /**
   * Turns of many sessions in one round trip, each a page of `size` seqs away from `position`
   * (exclusive; null: the session's first turn for ASC, its last for DESC). Seqs are dense
   * (1…turnCount), so each page is a bounded key range of size+1 seqs: its cost does not grow
   * with the session. A page that comes back short although turns lie further on in its
   * direction is read again up to the session's end (ASC) or start (DESC): retention removes a
   * session's oldest turns, and the reread reads only the turns that are left in that range.
   * With a position, `behind` says whether a turn lies at or behind it, from one point read:
   * retention removes a prefix of the seqs (the oldest turns), so the turns left are
   * minSeq…turnCount and one seq tells. Sessions the caller may not read come back empty.
   */
  async pages(
    sessions: ReadonlyArray<{ id: string; turnCount: number }>,
    req: { size: number; position: number | null; direction: "ASC" | "DESC" },
  ): Promise<Map<string, Scan<TurnModel>>> {
    const out = new Map<string, Scan<TurnModel>>();
    const keyed = sessions.flatMap((s) => {
      const key = decodeRecordKey(s.id);
      if (!key) return [];
      const asc = req.direction === "ASC";
      const lo = asc ? (req.position ?? 0) + 1 : Math.max(1, (req.position ?? s.turnCount + 1) - 1 - req.size);
      const hi = asc ? lo + req.size : (req.position ?? s.turnCount + 1) - 1;
      // The one seq whose existence tells whether a turn lies at or behind the position.
      const probe =
        req.position === null || s.turnCount < 1
          ? null
          : asc
            ? Math.min(req.position, s.turnCount)
            : req.position <= s.turnCount
              ? s.turnCount
              : null;
      return [{ ...s, key, lo, hi, probe }];
    });
    const vars: Record<string, unknown> = { limit: req.size + 1 };
    keyed.forEach(({ key, lo, hi, probe }, i) => {
      vars[`k${i}`] = key[0];
      vars[`s${i}`] = key[1];
      vars[`lo${i}`] = lo;
      vars[`hi${i}`] = hi;
      vars[`c${i}`] = probe ?? 0;
    });
    const select = "SELECT id, seq, role, content, created_at FROM";
    const live = keyed.flatMap((s, i) => (s.lo <= s.hi ? [i] : []));
    const statements = [
      ...live.map((i) => `${select} turn:[$k${i}, $s${i}, $lo${i}]..=[$k${i}, $s${i}, $hi${i}];`),
      ...keyed.map((_, i) => `SELECT VALUE seq FROM turn:[$k${i}, $s${i}, $c${i}] WHERE id != NONE;`),
    ];
    const bounded = keyed.length ? await this.t.q.run(statements.join("\n"), vars) : [];
    const rowsOf = new Map<number, TurnRow[]>(live.map((i, j) => [i, (bounded[j] ?? []) as TurnRow[]]));
    const holes = live.filter((i) => {
      const s = keyed[i]!;
      const short = (rowsOf.get(i) ?? []).length <= req.size;
      return short && (req.direction === "ASC" ? s.turnCount > s.hi : s.lo > 1);
    });
    const reread = holes.length
      ? await this.t.q.run(
          holes
            .map((i) =>
              req.direction === "ASC"
                ? `${select} turn:[$k${i}, $s${i}, $lo${i}]..=[$k${i}, $s${i}, ..] LIMIT $limit;`
                : `${select} turn:[$k${i}, $s${i}, 1]..=[$k${i}, $s${i}, $hi${i}] ORDER BY seq DESC LIMIT $limit;`,
            )
            .join("\n"),
          vars,
        )
      : [];
    for (const [j, i] of holes.entries()) rowsOf.set(i, (reread[j] ?? []) as TurnRow[]);
    keyed.forEach(({ id, probe }, i) => {
      const order = req.direction === "ASC" ? 1 : -1;
      const rows = [...(rowsOf.get(i) ?? [])].sort((a, b) => (a.seq - b.seq) * order);
      const found = bounded[live.length + i];
      out.set(id, {
        items: rows.slice(0, req.size).map(this.model),
        more: rows.length > req.size,
        behind: probe !== null && Array.isArray(found) && found.length > 0,
      });
    });
    return out;
  }

  /**
   * How many turns each session holds: its turn counter, less the oldest turns retention removed
   * (a prefix of the seqs, see `pages`). One round trip of two point reads per session when
   * nothing was removed; otherwise a 16-way search for the oldest seq left, a few point reads
   * per step (log16 of the turn count steps), never a scan of the session.
   */
  async counts(sessions: ReadonlyArray<{ id: string; turnCount: number }>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    // Per session: `missing` < oldest seq left ≤ `present` (the search's bounds).
    const open: Array<{ id: string; key: [string, string]; turnCount: number; missing: number; present: number }> = [];
    for (const s of sessions) {
      const key = decodeRecordKey(s.id);
      if (!key || s.turnCount < 1) out.set(s.id, 0);
      else open.push({ id: s.id, key, turnCount: s.turnCount, missing: 0, present: s.turnCount + 1 });
    }
    // The first round reads seq 1 and the last seq; each later one 15 seqs spread over the bounds.
    let probes = (o: (typeof open)[number]) => [...new Set([1, o.turnCount])];
    while (open.length > 0) {
      const asked = open.map((o) => probes(o));
      const targets = open.flatMap((o, i) => asked[i]!.map((seq) => new RecordId("turn", [o.key[0], o.key[1], seq])));
      const [rows] = await this.t.q.run("SELECT VALUE record::id(id) FROM $targets WHERE id != NONE", { targets });
      const found = new Set(((rows ?? []) as unknown[][]).map((k) => JSON.stringify(k)));
      for (let i = open.length - 1; i >= 0; i--) {
        const o = open[i]!;
        for (const seq of asked[i]!) {
          const exists = found.has(JSON.stringify([o.key[0], o.key[1], seq]));
          if (exists) o.present = Math.min(o.present, seq);
          else o.missing = Math.max(o.missing, seq < o.present ? seq : o.missing);
        }
        // The last turn gone means every turn is (retention removes the oldest first).
        const allGone = o.present > o.turnCount;
        if (allGone || o.present - o.missing <= 1) {
          out.set(o.id, allGone ? 0 : o.turnCount - o.present + 1);
          open.splice(i, 1);
        }
      }
      probes = (o) => {
        const gap = o.present - o.missing;
        return [
          ...new Set(Array.from({ length: 15 }, (_, j) => o.missing + Math.max(1, Math.floor(((j + 1) * gap) / 16)))),
        ].filter((seq) => seq < o.present);
      };
    }
    return out;
  }
}

function turnModel(contextId: string, r: TurnRow): TurnModel {
  return { id: r.id, contextId, seq: r.seq, role: r.role, content: r.content, createdAt: r.created_at };
}
