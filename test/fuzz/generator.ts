/**
 * The operation generator: draws the next operation (valid and invalid) from the seeded PRNG and
 * the model's current records — which key acts, which ids, cursors and scopes it names (its own,
 * a sibling's, another tenant's, deleted, unknown, forged or garbage), and what it writes.
 */
import type { Key, ListKind, Model, OwnedRecord, RecordKind } from "./model.js";
import { MANAGEMENT } from "./model.js";
import {
  CROCKFORD,
  decodePair,
  GARBAGE_CURSORS,
  GARBAGE_IDS,
  MALFORMED_SCOPES,
  NASTY,
  recordGlobalId,
  ROLES,
  TOPICS,
  UNICODE_SCOPES,
  USERS,
  WORDS,
} from "./inputs.js";
import type { Op, OpOf, OpType, Requested } from "./operation.js";
import type { Prng } from "./prng.js";

/** Relative frequency of each operation type. */
export const OP_WEIGHTS: Readonly<Record<OpType, number>> = {
  remember: 14,
  rememberMany: 5,
  createSession: 5,
  addTurn: 6,
  endSession: 2,
  session: 4,
  sessions: 3,
  memory: 7,
  memories: 5,
  recall: 6,
  recallProbe: 3,
  uploadDocument: 3,
  document: 4,
  documents: 3,
  deleteDocument: 3,
  forgetIds: 4,
  forgetScope: 4,
  forgetQuery: 2,
  tokenUsage: 2,
  decisionTraces: 2,
  answer: 3,
  entities: 3,
  aliasBatch: 3,
};

/** Writes that change a tenant's recall corpus, run between a probe and its repetition. */
const WRITE_WEIGHTS = {
  remember: 6,
  rememberMany: 3,
  uploadDocument: 2,
  forgetIds: 1,
  forgetScope: 1,
  forgetQuery: 1,
  deleteDocument: 1,
} as const satisfies Partial<Record<OpType, number>>;

/** The fixed query of the score-stability probe. */
export const PROBE_QUERY = "roadmap tea budget";

export class Generator {
  private serial = 0;

  constructor(
    private readonly prng: Prng,
    private readonly model: Model,
  ) {}

  /** The next operation: a random key, then an operation type by weight, then its arguments. */
  /** Operations already decided (a probe's follow-up), built when their turn comes. */
  private readonly pending: Array<() => Op> = [];

  next(): Op {
    const queued = this.pending.shift();
    if (queued) return queued();
    const key = this.prng.pick(this.model.keys);
    const type = this.prng.weighted(OP_WEIGHTS);
    const op = this.build(type, key);
    if (op.type === "recallProbe") this.queueProbeFollowUp(op);
    return op;
  }

  /**
   * A probe is followed by 1–4 writes of other tenants (mostly of the same Context) and then the
   * same probe again: its hits and scores must not have moved.
   */
  private queueProbeFollowUp(probe: OpOf<"recall" | "recallProbe">): void {
    const p = this.prng;
    const others = this.model.keys.filter((k) => k.tenant !== probe.key.tenant);
    const near = others.filter((k) => k.contextId === probe.key.contextId);
    for (let i = p.int(1, 4); i > 0; i--) {
      this.pending.push(() => {
        const key = p.pick(near.length > 0 && p.chance(0.75) ? near : others);
        return this.build(p.weighted(WRITE_WEIGHTS), key);
      });
    }
    this.pending.push(() => ({ ...probe }));
  }

