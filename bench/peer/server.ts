/**
 * The naive peer (issue 11): what a team would build without scopegate, with the same stack.
 * Apollo Server 5's standalone server + graphql 16 + the same embedded SurrealDB
 * (`@surrealdb/node`), a static map bearer → org, one root session, one `memory` table.
 * Bench code only: nothing under src/ imports it, and it has none of scopegate's layers
 * (no floors or sub-scopes, no DB permissions, no shield, no armor limits, no key hashing,
 * no recall index, no request log, no metrics).
 *
 * The page statement was chosen with EXPLAIN and a size sweep (BENCHMARKS.md, issue 11): with a
 * compound index on (org, created) and `ORDER BY org, created`, SurrealDB 3.0.2 reads the index
 * range after the cursor and stops at the LIMIT. `ORDER BY created` alone sorts every row of the
 * org (SortTopKByKey over the whole IndexScan: 5 s at 50k rows), so does an index on `org` alone.
 * `checkPagePlan` refuses to start when the plan is not that bounded index scan.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { createNodeEngines } from "@surrealdb/node";
import { GraphQLError, GraphQLScalarType } from "graphql";
import { DateTime, RecordId, Surreal } from "surrealdb";
import { monotonicFactory } from "ulid";

const SCHEMA = /* GraphQL */ `
  scalar JSON
  type Memory {
    id: ID!
    text: String!
    scope: JSON!
    metadata: JSON
    createdAt: String!
  }
  type MemoryEdge {
    node: Memory!
    cursor: String!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type MemoryConnection {
    edges: [MemoryEdge!]!
    pageInfo: PageInfo!
  }
  input RememberInput {
    text: String!
    metadata: JSON
  }
  type Query {
    memories(first: Int = 20, after: String): MemoryConnection!
  }
  type Mutation {
    remember(input: RememberInput!): Memory!
  }
`;

const DDL = `
  DEFINE TABLE IF NOT EXISTS memory SCHEMAFULL;
  DEFINE FIELD IF NOT EXISTS org ON memory TYPE string;
  DEFINE FIELD IF NOT EXISTS text ON memory TYPE string;
  DEFINE FIELD IF NOT EXISTS scope ON memory TYPE object FLEXIBLE;
  DEFINE FIELD IF NOT EXISTS metadata ON memory TYPE option<object> FLEXIBLE;
  DEFINE FIELD IF NOT EXISTS created ON memory TYPE string;
  DEFINE FIELD IF NOT EXISTS created_at ON memory TYPE datetime DEFAULT time::now() READONLY;
  -- Serves every "WHERE org = …" (its prefix) and the creation-ordered page.
  DEFINE INDEX IF NOT EXISTS memory_org_created ON memory FIELDS org, created;
`;

/** One page: the index range after the cursor, in index order, stopped at the LIMIT. */
const PAGE = `SELECT id, org, text, scope, metadata, created, created_at FROM memory
  WHERE org = $org AND created > $after ORDER BY org, created LIMIT $limit`;

interface Row {
  id: { id: unknown };
  text: string;
  scope: Record<string, string>;
  metadata?: Record<string, unknown>;
  created: string;
  created_at: DateTime | Date | string;
}

interface PeerContext {
  org: string;
}

const JSONScalar = new GraphQLScalarType({ name: "JSON", serialize: (v) => v, parseValue: (v) => v });
const ulid = monotonicFactory();
const cursorOf = (created: string) => Buffer.from(created).toString("base64url");
const iso = (v: Row["created_at"]) =>
  v instanceof DateTime ? v.toDate().toISOString() : v instanceof Date ? v.toISOString() : String(v);
const memory = (r: Row) => ({
  id: String(r.id.id),
  text: r.text,
  scope: r.scope,
  metadata: r.metadata ?? null,
  createdAt: iso(r.created_at),
});

