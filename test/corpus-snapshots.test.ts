import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeSegment,
  SEGMENT_ENTRIES,
  SEGMENT_ROWS,
  segmentEnd,
  TAIL_REFRESH_ROWS,
} from "../src/db/corpusSnapshots.js";
import type { CachedRow } from "../src/db/corpusCache.js";
import { decodeGlobalId } from "../src/domain/globalIds.js";
import { PartitionRegistry } from "../src/db/tables/partitionRegistry.js";
import { createKey, remember, startTestGateway, type TestGateway } from "./harness.js";

/**
 * Issue 11, cold recall: a partition of SNAPSHOT_MIN_ROWS records or more is persisted as a
 * corpus snapshot (corpusSnapshots.ts). After the in-memory caches are emptied (an eviction, a
 * restart, another replica), recall reads the snapshot plus the partition's append log, and must
 * rank exactly as a scan of the records would, see every record appended since (on any replica),
 * never see a forgotten one, and never show one tenant another's snapshot.
 */
const RECALL = `query($q: String!, $k: Int) { recall(query: $q, topK: $k) { hits { score memory { id text } } } }`;
const CONTEXT = "snapshots";

async function recall(t: TestGateway, key: string, q: string, k = 10) {
  const r = await t.gql(key, RECALL, { q, k });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return (r.data.recall.hits as Array<{ score: number; memory: { id: string; text: string } }>).map((h) => ({
    id: h.memory.id,
    text: h.memory.text,
    score: h.score,
  }));
}

/** Rows of a gateway-internal table of the Context, read on its root session (what is stored, whoever may see it). */
async function stored(t: TestGateway, sql: string): Promise<any[]> {
  const ctx = await t.gateway.contexts.stored(CONTEXT);
  const [rows] = await t.gateway.tenants.onRoot(ctx, (s) => s.query(sql).collect<[any[]]>());
  return rows;
}

/** A fresh gateway with one Context `id` (its own database). */
async function gatewayWithContext(id: string): Promise<TestGateway> {
  const t = await startTestGateway();
  await t.mgmt(`mutation { createContext(input: { id: "${id}", namespace: "platform", database: "${id}" }) { id } }`);
  return t;
}

const fillerText = (i: number) =>
  `note ${i} about the ${["harbour", "orchard", "station", "library"][i % 4]} and its ${["lamps", "gates", "clocks"][i % 3]}`;