  private build(type: OpType, key: Key): Op {
    const p = this.prng;
    switch (type) {
      case "remember": {
        const contextId = p.chance(0.04)
          ? p.pick([key.contextId, ...this.model.contexts.filter((c) => c !== key.contextId), "tenant-nope"])
          : undefined;
        return {
          type,
          key,
          text: this.text(key, p.int(1, 3)),
          scope: this.scope(key),
          literal: p.chance(0.2),
          sessionId: p.chance(0.15) ? this.id("session", key) : undefined,
          infer: p.chance(0.1),
          contextId,
        };
      }
      case "rememberMany": {
        const items = Array.from({ length: p.int(1, 5) }, () => ({
          text: p.chance(0.04) ? "   " : this.text(key, p.int(1, 2)),
          scope: p.chance(0.3) ? this.scope(key) : undefined,
        }));
        return {
          type,
          key,
          items,
          scope: this.scope(key),
          sessionId: p.chance(0.1) ? this.id("session", key) : undefined,
        };
      }
      case "createSession":
        return {
          type,
          key,
          scope: this.scope(key),
          metadata: { note: `${key.tenant.canary} session ${this.serial++}` },
        };
      case "addTurn":
        return { type, key, sessionId: this.id("session", key), role: p.pick(ROLES), content: this.text(key, 1) };
      case "endSession":
        return { type, key, sessionId: this.id("session", key) };
      case "session":
      case "memory":
      case "document":
        return { type, key, id: this.id(type, key) };
      case "sessions":
      case "memories":
      case "documents":
        return {
          type,
          key,
          first: this.first(),
          after: this.cursor(type, key),
          scope: this.scope(key),
          literal: p.chance(0.2),
        };
      case "recall":
        return {
          type,
          key,
          query: this.query(key),
          mode: p.pick(["HYBRID", "LEXICAL", "VECTOR"] as const),
          scope: this.scope(key),
          sessionId: p.chance(0.15) ? this.id("session", key) : undefined,
          topK: p.chance(0.03) ? p.pick([0, 51, -1]) : p.int(1, 20),
        };
      case "recallProbe":
        return {
          type,
          key,
          query: PROBE_QUERY,
          mode: p.pick(["HYBRID", "LEXICAL", "VECTOR"] as const),
          scope: undefined,
          topK: 10,
        };
      case "uploadDocument":
        return this.upload(key);
      case "deleteDocument":
        return { type, key, id: this.id("document", key) };
      case "forgetIds": {
        const ids = Array.from({ length: p.int(1, 5) }, () => this.id("memory", key));
        if (p.chance(0.1)) ids.push(ids[0]!);
        return { type, key, ids, dryRun: p.chance(0.4), alsoScope: p.chance(0.03) };
      }
      case "forgetScope": {
        let scope = this.scope(key);
        if (scope === undefined) scope = p.chance(0.5) ? {} : { user: p.pick(USERS) };
        return { type, key, scope, dryRun: p.chance(0.4) };
      }
      case "forgetQuery":
        return {
          type,
          key,
          query: this.query(key),
          limit: p.chance(0.04) ? p.pick([0, 51]) : p.int(1, 15),
          dryRun: p.chance(0.4),
        };
      case "tokenUsage":
        return { type, key, groupBy: p.chance(0.7) };
      case "decisionTraces":
        return { type, key, first: p.pick([10, 100]), scope: p.chance(0.3) ? this.scope(key) : undefined };
      case "answer": {
        const sessionId = p.chance(0.3) ? this.id("session", key) : undefined;
        // A question asked in a session becomes a turn: only ask other tenants' canaries outside one.
        const question = sessionId
          ? `${p.pick(WORDS)} ${p.pick(WORDS)} ${key.tenant.canary}?`
          : this.query(key).replace(/^\s+$/, "tea?");
        return { type, key, question, scope: this.scope(key), sessionId, topK: p.int(1, 8) };
      }
      case "entities":
        return {
          type,
          key,
          refs: Array.from({ length: p.int(1, 4) }, () => {
            const typename = p.pick(["Memory", "Session"] as const);
            return { typename, id: this.id(typename === "Memory" ? "memory" : "session", key) };
          }),
        };
      case "aliasBatch":
        return {
          type,
          key,
          fields: Array.from({ length: p.int(2, 6) }, () => {
            const kind = p.pick(["memory", "session", "document"] as const);
            return { kind, id: this.id(kind, key) };
          }),
        };
    }
  }

  // ---- texts ----------------------------------------------------------------------------------

