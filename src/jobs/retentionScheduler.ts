import { randomUUID } from "node:crypto";
import type { ControlStore } from "../db/controlStore.js";
import type { ContextService } from "../services/control/contexts.js";
import type { GovernanceService } from "../services/control/governance.js";
import { log } from "../log.js";

/**
 * Runs retention for every Context on an interval. Several stateless replicas may run it: each
 * tick first takes the control plane's `retention` lease (one transaction), so one replica works
 * and the others skip; a crashed holder's lease simply expires.
 */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  readonly holder = `replica-${randomUUID()}`;

  constructor(
    private readonly control: ControlStore,
    private readonly contexts: ContextService,
    private readonly governance: GovernanceService,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One pass; returns false when another replica holds the lease. */
  async tick(now = new Date()): Promise<boolean> {
    if (this.running) return false;
    // The lease outlives the pass comfortably, and is renewed at every tick by its holder.
    if (!(await this.control.acquireLease("retention", this.holder, Math.max(this.intervalMs * 2, 60_000))))
      return false;
    this.running = (async () => {
      for (const ctx of await this.contexts.list()) {
        try {
          await this.governance.runRetention(ctx.id, false, now);
        } catch (err) {
          log.error({ contextId: ctx.id, err: String((err as Error).message) }, "retention failed");
        }
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return true;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
