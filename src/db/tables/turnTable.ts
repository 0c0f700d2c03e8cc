import { RecordId } from "surrealdb";
import type { Page, TurnModel } from "../../domain/models.js";
import { decodeRecordKey } from "../ids.js";
import type { LiveFeed } from "../liveFeed.js";
import { TransactionThrow } from "../transactions.js";
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
  readonly model = turnModel;

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
        [NO_SESSION, ENDED],
        signal,
      );
      return turnModel(results.filter((r) => r && typeof r === "object" && !Array.isArray(r)).at(-1));
    } catch (err) {
      if (err instanceof TransactionThrow) return err.marker === ENDED ? "ended" : "not-found";
      throw err;
    }
  }

  /**
   * Turns of many sessions in one round trip, each a page of `first` after seq `afterSeq`.
   * Seqs are dense (1…turnCount), so each page is the bounded key range
   * (afterSeq, afterSeq + first + 1]: its cost does not grow with the session. Only a page that
   * comes back short although the session has later turns (retention removed the oldest ones)
   * is read again up to the end of its session. Sessions the caller may not read come back empty.
   */
  async pages(
    sessions: ReadonlyArray<{ id: string; turnCount: number }>,
    first: number,
    afterSeq: number,
  ): Promise<Map<string, Page<TurnModel>>> {
    const out = new Map<string, Page<TurnModel>>();
    const keyed = sessions.flatMap((s) => {
      const key = decodeRecordKey(s.id);
      return key ? [{ ...s, key }] : [];
    });
    if (keyed.length === 0) return out;
    const to = afterSeq + first + 1;
    const vars: Record<string, unknown> = { from: afterSeq + 1, to, limit: first + 1 };
    keyed.forEach(({ key }, i) => {
      vars[`k${i}`] = key[0];
      vars[`s${i}`] = key[1];
    });
    const select = "SELECT id, seq, role, content, created_at FROM";
    const bounded = await this.t.q.run(
      keyed.map((_, i) => `${select} turn:[$k${i}, $s${i}, $from]..=[$k${i}, $s${i}, $to];`).join("\n"),
      vars,
    );
    const holes = keyed.flatMap((s, i) => ((bounded[i] ?? []).length <= first && s.turnCount > to ? [i] : []));
    const reread = holes.length
      ? await this.t.q.run(
          holes.map((i) => `${select} turn:[$k${i}, $s${i}, $from]..=[$k${i}, $s${i}, ..] LIMIT $limit;`).join("\n"),
          vars,
        )
      : [];
    keyed.forEach(({ id }, i) => {
      const j = holes.indexOf(i);
      const rows: TurnRow[] = j >= 0 ? (reread[j] ?? []) : (bounded[i] ?? []);
      out.set(id, { items: rows.slice(0, first).map(turnModel), hasNextPage: rows.length > first });
    });
    return out;
  }
}

function turnModel(r: TurnRow): TurnModel {
  return { id: r.id, seq: r.seq, role: r.role, content: r.content, createdAt: r.created_at };
}