  /** Sentences that each start with the tenant's canary and a serial (so extracted facts keep it). */
  text(key: Key, sentences: number): string {
    const n = this.serial++;
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) {
      const words = Array.from({ length: this.prng.int(3, 6) }, () => this.prng.pick(WORDS));
      if (this.prng.chance(0.05)) words.push(this.prng.pick(NASTY));
      out.push(`${key.tenant.canary}-${n} ${words.join(" ")}.`);
    }
    return out.join(" ");
  }

  private query(key: Key): string {
    const p = this.prng;
    switch (p.weighted({ words: 60, own: 10, foreign: 10, probe: 10, odd: 5, empty: 3, long: 2 })) {
      case "words":
        return Array.from({ length: p.int(1, 3) }, () => p.pick(WORDS)).join(" ");
      case "own":
        return `${key.tenant.canary} ${p.pick(WORDS)}`;
      case "foreign":
        return p.pick(this.model.tenants.filter((t) => t !== key.tenant)).canary;
      case "probe":
        return PROBE_QUERY;
      case "odd":
        return p.pick(["🙂 ✓", "a", "the", "$token", "李雷 fruit", "'; --"]);
      case "empty":
        return "   ";
      default:
        return "tea ".repeat(1001);
    }
  }

  private upload(key: Key): Op {
    const p = this.prng;
    const mine = [...this.model.documents.values()].filter(
      (d) => d.contextId === key.contextId && d.tenant === key.tenant.name,
    );
    if (mine.length > 0 && p.chance(0.1)) {
      const d = p.pick(mine); // identical content in the same scope: deduplicated while it lives
      return { type: "uploadDocument", key, title: d.title, content: d.content, mimeType: d.mimeType, scope: d.scope };
    }
    const n = this.serial++;
    // Mostly one chunk; sometimes a few (512-token chunks, ~15 tokens a line).
    const lines = Array.from({ length: p.chance(0.08) ? p.int(40, 100) : p.int(1, 12) }, () => this.text(key, 1));
    const markdown = p.chance(0.5);
    const content = markdown ? `# ${key.tenant.canary} notes ${n}\n\n${lines.join("\n\n")}\n` : lines.join("\n");
    return {
      type: "uploadDocument",
      key,
      title: p.chance(0.03) ? "   " : `${key.tenant.canary} doc ${n}`,
      content,
      mimeType: markdown ? "text/markdown" : "text/plain",
      scope: this.scope(key),
    };
  }

  // ---- scopes ---------------------------------------------------------------------------------

  /** A requested scope: none, narrowing, the key's own floor, sideways, malformed or Unicode-heavy. */
  scope(key: Key): Requested {
    const p = this.prng;
    switch (
      p.weighted({
        none: 35,
        empty: 5,
        user: 20,
        userTopic: 12,
        topic: 6,
        floor: 5,
        sideways: 7,
        malformed: 7,
        unicode: 3,
      })
    ) {
      case "none":
        return undefined;
      case "empty":
        return {};
      case "user":
        return { user: p.pick(USERS) };
      case "userTopic":
        return { user: p.pick(USERS), topic: p.pick(TOPICS) };
      case "topic":
        return { topic: p.pick(TOPICS) };
      case "floor":
        return p.chance(0.5) ? { ...key.floor } : { ...key.floor, user: p.pick(USERS) };
      case "sideways": {
        const other = p.pick(this.model.tenants.filter((t) => t.org !== key.tenant.org));
        return p.chance(0.7) ? { org: other.org } : { org: other.org, user: p.pick(USERS) };
      }
      case "malformed":
        return p.pick(MALFORMED_SCOPES);
      default:
        return p.pick(UNICODE_SCOPES);
    }
  }

  // ---- ids and cursors ------------------------------------------------------------------------

  /**
   * An id to name in an argument: the key's own record, a sibling key's, another tenant's (same
   * or other Context), shared, deleted, unknown but well-formed, forged, garbage, or of another type.
   */
  id(kind: RecordKind, key: Key): string {
    const p = this.prng;
    const all = [...this.model.table(kind).values()];
    const pools: Record<string, () => OwnedRecord[]> = {
      own: () => all.filter((r) => r.alive && r.owner === key.label),
      sibling: () => all.filter((r) => r.alive && r.tenant === key.tenant.name && r.owner !== key.label),
      foreign: () =>
        all.filter(
          (r) => r.alive && r.contextId === key.contextId && r.tenant !== null && r.tenant !== key.tenant.name,
        ),
      otherContext: () => all.filter((r) => r.contextId !== key.contextId),
      shared: () => all.filter((r) => r.owner === MANAGEMENT),
      deleted: () => all.filter((r) => !r.alive),
    };
    const source = p.weighted({
      own: 30,
      sibling: 12,
      foreign: 18,
      otherContext: 6,
      shared: 6,
      deleted: 6,
      unknown: 8,
      forged: 4,
      garbage: 6,
      crossType: 4,
    });
    if (source in pools) {
      const pool = pools[source]!();
      if (pool.length > 0) return p.pick(pool).id;
      return this.unknownId(kind, all);
    }
    if (source === "garbage") return p.pick(GARBAGE_IDS);
    if (source === "crossType") {
      const other = p.pick((["memory", "session", "document"] as const).filter((k) => k !== kind));
      const pool = [...this.model.table(other).keys(), ...this.model.chunkDocument.keys()];
      return pool.length > 0 ? p.pick(pool) : this.unknownId(kind, all);
    }
    if (source === "forged") return this.forgedId(kind, key, all);
    return this.unknownId(kind, all);
  }

  private ulid(): string {
    return `01${this.prng.string(24, CROCKFORD)}`;
  }

  /** A well-formed id that names nothing: a real id's Context and partition with a fresh ulid. */
  private unknownId(kind: RecordKind, all: OwnedRecord[]): string {
    if (kind === "session" || all.length === 0) return this.ulid();
    const real = this.prng.pick(all);
    const parts = decodePair(real.id);
    return parts ? recordGlobalId(kind, real.contextId, [parts[0], this.ulid()]) : this.ulid();
  }

  /** Another tenant's record id re-labelled with this key's own partition (or the reverse). */
  private forgedId(kind: RecordKind, key: Key, all: OwnedRecord[]): string {
    const mine = all.filter((r) => r.tenant === key.tenant.name);
    const theirs = all.filter((r) => r.contextId === key.contextId && r.tenant !== key.tenant.name);
    if (kind === "session" || mine.length === 0 || theirs.length === 0) return this.unknownId(kind, all);
    const a = decodePair(this.prng.pick(mine).id);
    const b = decodePair(this.prng.pick(theirs).id);
    if (!a || !b) return this.unknownId(kind, all);
    return recordGlobalId(kind, key.contextId, this.prng.chance(0.5) ? [a[0], b[1]] : [b[0], a[1]]);
  }

  /** Usually no cursor; else one the key got, another tenant's, another list's, or garbage. */
  private cursor(list: ListKind, key: Key): string | undefined {
    const p = this.prng;
    const source = p.weighted({ none: 70, own: 10, foreign: 8, crossList: 4, garbage: 8 });
    if (source === "none") return undefined;
    if (source === "garbage") return p.pick(GARBAGE_CURSORS);
    const pool = [...this.model.cursors].filter(([, c]) => {
      const holder = this.model.keys.find((k) => k.label === c.key);
      if (source === "own") return c.list === list && c.key === key.label;
      if (source === "foreign") return c.list === list && holder?.tenant !== key.tenant;
      return c.list !== list;
    });
    return pool.length > 0 ? p.pick(pool)[0] : undefined;
  }

  private first(): number {
    const p = this.prng;
    if (p.chance(0.03)) return p.pick([0, -5, 101, 1000]);
    return p.pick([100, 100, 100, 100, 100, 50, 50, 25, 10, 3]);
  }
}