describe("persisted corpus snapshots", () => {
  let t: TestGateway;
  let alpha: string;
  let beta: string;
  const loads = () => t.gateway.tenants.corpusCache.loadsOf("memory");

  beforeAll(async () => {
    t = await startTestGateway();
    await t.mgmt(
      `mutation { createContext(input: { id: "${CONTEXT}", namespace: "platform", database: "snapshots" }) { id } }`,
    );
    alpha = await createKey(t, CONTEXT, "alpha", "AGENT", { org: "alpha" });
    beta = await createKey(t, CONTEXT, "beta", "AGENT", { org: "beta" });
    // One full data segment and part of a second.
    const items = Array.from({ length: SEGMENT_ROWS + 100 }, (_, i) => ({
      text: i % 50 === 0 ? `zebra migration route ${i}` : fillerText(i),
    }));
    const r = await t.gql(alpha, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
      i: { items },
    });
    expect(r.errors).toBeUndefined();
    await remember(t, beta, "zebra migration route of beta");
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("a cold recall reads the snapshot and ranks exactly as the scan did", async () => {
    // The writes stored a snapshot already (see "kept at write time" below): drop it, so this recall scans.
    await t.gateway.tenants.corpusSnapshots.settled();
    await stored(t, "DELETE corpus_segment");
    const scans = loads().scanned;
    const scanned = await recall(t, alpha, "zebra migration route", 30);
    expect(loads().scanned).toBe(scans + 1);
    expect(scanned.length).toBe(30); // the first 30 of the 42 (every 50th of 2,100), none of beta's
    await t.gateway.tenants.corpusSnapshots.settled();
    const segments = await stored(
      t,
      "SELECT record::id(id) AS id, rows FROM corpus_segment WHERE record::id(id)[2] >= 0",
    );
    expect(segments.map((s) => s.rows)).toEqual([SEGMENT_ROWS, 100]);
    expect(segments.every((s) => s.id[1].includes('"alpha"'))).toBe(true); // beta's one record is not snapshotted
    // The snapshot holds what the append log held: compacted.
    expect(await stored(t, "SELECT VALUE id FROM partition_log WHERE string::contains(<string> id, 'alpha')")).toEqual(
      [],
    );

    const before = loads();
    t.gateway.forgetRecallCaches(CONTEXT);
    expect(await recall(t, alpha, "zebra migration route", 30)).toEqual(scanned);
    expect(loads().snapshot).toBe(before.snapshot + 1);
    expect(loads().scanned).toBe(before.scanned);
  });

  it("records appended since, on this replica or another, are read from the log, each once", async () => {
    await t.gateway.tenants.corpusSnapshots.settled();
    const replica = await startTestGateway(undefined, {}, { database: t.gateway.db });
    try {
      const here = await remember(t, alpha, "zebra migration appended here");
      const there = await remember(replica, alpha, "zebra migration appended on a replica");
      t.gateway.forgetRecallCaches(CONTEXT);
      const before = loads();
      const hits = await recall(t, alpha, "zebra migration appended", 50);
      expect(loads().snapshot).toBe(before.snapshot + 1);
      const ids = hits.map((h) => h.id);
      expect(ids).toContain(here.id);
      expect(ids).toContain(there.id);
      expect(new Set(ids).size).toBe(ids.length);
      // The warm path after a write reads only what the log adds, from the cached rows.
      const third = await remember(t, alpha, "zebra migration appended third");
      const warm = loads();
      expect((await recall(t, alpha, "zebra migration appended", 50)).map((h) => h.id)).toContain(third.id);
      expect(loads().cached).toBe(warm.cached + 1);
      expect(loads().scanned).toBe(warm.scanned);
    } finally {
      await replica.close();
    }
  });

  it("keeping up with appends rewrites only the segments they touch", async () => {
    const writer = t.gateway.tenants.corpusSnapshots;
    await writer.settled();
    const before = writer.segmentsWritten;
    const items = Array.from({ length: TAIL_REFRESH_ROWS + 10 }, (_, i) => ({ text: fillerText(i) }));
    const r = await t.gql(alpha, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
      i: { items },
    });
    expect(r.errors).toBeUndefined();
    await recall(t, alpha, "harbour lamps"); // the warm load adds the log's rows and refreshes the snapshot
    await writer.settled();
    expect(writer.segmentsWritten).toBe(before + 1); // segment 0 (full, unchanged) stays; segment 1 is rewritten
    const rows = await stored(t, "SELECT VALUE rows FROM corpus_segment WHERE record::id(id)[2] >= 0");
    expect(rows).toEqual([SEGMENT_ROWS, 100 + TAIL_REFRESH_ROWS + 3 + 10]);
    t.gateway.forgetRecallCaches(CONTEXT);
    const snapshotLoads = loads().snapshot;
    const hits = await recall(t, alpha, "zebra migration route", 50);
    expect(hits.filter((h) => h.text.startsWith("zebra migration route")).length).toBe(42);
    expect(loads().snapshot).toBe(snapshotLoads + 1);
  });

  it("a replica whose cached view is older than the compacted log reloads the snapshot and misses nothing", async () => {
    const writer = t.gateway.tenants.corpusSnapshots;
    await writer.settled();
    const replica = await startTestGateway(undefined, {}, { database: t.gateway.db });
    try {
      const count = async (g: TestGateway) =>
        (await recall(g, alpha, "zebra migration route", 50)).filter((h) => h.text.startsWith("zebra migration route"))
          .length;
      expect(await count(replica)).toBe(42); // the replica caches the partition at today's version
      await replica.gateway.tenants.corpusSnapshots.settled();
      const items = Array.from({ length: TAIL_REFRESH_ROWS + 10 }, (_, i) => ({
        text: i === 0 ? "zebra migration route late" : fillerText(i),
      }));
      const r = await t.gql(alpha, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items },
      });
      expect(r.errors).toBeUndefined();
      expect(await count(t)).toBe(43); // refreshes the snapshot and compacts the log past the replica's view
      await writer.settled();
      await remember(t, alpha, "zebra migration route later");
      const before = replica.gateway.tenants.corpusCache.loadsOf("memory");
      expect(await count(replica)).toBe(44);
      expect(replica.gateway.tenants.corpusCache.loadsOf("memory").snapshot).toBe(before.snapshot + 1);
    } finally {
      await replica.close();
    }
  });

  it("a load whose append log is compacted under it (another replica's snapshot write) loads again, missing nothing", async () => {
    await t.gateway.tenants.corpusSnapshots.settled();
    const replica = await startTestGateway(undefined, {}, { database: t.gateway.db });
    // Instrumentation, not a double: the next stamps() read waits until released, so another
    // replica's snapshot write (which compacts the log) lands between a load's stamps and its log read.
    const stamps = PartitionRegistry.prototype.stamps;
    let armed = false;
    let release: () => void = () => undefined;
    PartitionRegistry.prototype.stamps = async function (this: PartitionRegistry, view) {
      const out = await stamps.call(this, view);
      if (armed) {
        armed = false;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return out;
    };
    try {
      const okapis = async (g: TestGateway) => (await recall(g, alpha, "okapi sighting", 50)).length;
      expect(await okapis(replica)).toBe(0); // the replica caches the partition
      await replica.gateway.tenants.corpusSnapshots.settled();
      const items = Array.from({ length: TAIL_REFRESH_ROWS + 10 }, (_, i) => ({
        text: i % 100 === 0 ? `okapi sighting ${i}` : fillerText(i),
      }));
      const r = await t.gql(alpha, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items },
      });
      expect(r.errors).toBeUndefined();
      armed = true;
      const pending = okapis(replica); // reads the stamps, then waits
      while (armed) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await okapis(t)).toBe(6); // a load 510 rows behind: a snapshot write that compacts the log
      await t.gateway.tenants.corpusSnapshots.settled();
      release();
      expect(await pending).toBe(6);
      expect(await okapis(replica)).toBe(6);
    } finally {
      PartitionRegistry.prototype.stamps = stamps;
      await replica.close();
    }
  });

  it("a forget removes the one segment holding the record, in its own transaction; the record never returns", async () => {
    const writer = t.gateway.tenants.corpusSnapshots;
    await writer.settled();
    const all = await recall(t, alpha, "zebra migration route", 50);
    await writer.settled();
    const top = all[0]!;
    const topLocal = decodeGlobalId(top.id)!.local; // the record's id as the corpus stores it
    const dataSegments = async () =>
      (await stored(t, "SELECT record::id(id)[2] AS index, data FROM corpus_segment WHERE record::id(id)[2] >= 0")).map(
        (s) => ({ index: s.index as number, ids: (decodeSegment(Buffer.from(s.data)) ?? []).map((r) => r.id) }),
      );
    const before = await dataSegments();
    const holding = before.filter((s) => s.ids.includes(topLocal));
    expect(holding).toHaveLength(1);
    const f = await t.gql(alpha, `mutation($ids: [ID!]) { forget(input: { ids: $ids }) { count } }`, {
      ids: [top.id],
    });
    expect(f.errors).toBeUndefined();
    expect(f.data.forget.count).toBe(1);
    // Committed with the forget: that segment is gone, the others stay, and no stored bytes hold the record.
    const after = await dataSegments();
    expect(after.map((s) => s.index)).toEqual(before.map((s) => s.index).filter((i) => i !== holding[0]!.index));
    expect(after.some((s) => s.ids.includes(topLocal))).toBe(false);
    const [header] = await stored(
      t,
      "SELECT holes FROM corpus_segment WHERE record::id(id)[2] = -1 AND string::contains(<string> id, 'alpha')",
    );
    expect(header.holes).toEqual([holding[0]!.index]);
    for (let round = 0; round < 2; round++) {
      // Round 0 reads the snapshot and the hole's range from the table, then fills the hole; round 1 reads it whole.
      t.gateway.forgetRecallCaches(CONTEXT);
      const loaded = loads();
      const ids = (await recall(t, alpha, "zebra migration route", 50)).map((h) => h.id);
      expect(ids).not.toContain(top.id);
      expect(ids.length).toBe(all.length - 1);
      expect(loads().snapshot).toBe(loaded.snapshot + 1);
      expect(loads().scanned).toBe(loaded.scanned);
      await writer.settled();
    }
    const [filled] = await stored(
      t,
      "SELECT holes FROM corpus_segment WHERE record::id(id)[2] = -1 AND string::contains(<string> id, 'alpha')",
    );
    expect(filled.holes).toEqual([]);
    expect((await dataSegments()).map((s) => s.index)).toEqual(before.map((s) => s.index));
  });

  it.each([
    ["a small one (followed: every segment becomes a hole)", 80, false],
    ["a large one (more than it follows: the snapshot and log go whole)", 400, true],
  ])(
    "a forget of every record of a partition, %s, leaves nothing of them stored, and recall finds nothing",
    async (_, rows, whole) => {
      const writer = t.gateway.tenants.corpusSnapshots;
      await writer.settled();
      const org = `gamma${rows}`;
      const gamma = await createKey(t, CONTEXT, org, "AGENT", { org });
      const items = Array.from({ length: rows }, (_, i) => ({ text: fillerText(i) }));
      const r = await t.gql(gamma, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items },
      });
      expect(r.errors).toBeUndefined();
      await writer.settled();
      const ofGamma = `string::contains(<string> id, '${org}')`;
      expect((await stored(t, `SELECT VALUE id FROM corpus_segment WHERE ${ofGamma}`)).length).toBeGreaterThan(0);
      await remember(t, gamma, "one more, in the log"); // a log row past the snapshot
      const f = await t.gql(gamma, `mutation { forget(input: { scope: {} }) { count } }`);
      expect(f.data.forget.count).toBe(rows + 1);
      expect(
        await stored(t, `SELECT VALUE id FROM corpus_segment WHERE record::id(id)[2] >= 0 AND ${ofGamma}`),
      ).toEqual([]);
      const headers = await stored(t, `SELECT VALUE id FROM corpus_segment WHERE ${ofGamma}`);
      expect(headers.length).toBe(whole ? 0 : 1);
      const logged = await stored(t, `SELECT VALUE ulids FROM partition_log WHERE ${ofGamma}`);
      expect(logged.flat()).toEqual([]);
      t.gateway.forgetRecallCaches(CONTEXT);
      expect(await recall(t, gamma, "harbour lamps")).toEqual([]);
    },
  );

  it("another tenant's session cannot read a snapshot, even with the executor's predicate off", async () => {
    await t.gateway.tenants.corpusSnapshots.settled();
    expect((await stored(t, "SELECT VALUE id FROM corpus_segment")).length).toBeGreaterThan(0);
    const unsafe = await startTestGateway({ shield: false, executorPredicate: false }, {}, { database: t.gateway.db });
    try {
      const executor = await (await unsafe.gateway.requestContext(beta, "test")).tenant().binding.executor();
      const q = (executor.memories as unknown as { t: { q: { run(sql: string): Promise<any[]> } } }).t.q;
      const [segments, logs] = await q.run(
        "SELECT VALUE id FROM corpus_segment; SELECT VALUE id FROM partition_log WHERE string::contains(<string> id, 'alpha');",
      );
      expect(segments).toEqual([]);
      expect(logs).toEqual([]);
      unsafe.gateway.forgetRecallCaches(CONTEXT);
      const hits = await recall(unsafe, beta, "zebra migration route", 50);
      expect(hits.map((h) => h.text)).toEqual(["zebra migration route of beta"]);
    } finally {
      await unsafe.close();
    }
  });

  it("layer 3 alone: a record user changes no snapshot bytes, bounds or scope, and nothing of another tenant", async () => {
    const writer = t.gateway.tenants.corpusSnapshots;
    await writer.settled();
    await remember(t, alpha, "a log row for the attempt below");
    const ctx = await t.gateway.contexts.stored(CONTEXT);
    const both = async () =>
      t.gateway.tenants.onRoot(ctx, (s) =>
        s
          .query(
            "SELECT id, scope, data, bounds, rows, version, created, parts FROM corpus_segment; SELECT id, scope, ulids FROM partition_log",
          )
          .collect<[unknown[], unknown[]]>(),
      );
    const before = await both();
    expect(before[0].length).toBeGreaterThan(0);
    expect(before[1].length).toBeGreaterThan(0);
    const unsafe = await startTestGateway({ shield: false, executorPredicate: false }, {}, { database: t.gateway.db });
    try {
      for (const key of [alpha, beta]) {
        const executor = await (await unsafe.gateway.requestContext(key, "test")).tenant().binding.executor();
        const q = (executor.memories as unknown as { t: { q: { run(sql: string): Promise<any[]> } } }).t.q;
        await q.run(
          `UPDATE corpus_segment SET data = <bytes> 'forged', scope = { org: 'beta' }, bounds = [], rows = 1, version = 999, created = 'x', parts = 0;
           UPDATE partition_log SET scope = { org: 'beta' };`,
        );
      }
    } finally {
      await unsafe.close();
    }
    expect(await both()).toEqual(before);
  });

  it("a snapshot whose partition moved on, or whose bytes do not decode, is never used", async () => {
    const writer = t.gateway.tenants.corpusSnapshots;
    await writer.settled();
    const expected = await recall(t, alpha, "zebra migration route", 50);
    await writer.settled();
    // A label from before a rewrite: the write is refused inside its transaction.
    const ctx = await t.gateway.contexts.stored(CONTEXT);
    const [partition] = await stored(
      t,
      `SELECT record::id(id) AS key, <string> created_at AS created, version, version - (appends ?? 0) AS rewrites FROM partition WHERE scope.org = 'alpha'`,
    );
    const staleBefore = writer.stale;
    const rows = t.gateway.tenants.corpusCache.latest(CONTEXT, "memory", partition.key)!.rows;
    const label = { created: partition.created, version: partition.version, rewrites: partition.rewrites - 1 };
    writer.refresh(ctx, "memory", partition.key, { label, rows });
    await writer.settled();
    expect(writer.stale).toBe(staleBefore + 1);
    // Bytes that are not rows: the snapshot is skipped and the partition scanned.
    await stored(t, "UPDATE corpus_segment SET data = <bytes> 'not a v8 value'");
    t.gateway.forgetRecallCaches(CONTEXT);
    const before = loads();
    expect(await recall(t, alpha, "zebra migration route", 50)).toEqual(expected);
    expect(loads().scanned).toBe(before.scanned + 1);
    expect(loads().snapshot).toBe(before.snapshot);
  });
});

