import type { RecordView } from "../../domain/access.js";
import { ConflictError, NotFoundError } from "../../domain/errors.js";
import type { MemoryModel, Page, SessionModel, TurnModel } from "../../domain/models.js";
import { decodeTurnKey, encodeRecordKey } from "../../db/ids.js";
import type { Scan } from "../../db/tables/partitionedTable.js";
import type { Scope } from "../../domain/scope.js";
import type { TenantBinding } from "./binding.js";
import { loadById } from "./byId.js";
import {
  listCursor,
  metadataOf,
  type PageArgs,
  pagedList,
  pagePlan,
  pageSize,
  relayPage,
  seqPosition,
  storableText,
  withCursors,
} from "./inputs.js";

/** A session by id as its caller may read it (null: unknown or invisible), batched per request. */
export function loadSession(binding: TenantBinding, id: string): Promise<SessionModel | null> {
  return loadById(binding, "session", id, (exec) => exec.sessions);
}

/**
 * Appends a turn to a session the caller owns (DESIGN §5: only the key that created a session
 * adds turns to it). Errors: NOT_FOUND (unknown, invisible or someone else's session), CONFLICT
 * (the session has ended, or concurrent appends kept winning), BAD_USER_INPUT (content),
 * FORBIDDEN (a READ credential).
 */
export async function appendTurn(
  binding: TenantBinding,
  sessionId: string,
  role: string,
  content: string,
): Promise<TurnModel> {
  binding.access.assertMayWrite();
  storableText(content, "content");
  const turn = await (await binding.executor()).turns.append(sessionId, role, content, binding.signal);
  if (turn === "not-found") throw new NotFoundError("session");
  if (turn === "ended") throw new ConflictError("session has ended");
  return turn;
}

/** Sessions and their turns, as one request's caller sees them in one Context. */
export class SessionService {
  /** Each session's turn count as its parent field read it (the turn pages need it). */
  private readonly turnCounts = new Map<string, number>();

  constructor(private readonly binding: TenantBinding) {}

  /** A new session at the effective scope, owned by the calling agent key. */
  async create(input: { scope?: Scope | null; metadata?: unknown }): Promise<SessionModel> {
    const scope = this.binding.access.write(input.scope);
    const metadata = metadataOf(input.metadata);
    return (await this.binding.executor()).sessions.create(scope, metadata);
  }

  /** One session by id. Errors: NOT_FOUND. */
  async get(id: string): Promise<SessionModel> {
    const found = await loadSession(this.binding, id);
    if (!found) throw new NotFoundError("session");
    return found;
  }

  /** A page of the list at the requested scope, oldest first unless `orderBy` says otherwise; cursors belong to this list. */
  async page(args: PageArgs & { scope?: Scope | null }) {
    const view = this.binding.access.list(args.scope);
    const exec = await this.binding.executor();
    return pagedList("sessions", view, args, "ASC", (req) => exec.sessions.page(view, req));
  }

  addTurn(sessionId: string, input: { role: string; content: string }): Promise<TurnModel> {
    return appendTurn(this.binding, sessionId, input.role, input.content);
  }

  /** Ends a session the caller owns; ending twice keeps the first time. Errors: NOT_FOUND. */
  async end(id: string): Promise<SessionModel> {
    this.binding.access.assertMayWrite();
    const ended = await (await this.binding.executor()).sessions.end(id, this.binding.access.byId());
    if (!ended) throw new NotFoundError("session");
    return ended;
  }

  /**
   * A page of a session's turns in seq order (or the reverse, with `orderBy` DESC), forward or
   * backward, batched across the sessions of one request that ask for the same page.
   */
  async turns(session: SessionModel, args: PageArgs): Promise<Page<TurnModel & { cursor: string }>> {
    const list = listCursor(`turns|${session.id}`);
    const plan = pagePlan(args, "ASC", (cursor, field) => seqPosition(list, cursor, field));
    this.turnCounts.set(session.id, session.turnCount);
    const turnCounts = this.turnCounts;
    const empty: Scan<TurnModel> = { items: [], more: false, behind: false };
    return this.binding
      .loader<Scan<TurnModel>>(`turns:${plan.size}:${plan.direction}:${plan.position}`, async (ids) => {
        const pages = await (await this.binding.executor()).turns.pages(
          ids.map((id) => ({ id, turnCount: turnCounts.get(id) ?? 0 })),
          plan,
        );
        return ids.map((id) => pages.get(id) ?? empty);
      })
      .load(session.id)
      .then((scan) => withCursors(relayPage(plan, scan), (turn) => list.encode(turn.seq)));
  }

  /** How many turns a session holds (TurnConnection.totalCount), batched across the sessions of one request. */
  turnCount(session: SessionModel): Promise<number> {
    this.turnCounts.set(session.id, session.turnCount);
    const turnCounts = this.turnCounts;
    return this.binding
      .loader<number>("turn-count", async (ids) => {
        const counts = await (await this.binding.executor()).turns.counts(
          ids.map((id) => ({ id, turnCount: turnCounts.get(id) ?? 0 })),
        );
        return ids.map((id) => counts.get(id) ?? 0);
      })
      .load(session.id);
  }

  /**
   * One turn by id, read through its session like `Session.turns`: the session must be one the
   * caller may read by id (`session(id:)`), else NOT_FOUND, like an unknown turn.
   */
  async turn(id: string): Promise<TurnModel> {
    const key = decodeTurnKey(id);
    const session = key ? await loadSession(this.binding, encodeRecordKey([key[0], key[1]])) : null;
    if (!session) throw new NotFoundError("turn");
    const turn = await this.binding
      .loader<TurnModel | null>("turn", async (ids) => {
        const turns = await (await this.binding.executor()).turns.byIds(ids);
        const byId = new Map(turns.map((t) => [t.id, t]));
        return ids.map((i) => byId.get(i) ?? null);
      })
      .load(id);
    if (!turn) throw new NotFoundError("turn");
    return turn;
  }

  /** The first memories of a session (oldest first) that the caller may read by id, batched per request. */
  memories(session: SessionModel, first?: number | null): Promise<MemoryModel[]> {
    const size = pageSize(first);
    const { access, actor } = this.binding;
    // Rows the by-id rule may admit live in partitions that do not contradict the floor.
    const scan: RecordView = actor.principal === "AGENT" ? { kind: "subtree", scope: actor.floor } : access.byId();
    return this.binding
      .loader<MemoryModel[]>(`session-memories:${size}`, async (ids) => {
        const lists = await (await this.binding.executor()).memories.bySessionIds(ids, scan, access.byId(), size);
        return ids.map((id) => lists.get(id) ?? []);
      })
      .load(session.id);
  }
}