export interface PeerOptions {
  /** Bearer secret → org. */
  keys: Record<string, string>;
  port?: number;
  surrealUrl?: string;
}

export interface Peer {
  url: string;
  db: Surreal;
  /**
   * Bulk load (not part of the served API): rows of one or many orgs, in batches. Batches of 500:
   * with the index, one INSERT transaction costs superlinearly in its rows on this engine
   * (20,000 rows: 2.8 s in batches of 500, 8 s in batches of 2,000, 23 s in batches of 5,000).
   */
  load(rows: ReadonlyArray<{ org: string; text: string }>, batch?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openPeerDatabase(surrealUrl = "mem://"): Promise<Surreal> {
  const db = new Surreal({ engines: createNodeEngines() });
  await db.connect(surrealUrl);
  await db.use({ namespace: "peer", database: "peer" });
  await db.query(DDL).collect();
  return db;
}

/** Refuses a page statement that does not stop at its LIMIT (PERF-FINDINGS §1). */
export async function checkPagePlan(db: Surreal): Promise<string> {
  const [plan] = await db.query(`${PAGE} EXPLAIN`, { org: "x", after: "", limit: 21 }).collect();
  const text = JSON.stringify(plan);
  if (!text.includes('"IndexScan"') || !text.includes("memory_org_created") || /Sort/.test(text))
    throw new Error(`peer: the page statement is not a bounded index scan: ${text}`);
  return text;
}

export async function startPeer(options: PeerOptions): Promise<Peer> {
  const db = await openPeerDatabase(options.surrealUrl);
  await checkPagePlan(db);

  const resolvers = {
    JSON: JSONScalar,
    Query: {
      async memories(_: unknown, args: { first?: number | null; after?: string | null }, ctx: PeerContext) {
        const first = args.first ?? 20;
        if (!Number.isInteger(first) || first < 1 || first > 100)
          throw new GraphQLError("first must be 1–100", { extensions: { code: "BAD_USER_INPUT" } });
        const after = args.after ? Buffer.from(args.after, "base64url").toString() : "";
        const [rows] = await db.query<[Row[]]>(PAGE, { org: ctx.org, after, limit: first + 1 }).collect();
        const edges = rows.slice(0, first).map((r) => ({ node: memory(r), cursor: cursorOf(r.created) }));
        return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
      },
    },
    Mutation: {
      async remember(_: unknown, args: { input: { text: string; metadata?: unknown } }, ctx: PeerContext) {
        if (args.input.text.trim() === "")
          throw new GraphQLError("text must not be empty", { extensions: { code: "BAD_USER_INPUT" } });
        const id = ulid();
        const [made] = await db
          .query<[Row]>(
            `CREATE ONLY type::record('memory', $id) SET org = $org, text = $text, scope = $scope,
               metadata = $metadata, created = $id RETURN id, text, scope, metadata, created, created_at`,
            {
              id,
              org: ctx.org,
              text: args.input.text,
              scope: { org: ctx.org },
              metadata: args.input.metadata ?? undefined,
            },
          )
          .collect();
        return memory(made);
      },
    },
  };

  const apollo = new ApolloServer<PeerContext>({ typeDefs: SCHEMA, resolvers });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: options.port ?? 0, host: "127.0.0.1" },
    async context({ req }) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      const org = m ? options.keys[m[1]!] : undefined;
      if (!org)
        throw new GraphQLError("unknown key", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
      return { org };
    },
  });

  return {
    url,
    db,
    async load(rows, batch = 500) {
      for (let i = 0; i < rows.length; i += batch) {
        const slice = rows.slice(i, i + batch).map((r) => {
          const id = ulid();
          return { id: new RecordId("memory", id), org: r.org, text: r.text, scope: { org: r.org }, created: id };
        });
        await db.query("INSERT INTO memory $rows RETURN NONE", { rows: slice }).collect();
      }
    },
    async close() {
      await apollo.stop();
      await db.close();
    },
  };
}