describe("snapshots kept at write time", () => {
  it("a partition that only grows has an up-to-date snapshot without any recall, extended segment by segment", async () => {
    const t = await gatewayWithContext("grown");
    try {
      const grower = await createKey(t, "grown", "grower", "AGENT", { org: "grower" });
      const writer = t.gateway.tenants.corpusSnapshots;
      const scannedBefore = writer.scanned;
      const batch = TAIL_REFRESH_ROWS + 100;
      for (let b = 0; b < 4; b++) {
        const items = Array.from({ length: batch }, (_, i) => ({
          text: i % 60 === 0 ? `quokka census ${b} ${i}` : fillerText(i),
        }));
        const r = await t.gql(grower, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
          i: { items },
        });
        expect(r.errors).toBeUndefined();
      }
      await writer.settled();
      expect(writer.failed).toBe(0);
      const ctx = await t.gateway.contexts.stored("grown");
      const [segments] = await t.gateway.tenants.onRoot(ctx, (s) =>
        s.query("SELECT VALUE rows FROM corpus_segment WHERE record::id(id)[2] >= 0").collect<[number[]]>(),
      );
      expect(segments).toEqual([SEGMENT_ROWS, 4 * batch - SEGMENT_ROWS]);
      // Read whole at most twice (below SNAPSHOT_MIN_ROWS, then to write the first snapshot); extended since.
      expect(writer.scanned - scannedBefore).toBeLessThanOrEqual(2);
      // Another process (a restart, a replica) recalls from the snapshot alone, and sees every row.
      const replica = await startTestGateway(undefined, {}, { database: t.gateway.db });
      try {
        const hits = await recall(replica, grower, "quokka census", 50);
        expect(hits.length).toBe(4 * Math.ceil(batch / 60));
        const loadsThere = replica.gateway.tenants.corpusCache.loadsOf("memory");
        expect(loadsThere.snapshot).toBe(1);
        expect(loadsThere.scanned).toBe(0);
      } finally {
        await replica.close();
      }
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe("a refresh that extends a stored snapshot", () => {
  it("lands only while that snapshot is still the stored one (another replica's refresh may have compacted the log it reads)", async () => {
    const g1 = await gatewayWithContext("racy");
    const rep = await startTestGateway(undefined, {}, { database: g1.gateway.db });
    const tenants = g1.gateway.tenants as unknown as { onRoot: (...args: unknown[]) => Promise<unknown> };
    const onRoot = tenants.onRoot;
    try {
      const alpha = await createKey(g1, "racy", "alpha", "AGENT", { org: "alpha" });
      const rememberAll = (g: TestGateway, texts: string[]) =>
        g.gql(alpha, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
          i: { items: texts.map((text) => ({ text })) },
        });
      const made = await rememberAll(
        g1,
        Array.from({ length: 800 }, (_, i) => fillerText(i)),
      );
      await g1.gateway.tenants.corpusSnapshots.settled();
      // A forget makes the snapshot's one (partial) segment a hole: the next refresh rewrites from segment 0.
      await g1.gql(alpha, `mutation($ids: [ID!]) { forget(input: { ids: $ids }) { count } }`, {
        ids: [made.data.rememberMany[10].id],
      });
      // Instrumentation, not a double: g1's next root-session call (its writer reading the partition and
      // header) returns, then waits, as a busy event loop would between the writer's two reads.
      let release: () => void = () => undefined;
      let paused: () => void = () => undefined;
      const pausedNow = new Promise<void>((resolve) => {
        paused = resolve;
      });
      let armed = true;
      tenants.onRoot = async function (this: unknown, ...args: unknown[]) {
        const out = await onRoot.apply(this, args);
        if (armed && (args[0] as { id: string }).id === "racy") {
          armed = false;
          paused();
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        }
        return out;
      };
      await rememberAll(
        g1,
        Array.from({ length: TAIL_REFRESH_ROWS }, (_, i) => (i % 50 === 0 ? `okapi sighting ${i}` : fillerText(i))),
      );
      await pausedNow;
      // Meanwhile the replica's load finds the snapshot 500 behind; its refresh extends it and compacts the log.
      rep.gateway.forgetRecallCaches("racy");
      await recall(rep, alpha, "okapi sighting");
      await rep.gateway.tenants.corpusSnapshots.settled();
      await rememberAll(rep, ["one more note"]);
      tenants.onRoot = onRoot;
      const stale = g1.gateway.tenants.corpusSnapshots.stale;
      release();
      await g1.gateway.tenants.corpusSnapshots.settled();
      expect(g1.gateway.tenants.corpusSnapshots.stale).toBe(stale + 1);
      for (const g of [g1, rep]) {
        g.gateway.forgetRecallCaches("racy");
        const hits = await recall(g, alpha, "okapi sighting", 50);
        expect(hits.filter((h) => h.text.startsWith("okapi sighting")).length).toBe(TAIL_REFRESH_ROWS / 50);
      }
    } finally {
      tenants.onRoot = onRoot;
      await rep.close();
      await g1.close();
    }
  }, 60_000);
});

describe("a reindex of records appended after the snapshot", () => {
  it("keeps them in the append log, so every replica still recalls them, also after the next refresh", async () => {
    const t = await gatewayWithContext("reindexed");
    const replica = await startTestGateway(undefined, {}, { database: t.gateway.db });
    try {
      const alpha = await createKey(t, "reindexed", "alpha", "AGENT", { org: "alpha" });
      const more = (n: number, from: number) =>
        t.gql(alpha, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
          i: { items: Array.from({ length: n }, (_, i) => ({ text: fillerText(from + i) })) },
        });
      await more(SEGMENT_ROWS - 500, 0);
      await t.gateway.tenants.corpusSnapshots.settled();
      // 40 records as the first analyzer wrote them (untagged term maps), after the snapshot: in the log's tail.
      const executor = await (await t.gateway.requestContext(alpha, "test")).tenant().binding.executor();
      await executor.memories.create(
        Array.from({ length: 40 }, (_, i) => ({
          text: `okapi sighting ${i}`,
          scope: { org: "alpha" },
          terms: { okapi: 1, sighting: 1 },
          len: 2,
          emb: null,
          embModel: null,
          sessionId: null,
          metadata: null,
        })),
      );
      const done = await t.mgmt(
        `mutation { reindex(contextId: "reindexed", dryRun: false) { counts { table count } } }`,
      );
      expect(done.reindex.counts.find((c: { table: string }) => c.table === "memory").count).toBe(40);
      const okapis = async (g: TestGateway) => {
        g.gateway.forgetRecallCaches("reindexed");
        return (await recall(g, alpha, "okapi sighting", 50)).filter((h) => h.text.startsWith("okapi")).length;
      };
      expect(await okapis(t)).toBe(40);
      expect(await okapis(replica)).toBe(40);
      await more(TAIL_REFRESH_ROWS + 100, 5_000); // the next refresh extends the snapshot past them
      await t.gateway.tenants.corpusSnapshots.settled();
      expect(await okapis(replica)).toBe(40);
    } finally {
      await replica.close();
      await t.close();
    }
  }, 60_000);
});

describe("a delete that removes nothing leaves other keys' partitions alone", () => {
  it("a forget by scope or by another user's ids keeps the victim's version, cache and snapshot", async () => {
    const t = await gatewayWithContext("quiet");
    try {
      const alpha = await createKey(t, "quiet", "alpha", "AGENT", { org: "alpha" });
      const carol = await createKey(t, "quiet", "carol", "AGENT", { org: "alpha", user: "carol" });
      const bob = await createKey(t, "quiet", "bob", "AGENT", { org: "alpha", user: "bob" });
      const items = Array.from({ length: SEGMENT_ROWS / 2 }, (_, i) => ({ text: fillerText(i) }));
      const made = await t.gql(carol, `mutation($i: RememberManyInput!) { rememberMany(input: $i) { id } }`, {
        i: { items },
      });
      expect(made.errors).toBeUndefined();
      await recall(t, carol, "harbour lamps");
      await t.gateway.tenants.corpusSnapshots.settled();
      const ctx = await t.gateway.contexts.stored("quiet");
      const state = async () => {
        const [rows] = await t.gateway.tenants.onRoot(ctx, (s) =>
          s
            .query(
              "SELECT VALUE version FROM partition WHERE scope.user = 'carol'; SELECT VALUE id FROM corpus_segment WHERE record::id(id)[2] = -1",
            )
            .collect<[number[], unknown[]]>(),
        );
        return rows;
      };
      const before = await state();
      expect(before).toHaveLength(1);
      const byScope = await t.gql(alpha, `mutation { forget(input: { scope: {} }) { count } }`);
      expect(byScope.data.forget.count).toBe(0);
      const byIds = await t.gql(bob, `mutation($ids: [ID!]) { forget(input: { ids: $ids }) { count } }`, {
        ids: [made.data.rememberMany[0].id],
      });
      expect(byIds.data.forget.count).toBe(0);
      expect(await state()).toEqual(before);
      const [headers] = await t.gateway.tenants.onRoot(ctx, (s) =>
        s.query("SELECT VALUE id FROM corpus_segment WHERE record::id(id)[2] = -1").collect<[unknown[]]>(),
      );
      expect(headers).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

describe("segment bounds", () => {
  const row = (i: number, terms: number): CachedRow => ({
    id: `r${i}`,
    seq: String(i).padStart(26, "0"),
    len: terms,
    terms: Object.fromEntries(Array.from({ length: terms }, (_, k) => [`t${k}`, 1])),
    analyzer: 2,
    vector: null,
    embModel: null,
    createdAt: "2026-11-30T00:00:00.000Z",
    sessionId: null,
    owner: null,
  });
  it("a segment ends at SEGMENT_ROWS rows or SEGMENT_ENTRIES term entries, and holds at least one row", () => {
    const short = Array.from({ length: SEGMENT_ROWS + 5 }, (_, i) => row(i, 3));
    expect(segmentEnd(short, 0)).toBe(SEGMENT_ROWS);
    expect(segmentEnd(short, SEGMENT_ROWS)).toBe(SEGMENT_ROWS + 5);
    const long = Array.from({ length: 30 }, (_, i) => row(i, SEGMENT_ENTRIES / 10));
    expect(segmentEnd(long, 0)).toBe(10);
    expect(segmentEnd(long, 25)).toBe(30);
    const huge = [row(0, SEGMENT_ENTRIES * 2), row(1, 1)];
    expect(segmentEnd(huge, 0)).toBe(1);
  });
});
