/**
 * Management audit: reads every memory, document and session of every Context with the
 * management key and compares them with the model. Records the model holds alive must exist
 * (else `record-lost`: deleted by someone who may not), and nothing may exist that no successful
 * write created (`unexpected-record`: a half-write or an unreported one). The model is then
 * brought in line with the database so later checks stay exact.
 */
import type { OpContext } from "./context.js";
import { describeRecord } from "./checks.js";
import type { OwnedRecord, RecordKind } from "./model.js";
import { sameScope, showScope, type Scope } from "./scope.js";

const LISTS: Record<RecordKind, { field: string; selection: string }> = {
  memory: { field: "memories", selection: "id text scope" },
  document: { field: "documents", selection: "id title scope" },
  session: { field: "sessions", selection: "id scope endedAt" },
};

export async function auditAgainstDatabase(ctx: OpContext): Promise<void> {
  for (const contextId of ctx.model.contexts) {
    for (const kind of ["memory", "document", "session"] as const) {
      const rows = await readAll(ctx, contextId, kind);
      const live = new Map(ctx.model.liveIn(kind, contextId).map((r) => [r.id, r]));
      for (const row of rows) {
        const rec = ctx.model.record(kind, row.id);
        if (rec?.alive) {
          live.delete(row.id);
          if (!sameScope(rec.scope, row.scope))
            ctx.report("unexpected-record", `audit: ${describeRecord(rec)} is stored at ${showScope(row.scope)}`);
          if (kind === "session" && (row.endedAt !== null) !== ctx.model.sessions.get(row.id)?.ended)
            ctx.report(
              "unexpected-record",
              `audit: ${describeRecord(rec)} endedAt ${row.endedAt} differs from the model`,
            );
          continue;
        }
        ctx.report(
          "unexpected-record",
          `audit: ${kind} ${rec ? describeRecord(rec) : `…${row.id.slice(-8)} ${showScope(row.scope)}`} exists but the model ${
            rec ? "saw it deleted" : "never saw it written"
          }`,
        );
        if (rec) rec.alive = true;
        else adopt(ctx, kind, contextId, row);
      }
      for (const rec of live.values()) {
        ctx.report("record-lost", `audit: ${describeRecord(rec)} is gone`);
        rec.alive = false;
      }
    }
  }
}

async function readAll(ctx: OpContext, contextId: string, kind: RecordKind): Promise<any[]> {
  const { field, selection } = LISTS[kind];
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const d = await ctx.manage(
      `query($c: ID!, $a: String) { context(id: $c) { ${field}(first: 100, after: $a) { edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } } }`,
      { c: contextId, a: after },
    );
    const conn = d.context[field];
    out.push(...conn.edges.map((e: any) => e.node));
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
}

/** A record the model never saw: owned by nobody it knows, attributed to a tenant by its canary. */
function adopt(
  ctx: OpContext,
  kind: RecordKind,
  contextId: string,
  row: { id: string; scope: Scope; text?: string; title?: string },
) {
  const tenant = ctx.model.tenantByCanary(row.text ?? row.title ?? "")?.name ?? null;
  const base: OwnedRecord = {
    id: row.id,
    contextId,
    scope: row.scope,
    owner: "unknown",
    tenant,
    position: ctx.model.nextPosition(),
    alive: true,
  };
  if (kind === "memory")
    ctx.model.memories.set(row.id, { ...base, text: row.text ?? "", sessionId: null, sourceId: null });
  else if (kind === "session") ctx.model.sessions.set(row.id, { ...base, ended: false, turns: [] });
  else ctx.model.documents.set(row.id, { ...base, title: "", mimeType: "", content: "", chunkIds: [] });
}
