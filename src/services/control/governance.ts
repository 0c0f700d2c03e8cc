import type { ContextService } from "./contexts.js";
import type { KeyService } from "./keys.js";
import type { ScopeMaintenance, TableCounts } from "../../db/scopeMaintenance.js";
import type { TenantSessions } from "../../db/tenantSessions.js";
import { effectiveConfig } from "./contextConfig.js";
import { carriesFloor, DIMENSION_PATTERN, parseScope, type Scope } from "../../domain/scope.js";
import { BadUserInputError } from "../../domain/errors.js";
import { log } from "../../log.js";
import { renderAuditMarkdown, type ScopeAuditReport } from "./auditReport.js";
import type { KeyModel, StoredContext } from "../../domain/models.js";

const toList = (c: TableCounts) =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, count]) => ({ table, count }));

/**
 * The management key's governance of a Context's data (issue 4): retention runs, targeted
 * redaction of one scope (the seed's "delete one tenant of a shared Context"), and the scope
 * audit an auditor can read.
 */
export class GovernanceService {
  constructor(
    private readonly contexts: ContextService,
    private readonly keys: KeyService,
    private readonly maintenance: ScopeMaintenance,
    private readonly tenants: TenantSessions,
  ) {}

  /** Runs retention now (or counts it, `dryRun`); a deletion of the Context waits until it is done. */
  runRetention(contextId: string, dryRun: boolean, now = new Date()) {
    return this.contexts.whileStanding(contextId, (ctx) => this.retain(ctx, dryRun, now));
  }

  private async retain(ctx: StoredContext, dryRun: boolean, now: Date) {
    const contextId = ctx.id;
    const config = effectiveConfig(ctx.config, ctx.providers);
    const policies = [
      ...(config.retentionDays ? [{ scope: {}, days: config.retentionDays }] : []),
      ...config.retentionPolicies,
    ];
    const counts = await this.maintenance.retention(ctx, policies, dryRun, now);
    if (!dryRun) {
      await this.maintenance.writeAuditEvent(ctx, { kind: "RETENTION", counts });
      log.info({ contextId, counts }, "retention run");
    }
    return { contextId, dryRun, counts: toList(counts) };
  }

  /**
   * Removes every record at or under `scope` while the Context keeps serving (ScopeMaintenance.redact:
   * a fence makes racing writes there answer CONFLICT, the partitions are emptied in small
   * transactions), verifies that nothing remains, optionally revokes the keys whose floor lies
   * under the scope (first, so they cannot write during the redaction), and writes an audit
   * event. Usage of past months survives as rollups.
   */
  redactScope(contextId: string, rawScope: unknown, dryRun: boolean, revokeKeys: boolean) {
    const scope = parseScope(rawScope);
    if (Object.keys(scope).length === 0)
      throw new BadUserInputError("redacting {} would remove everything: use deleteContext");
    // A deletion of the Context waits until the redaction is done (it would otherwise fail half-way).
    return this.contexts.whileStanding(contextId, (ctx) => this.redact(ctx, scope, dryRun, revokeKeys));
  }

  private async redact(ctx: StoredContext, scope: Scope, dryRun: boolean, revokeKeys: boolean) {
    const contextId = ctx.id;
    const underScope = (await this.keys.list(contextId)).filter(
      (k) => !k.revokedAt && carriesFloor(k.scopeFloor, scope),
    );
    if (dryRun) {
      const counts = await this.maintenance.countUnder(ctx, scope);
      return {
        contextId,
        scope,
        dryRun,
        counts: toList(counts),
        remaining: toList(counts),
        verified: false,
        revokedKeys: revokeKeys ? underScope : [],
      };
    }
    const revoked: KeyModel[] = [];
    if (revokeKeys) for (const k of underScope) revoked.push(await this.keys.revoke(contextId, k.name));
    const { counts, remaining } = await this.maintenance.redact(ctx, scope);
    const verified = Object.values(remaining).every((n) => n === 0);
    await this.maintenance.writeAuditEvent(ctx, {
      kind: "REDACT",
      scope,
      counts,
      verified,
      revokedKeys: revoked.map((k) => k.id),
    });
    log.info({ contextId, counts, verified, revoked: revoked.length }, "scope redacted");
    return {
      contextId,
      scope,
      dryRun,
      counts: toList(counts),
      remaining: toList(remaining),
      verified,
      revokedKeys: revoked,
    };
  }

  async scopeAudit(contextId: string, dimension: string): Promise<ScopeAuditReport & { markdown: string }> {
    if (!DIMENSION_PATTERN.test(dimension)) throw new BadUserInputError("dimension must be a scope dimension");
    const ctx = await this.contexts.stored(contextId);
    const [live, expected, keys, counts, redactions, misplaced] = await Promise.all([
      this.maintenance.tableDefinitions(ctx),
      this.tenants.referenceDefinitions(),
      this.keys.list(contextId),
      this.maintenance.countsBy(ctx, dimension),
      this.maintenance.auditEvents(ctx, "REDACT"),
      this.maintenance.misplacedRecords(ctx),
    ]);
    const tables = Object.keys(expected)
      .sort()
      .map((name) => ({
        name,
        definition: live[name] ?? "(missing)",
        expected: expected[name]!,
        matches: live[name] === expected[name],
      }));
    const auditKeys = [];
    for (const k of keys)
      auditKeys.push({
        ...k,
        recordsMissingFloor: await this.maintenance.recordsMissingFloor(ctx, k.id, k.scopeFloor),
      });
    let redactedRemaining = 0;
    for (const e of redactions)
      redactedRemaining += Object.values(await this.maintenance.countUnder(ctx, e.scope as Scope)).reduce(
        (a, b) => a + b,
        0,
      );
    const activeUnderRedacted = keys.filter(
      (k) => !k.revokedAt && redactions.some((e) => carriesFloor(k.scopeFloor, e.scope as Scope)),
    ).length;
    // A key whose floor does not fix `dimension` reads across every value of it: least privilege
    // is broken as soon as the Context holds more than one (e.g. several orgs in a shared Context).
    const values = new Set([
      ...counts.flatMap((c) => (c.value === null ? [] : [c.value])),
      ...keys.flatMap((k) => (Object.hasOwn(k.scopeFloor, dimension) ? [k.scopeFloor[dimension]!] : [])),
    ]);
    const unfloored = keys.filter((k) => !k.revokedAt && !Object.hasOwn(k.scopeFloor, dimension));
    const checks = [
      { name: "tables whose permissions differ from the migrations", count: tables.filter((t) => !t.matches).length },
      {
        name: `active keys whose floor does not fix "${dimension}", in a Context holding several "${dimension}" values`,
        count: values.size > 1 ? unfloored.length : 0,
      },
      {
        name: "records missing their writer's floor tag",
        count: auditKeys.reduce((n, k) => n + k.recordsMissingFloor, 0),
      },
      { name: "records remaining under redacted scopes", count: redactedRemaining },
      { name: "records stored outside their scope's partition", count: misplaced },
      { name: "active keys whose floor lies under a redacted scope", count: activeUnderRedacted },
    ].map((c) => ({ ...c, passed: c.count === 0 }));
    const report: ScopeAuditReport = {
      contextId,
      namespace: ctx.namespace,
      database: ctx.database,
      generatedAt: new Date().toISOString(),
      dimension,
      passed: checks.every((c) => c.passed),
      checks,
      tables,
      keys: auditKeys,
      counts,
      redactions: redactions.map((e) => ({ scope: e.scope, at: e.at, counts: e.counts })),
    };
    return { ...report, markdown: renderAuditMarkdown(report) };
  }
}
