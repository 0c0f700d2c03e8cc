import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContextModel, KeyModel, SessionModel, MemoryModel, TurnModel, DocumentModel, ChunkModel, DecisionTraceModel } from '../domain/models.js';
import type { RecallHitModel } from '../services/tenant/retrieval.js';
import type { MemoryEventModel } from '../services/tenant/live.js';
import type { AnswerChunkModel } from '../services/tenant/answers.js';
import type { TurnConnectionModel } from '../graphql/resolvers/connections.js';
import type { RequestContext } from '../graphql/requestContext.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * An RFC 3339 date-time with a four-digit year, e.g. 2026-11-29T12:00:00Z. Answers are always in
   * UTC with milliseconds (2026-11-29T12:00:00.000Z); inputs may carry any offset.
   */
  DateTime: { input: string; output: string; }
  /** Any JSON value (RFC 8259, ECMA-404): an object, array, string, number, boolean or null. */
  JSON: { input: unknown; output: unknown; }
  /**
   * A scope: a JSON object of dimension → value, e.g. {org: "alpha", user: "bob"}. At most 8
   * dimensions; a dimension matches [a-z][a-z0-9_]{0,31}; a value is a non-empty NFC string of at
   * most 128 characters without control, format or noncharacter code points or surrounding white
   * space. Anything else is BAD_USER_INPUT. Rules and meaning: README, "Scopes".
   */
  Scope: { input: Readonly<Record<string, string>>; output: Readonly<Record<string, string>>; }
};

/** What a credential may do with tenant data. */
export type Access =
  /** Read and recall only: every write, forget, upload, session change and answer is FORBIDDEN. */
  | 'READ'
  /** Read and write, within the floor and the principal's rules. */
  | 'READ_WRITE';

/** A new turn. */
export type AddTurnInput = {
  /** What was said (at most 32,000 characters). */
  content: Scalars['String']['input'];
  /** Who said it. */
  role: Role;
};

/** An answer of the response model, grounded in recall. */
export type Answer = {
  __typename?: 'Answer';
  /** What it relied on. */
  citations: Array<Citation>;
  /** The answer. */
  text: Scalars['String']['output'];
  /** What the call cost. */
  usage: Usage;
};

/**
 * A piece of a streamed answer. The pieces' texts, joined in order, are the answer's text (up to
 * surrounding whitespace); the final chunk has `done: true`, an empty text, the citations and usage.
 */
export type AnswerChunk = {
  __typename?: 'AnswerChunk';
  /** Final chunk only: the recalled memories and document chunks the answer cites (null before). */
  citations?: Maybe<Array<Citation>>;
  /** True on the final chunk only. */
  done: Scalars['Boolean']['output'];
  /** The next piece of the answer's text; empty in the final chunk. */
  text: Scalars['String']['output'];
  /** Final chunk only: the tokens the call used and the model that answered (null before). */
  usage?: Maybe<Usage>;
};

/** A question for `answer`. sessionId: the question and the answer are recorded as turns of this session (your own). */
export type AnswerInput = {
  /** Management key: the Context (global id or own id). */
  contextId?: InputMaybe<Scalars['ID']['input']>;
  /** The question (at most 32,000 characters). */
  question: Scalars['String']['input'];
  /** Narrows the key's floor for recall; omitted: the floor. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** A session of the caller's (global id): the question and the answer are recorded as its turns. */
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  /** How many recall hits the model sees. */
  topK?: InputMaybe<Scalars['Int']['input']>;
};

/** One check of a scope audit; it passes at 0. */
export type AuditCheck = {
  __typename?: 'AuditCheck';
  /** How many offenders. */
  count: Scalars['Int']['output'];
  /** What is counted. */
  name: Scalars['String']['output'];
  /** True at 0. */
  passed: Scalars['Boolean']['output'];
};

/** Records of one table with one value of the audited dimension. */
export type AuditCount = {
  __typename?: 'AuditCount';
  /** How many records. */
  count: Scalars['Int']['output'];
  /** The table. */
  table: Scalars['String']['output'];
  /** The dimension's value; null for records without the dimension (shared ones). */
  value?: Maybe<Scalars['String']['output']>;
};

/**
 * A key as an audit saw it: a row of a point-in-time report, so its id (unique, unlike the key's
 * own) is not a Node; `keyId` is the key's own id and `Key.keyId` the same.
 */
export type AuditKey = {
  __typename?: 'AuditKey';
  /** When the key stops working; null = never. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** A global id of this audit row (not a Node: refetch the report, or the key by its id). */
  id: Scalars['ID']['output'];
  /** The key's own id (`Key.keyId`). */
  keyId: Scalars['ID']['output'];
  /** When the key last authenticated a request; null = never. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The key's name. */
  name: Scalars['String']['output'];
  /** How the key reads. */
  principal: Principal;
  /** Records this key wrote that do not carry every tag of its floor (must be 0). */
  recordsMissingFloor: Scalars['Int']['output'];
  /** When the key was revoked; null = active. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The key's floor. */
  scopeFloor: Scalars['Scope']['output'];
};

/** A tenant table's permissions, read back and compared with the migrations. */
export type AuditTable = {
  __typename?: 'AuditTable';
  /** As read back from the database. */
  definition: Scalars['String']['output'];
  /** As the migrations define it. */
  expected: Scalars['String']['output'];
  /** True when they are the same. */
  matches: Scalars['Boolean']['output'];
  /** The table. */
  name: Scalars['String']['output'];
};

/** Who is calling: the management key or a tenant credential (context key, browser token, external JWT). */
export type Caller = {
  __typename?: 'Caller';
  /** What this credential may do (null for the management key). */
  access?: Maybe<Access>;
  /** The Context the credential acts in, as created (e.g. `tenant-alpha`); null for the management key. */
  contextId?: Maybe<Scalars['ID']['output']>;
  /** When this credential stops being accepted; null when only revocation ends it. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The context key's name (for a browser token: the key that issued it); null for the management key and external JWTs. */
  keyName?: Maybe<Scalars['String']['output']>;
  /** The kind of credential. */
  kind: CallerKind;
  /** How the credential reads (AGENT: the subset rule; SUPERVISOR: its subtree); null for the management key. */
  principal?: Maybe<Principal>;
  /** The floor every request of this credential carries; null for the management key. */
  scopeFloor?: Maybe<Scalars['Scope']['output']>;
};

/** What kind of credential is calling. */
export type CallerKind =
  /** A context key (`sgk_…`): its Context, its floor, its principal and access. */
  | 'CONTEXT_KEY'
  /** A JWT of an identity provider the Context trusts (`config.auth`), mapped to a floor by its claims. */
  | 'JWT'
  /** The deployment's management key: every Context, no floor. */
  | 'MANAGEMENT'
  /** A browser token (`sgt_…`) issued by a context key: its floor narrowed, its access at most the key's. */
  | 'TOKEN';

/** How documents are cut into chunks, in o200k tokens. */
export type Chunking = {
  __typename?: 'Chunking';
  /** Tokens shared by consecutive chunks. */
  overlap: Scalars['Int']['output'];
  /** Tokens per chunk. */
  size: Scalars['Int']['output'];
};

/** How documents are chunked; omitted fields keep their value. */
export type ChunkingInput = {
  /** Tokens shared by consecutive chunks (less than size). */
  overlap?: InputMaybe<Scalars['Int']['input']>;
  /** Tokens per chunk. */
  size?: InputMaybe<Scalars['Int']['input']>;
};

/** A memory or chunk an answer relied on. */
export type Citation = {
  __typename?: 'Citation';
  /** Set when kind is CHUNK. */
  chunk?: Maybe<DocumentChunk>;
  /** Whether it is a memory or a chunk. */
  kind: RecallHitKind;
  /** Set when kind is MEMORY. */
  memory?: Maybe<Memory>;
  /** Its recall score. */
  score: Scalars['Float']['output'];
};

/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type Context = Node & {
  __typename?: 'Context';
  /** The effective configuration. */
  config: ContextConfig;
  /** When the Context was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The SurrealDB database. */
  database: Scalars['String']['output'];
  /** Decision traces of this Context, newest first unless `orderBy` says otherwise. */
  decisionTraces: DecisionTraceConnection;
  /** A document of this Context by id (null when unknown). */
  document?: Maybe<Document>;
  /** Documents of this Context. */
  documents: DocumentConnection;
  /** The global id (Node). Every `contextId` argument and `context(id:)` take it as well as `name`. */
  id: Scalars['ID']['output'];
  /** Every key of this Context, revoked ones included. */
  keys: Array<Key>;
  /** Memories of this Context. */
  memories: MemoryConnection;
  /** A memory of this Context by id (null when unknown). */
  memory?: Maybe<Memory>;
  /** The Context's own id as created (`CreateContextInput.id`), e.g. `tenant-alpha`: what `Caller.contextId` answers and the CLI prints. */
  name: Scalars['String']['output'];
  /** The SurrealDB namespace. */
  namespace: Scalars['String']['output'];
  /** Recall over this Context (management key: every record, or the subtree of `scope`). */
  recall: RecallResult;
  /** A session of this Context by id (null when unknown). */
  session?: Maybe<Session>;
  /** Sessions of this Context (README: Relay and typed clients, for paging). */
  sessions: SessionConnection;
  /** Token usage of this Context from its decision traces (and the rollups redactions left), summed per scope and model. */
  tokenUsage: Array<TokenUsage>;
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextDecisionTracesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DecisionTraceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextDocumentArgs = {
  id: Scalars['ID']['input'];
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextMemoryArgs = {
  id: Scalars['ID']['input'];
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextRecallArgs = {
  mode?: InputMaybe<RecallMode>;
  query: Scalars['String']['input'];
  recencyHalfLifeDays?: InputMaybe<Scalars['Float']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextSessionArgs = {
  id: Scalars['ID']['input'];
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextSessionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * A Context: the hard isolation unit, one SurrealDB namespace/database with its own config and keys.
 * Management key only.
 */
export type ContextTokenUsageArgs = {
  groupBy?: InputMaybe<Array<Scalars['String']['input']>>;
  model?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

/**
 * The application's own identity provider, trusted by this Context. A JWT whose `iss` is `issuer`
 * and whose `aud` contains `audience`, signed by one of the keys, acts in this Context with the
 * floor `floor` plus one dimension per `floorClaims` entry, and as `principal` with `access`.
 */
export type ContextAuth = {
  __typename?: 'ContextAuth';
  /** What such callers may do. */
  access: Access;
  /** A value the JWT's `aud` must contain. */
  audience: Scalars['String']['output'];
  /** Dimensions every such caller's floor has, whatever its claims say. */
  floor: Scalars['Scope']['output'];
  /** Scope dimension → claim name, e.g. {org: "org_id", user: "sub"}: each claim must be present and a valid scope value. */
  floorClaims: Scalars['JSON']['output'];
  /** The `iss` a JWT must carry, compared exactly. */
  issuer: Scalars['String']['output'];
  /** Where the issuer's JWK Set is fetched from (cached 10 min, 2 s timeout); null when publicKeys are given. */
  jwksUrl?: Maybe<Scalars['String']['output']>;
  /** How such callers read: AGENT (subset rule) or SUPERVISOR (subtree). */
  principal: Principal;
  /** The issuer's keys, when given here instead of jwksUrl. */
  publicKeys: Array<JwtPublicKey>;
};

/**
 * Trust in an external identity provider; replaces the previous auth config as a whole, and
 * `auth: null` removes it. Exactly one of jwksUrl and publicKeys. floor and floorClaims name
 * different dimensions, 1–8 together.
 */
export type ContextAuthInput = {
  /** What such callers may do. Default READ. */
  access?: InputMaybe<Access>;
  /** A value the JWT's `aud` must contain. */
  audience: Scalars['String']['input'];
  /** Fixed dimensions of every such caller's floor, e.g. {app: "web"}. */
  floor?: InputMaybe<Scalars['Scope']['input']>;
  /** Scope dimension → claim name, e.g. {org: "org_id", user: "sub"}. */
  floorClaims: Scalars['JSON']['input'];
  /** The `iss` a JWT must carry, compared exactly. */
  issuer: Scalars['String']['input'];
  /** The issuer's JWK Set URL: https, or http on 127.0.0.1, localhost or [::1]. */
  jwksUrl?: InputMaybe<Scalars['String']['input']>;
  /** How such callers read. Default AGENT. */
  principal?: InputMaybe<Principal>;
  /** The issuer's public keys (1–16), instead of jwksUrl. */
  publicKeys?: InputMaybe<Array<JwtPublicKeyInput>>;
};

/** A Context's effective configuration (defaults merged); provider secrets are write-only and never shown. */
export type ContextConfig = {
  __typename?: 'ContextConfig';
  /** The identity provider whose JWTs this Context accepts (README: Credentials); null = none. */
  auth?: Maybe<ContextAuth>;
  /** How documents are chunked. */
  chunking: Chunking;
  /** The models this Context uses. */
  models: Models;
  /** Free-form ontology for the extraction model; null = none. */
  ontology?: Maybe<Scalars['JSON']['output']>;
  /** Provider name → base URL of an OpenAI-compatible API, e.g. {openai: "http://127.0.0.1:8080/v1"}. */
  providerUrls: Scalars['JSON']['output'];
  /** Names of providers whose secret is set; secrets are write-only. */
  providersConfigured: Array<Scalars['String']['output']>;
  /** The Context-wide request rate limit (each key also has its own, SCOPEGATE_RATE_LIMIT_PER_MINUTE). */
  rateLimit: ContextRateLimit;
  /** Days every record is kept when no policy matches; null = forever. */
  retentionDays?: Maybe<Scalars['Int']['output']>;
  /** Retention per scope; the most specific matching policy wins. */
  retentionPolicies: Array<RetentionPolicy>;
  /** Monthly budgets per value of one scope dimension; null = none. */
  scopeTokenLimits?: Maybe<ScopeTokenLimits>;
  /** Tokens per calendar month (UTC) for the whole Context; null = unlimited. */
  tokenLimit?: Maybe<Scalars['Int']['output']>;
};

/** A patch of a Context's config: omitted fields keep their value, null clears a nullable one. */
export type ContextConfigInput = {
  /** Trust an identity provider's JWTs; null removes the trust. */
  auth?: InputMaybe<ContextAuthInput>;
  /** How documents are chunked. */
  chunking?: InputMaybe<ChunkingInput>;
  /** Which models to use. */
  models?: InputMaybe<ModelsInput>;
  /** Free-form ontology for the extraction model. */
  ontology?: InputMaybe<Scalars['JSON']['input']>;
  /** Provider name → base URL of an OpenAI-compatible API (default for openai: https://api.openai.com/v1). */
  providerUrls?: InputMaybe<Scalars['JSON']['input']>;
  /** Provider name to secret, e.g. {openai: "sk-..."}. Write-only. */
  providers?: InputMaybe<Scalars['JSON']['input']>;
  /** The Context-wide request rate limit; null restores the default (600 per minute). */
  rateLimit?: InputMaybe<ContextRateLimitInput>;
  /** Days every record is kept when no policy matches; null = forever. */
  retentionDays?: InputMaybe<Scalars['Int']['input']>;
  /** Retention per scope; replaces the list. */
  retentionPolicies?: InputMaybe<Array<RetentionPolicyInput>>;
  /** Monthly budgets per value of one scope dimension; null removes them. */
  scopeTokenLimits?: InputMaybe<ScopeTokenLimitsInput>;
  /** Tokens per calendar month (UTC) for the whole Context; null = unlimited. */
  tokenLimit?: InputMaybe<Scalars['Int']['input']>;
};

/** How many requests a Context's callers may make together (per gateway replica). */
export type ContextRateLimit = {
  __typename?: 'ContextRateLimit';
  /**
   * Requests (GraphQL operations: each operation of a batch, each subscription) per minute of all
   * the Context's callers together, per replica; 0 = no Context-wide limit. Default 600. Each caller
   * active in the last minute is guaranteed an equal share and may use what the others leave.
   */
  requestsPerMinute: Scalars['Int']['output'];
};

/** See ContextRateLimit. */
export type ContextRateLimitInput = {
  /** 0–10000000 requests per minute; 0 = no Context-wide limit. */
  requestsPerMinute: Scalars['Int']['input'];
};

/** A new Context. */
export type CreateContextInput = {
  /** Initial config; omitted: the defaults. */
  config?: InputMaybe<ContextConfigInput>;
  /** The SurrealDB database. */
  database: Scalars['String']['input'];
  /** The Context's own id: lowercase letters, digits and hyphens, e.g. `tenant-alpha` (then `Context.name`). */
  id: Scalars['ID']['input'];
  /** The SurrealDB namespace (not `scopegate`, which is the control plane's). */
  namespace: Scalars['String']['input'];
};

/** A new context key. */
export type CreateKeyInput = {
  /** What the key, and every token it issues, may do. Default READ_WRITE. */
  access?: InputMaybe<Access>;
  /** When the key stops working (in the future); omitted: never. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Unique in the Context: letters, digits, _ . -, at most 64. */
  name: Scalars['String']['input'];
  /** How the key reads. */
  principal: Principal;
  /** The minimum scope of every request of the key, e.g. {org: "alpha"}. */
  scopeFloor: Scalars['Scope']['input'];
};

/** A new session. */
export type CreateSessionInput = {
  /** A JSON object to attach (at most 16 kB). */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Narrows the key's floor; omitted: the floor. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
};

/** A key just created or rotated, with its secret. */
export type CreatedKey = {
  __typename?: 'CreatedKey';
  /** The key. */
  key: Key;
  /** Shown once; only a hash is stored. */
  secret: Scalars['String']['output'];
};

/** One LLM call: who, at which scope, which model, what it cost. */
export type DecisionTrace = Node & {
  __typename?: 'DecisionTrace';
  /** Completion tokens. */
  completionTokens: Scalars['Int']['output'];
  /** When the call was made. */
  createdAt: Scalars['DateTime']['output'];
  /** Why it failed; null on success. */
  error?: Maybe<Scalars['String']['output']>;
  /** The global id (Node). */
  id: Scalars['ID']['output'];
  /** Who made it: a key's own id (`Key.keyId`; for a browser token, its key's), `jwt:…` for an external JWT's end user, null for the management key. */
  keyId?: Maybe<Scalars['ID']['output']>;
  /** How long the call took, in milliseconds. */
  latencyMs: Scalars['Int']['output'];
  /** `provider/model`. */
  model: Scalars['String']['output'];
  /** How the call ended. */
  outcome: TraceOutcome;
  /** AGENT, SUPERVISOR or MANAGEMENT. */
  principal?: Maybe<Scalars['String']['output']>;
  /** Prompt tokens. */
  promptTokens: Scalars['Int']['output'];
  /** Why the model was called. */
  purpose: TracePurpose;
  /** The scope of the call. */
  scope: Scalars['Scope']['output'];
  /** The session the call was made for; null when none or invisible. */
  session?: Maybe<Session>;
  /** Prompt plus completion tokens. */
  totalTokens: Scalars['Int']['output'];
};

/** A page of decision traces. No totalCount: counting a tenant's traces reads all of them. */
export type DecisionTraceConnection = {
  __typename?: 'DecisionTraceConnection';
  /** The page, in the order asked for. */
  edges: Array<DecisionTraceEdge>;
  /** Where the page sits in the list. */
  pageInfo: PageInfo;
};

/** A trace in a page of traces. */
export type DecisionTraceEdge = {
  __typename?: 'DecisionTraceEdge';
  /** Its position in the list: pass it as `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The trace. */
  node: DecisionTrace;
};

/** Which traces to list; every field given must match. */
export type DecisionTraceFilter = {
  /** Calls of this model. */
  model?: InputMaybe<Scalars['String']['input']>;
  /** Calls that ended so. */
  outcome?: InputMaybe<TraceOutcome>;
  /** Calls for this purpose. */
  purpose?: InputMaybe<TracePurpose>;
  /** Calls at or under this scope (within the floor). */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** Calls at or after this instant. */
  since?: InputMaybe<Scalars['DateTime']['input']>;
  /** Calls before this instant. */
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

/** An uploaded document, reduced to text and chunked for recall. */
export type Document = Node & {
  __typename?: 'Document';
  /** UTF-8 bytes of the content. */
  bytes: Scalars['Int']['output'];
  /** How many chunks. */
  chunkCount: Scalars['Int']['output'];
  /** The chunks in position order. */
  chunks: Array<DocumentChunk>;
  /** SHA-256 of mimeType and content; identical content in the same scope is stored once. */
  contentHash: Scalars['String']['output'];
  /** When the document was stored. */
  createdAt: Scalars['DateTime']['output'];
  /** The global id (Node). */
  id: Scalars['ID']['output'];
  /** What the writer attached; null = nothing. */
  metadata?: Maybe<Scalars['JSON']['output']>;
  /** text/plain, text/markdown, application/json or text/html. */
  mimeType: Scalars['String']['output'];
  /** The scope the document and its chunks carry. */
  scope: Scalars['Scope']['output'];
  /** The title given at upload. */
  title: Scalars['String']['output'];
  /** o200k tokens of the reduced text. */
  tokens: Scalars['Int']['output'];
};

/** A piece of a document, as recall finds it. */
export type DocumentChunk = Node & {
  __typename?: 'DocumentChunk';
  /** The document; null when the caller cannot read it. */
  document?: Maybe<Document>;
  /** The global id (Node). */
  id: Scalars['ID']['output'];
  /** 0-based position of this chunk in its document. */
  position: Scalars['Int']['output'];
  /** The document's scope. */
  scope: Scalars['Scope']['output'];
  /** The chunk's text. */
  text: Scalars['String']['output'];
  /** Token offset of this chunk's end (exclusive). */
  tokenEnd: Scalars['Int']['output'];
  /** Token offset of this chunk's start in the document's text (o200k tokenizer). */
  tokenStart: Scalars['Int']['output'];
};

/** A page of documents. No totalCount: counting a tenant's documents reads all of them. */
export type DocumentConnection = {
  __typename?: 'DocumentConnection';
  /** The page, in the order asked for. */
  edges: Array<DocumentEdge>;
  /** Where the page sits in the list. */
  pageInfo: PageInfo;
};

/** A document in a page of documents. */
export type DocumentEdge = {
  __typename?: 'DocumentEdge';
  /** Its position in the list: pass it as `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The document. */
  node: Document;
};

/**
 * Exactly one of ids (records the caller may delete), scope (everything at or under that scope
 * inside the caller's floor; agents only their own records) or query (the best `limit` lexical
 * recall matches, i.e. memories sharing a term with the query, among those the caller may delete).
 */
export type ForgetInput = {
  /** Management key: the Context (global id or own id). */
  contextId?: InputMaybe<Scalars['ID']['input']>;
  /** Only report what would go. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Memories' global ids (at most 1000); unknown and invisible ones count 0. */
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** How many matches of `query` (1–SCOPEGATE_RECALL_TOPK_MAX). */
  limit?: InputMaybe<Scalars['Int']['input']>;
  /** The best lexical matches of this query. */
  query?: InputMaybe<Scalars['String']['input']>;
  /** Everything at or under this scope that the caller may delete. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
};

/** What forget removed, or would remove when dryRun is true. */
export type ForgetResult = {
  __typename?: 'ForgetResult';
  /** How many memories. */
  count: Scalars['Int']['output'];
  /** True when nothing was deleted. */
  dryRun: Scalars['Boolean']['output'];
  /** The memories' global ids. */
  ids: Array<Scalars['ID']['output']>;
};

/**
 * A browser token request. The token's floor is the key's floor narrowed by `scope` (adding
 * dimensions only: a floor dimension with another value is FORBIDDEN, a malformed scope
 * BAD_USER_INPUT); its access is at most the key's (FORBIDDEN otherwise).
 */
export type IssueTokenInput = {
  /** Default READ. */
  access?: InputMaybe<Access>;
  /** Narrows the key's floor, e.g. {user: "bob"}; omitted: the key's floor. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** Lifetime in seconds, 1–86400 (24 h); default 900 (15 min). Never beyond the key's own expiry. */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
};

/** A browser token: hand it to a frontend as `Authorization: Bearer <token>`. */
export type IssuedToken = {
  __typename?: 'IssuedToken';
  /** What the token may do. */
  access: Access;
  /** When the token stops being accepted. */
  expiresAt: Scalars['DateTime']['output'];
  /** The token's floor: the key's floor narrowed by the requested scope. */
  scopeFloor: Scalars['Scope']['output'];
  /** `sgt_…`, shown once and stored nowhere. Dies at expiresAt, or at once when its key is revoked or rotated. */
  token: Scalars['String']['output'];
};

/** The JWS algorithms an external identity provider may sign with (RFC 8725: an explicit allow-list; no `none`, no HMAC). */
export type JwtAlgorithm =
  /** ECDSA on P-256 with SHA-256. */
  | 'ES256'
  /** Ed25519. */
  | 'EdDSA'
  /** RSASSA-PKCS1-v1_5 with SHA-256; RSA keys of at least 2048 bits. */
  | 'RS256';

/** A verification key of an external issuer. */
export type JwtPublicKey = {
  __typename?: 'JwtPublicKey';
  /** The algorithm this key verifies. */
  alg: JwtAlgorithm;
  /** The public JWK (public members only), when given as a JWK. */
  jwk?: Maybe<Scalars['JSON']['output']>;
  /** Matched against the JWT header's `kid`; null matches any. */
  kid?: Maybe<Scalars['String']['output']>;
  /** The PEM SPKI public key, when given as PEM. */
  pem?: Maybe<Scalars['String']['output']>;
};

/** A verification key of an external issuer, as a public JWK or a PEM SPKI public key. */
export type JwtPublicKeyInput = {
  /** The algorithm this key verifies. */
  alg: JwtAlgorithm;
  /** A public JWK (RFC 7517); private and symmetric keys are refused. Exactly one of jwk and pem. */
  jwk?: InputMaybe<Scalars['JSON']['input']>;
  /** Matched against the JWT header's `kid`; omitted matches any (then it must be the only key for its alg). */
  kid?: InputMaybe<Scalars['String']['input']>;
  /** A PEM SPKI public key (-----BEGIN PUBLIC KEY-----). Exactly one of jwk and pem. */
  pem?: InputMaybe<Scalars['String']['input']>;
};

/** A context key (management key only): its secret is shown once, at creation or rotation. */
export type Key = Node & {
  __typename?: 'Key';
  /** What the key, and every token it issues, may do. */
  access: Access;
  /** The key's Context. */
  context: Context;
  /** When the key was created. */
  createdAt: Scalars['DateTime']['output'];
  /** When the key stops working; null = never. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The global id (Node); unlike `keyId`, it is unique across every type of the API. */
  id: Scalars['ID']['output'];
  /** The key's own id: the `<id>` in its secret `sgk_<id>_…`, and what `DecisionTrace.keyId` names. */
  keyId: Scalars['ID']['output'];
  /** When the key last authenticated a request; null = never. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The key's name, unique in its Context. */
  name: Scalars['String']['output'];
  /** How the key reads. */
  principal: Principal;
  /** When the key was revoked; null = active. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The minimum scope every request of the key carries. */
  scopeFloor: Scalars['Scope']['output'];
};

/** The order of a connection. Cursors name positions, not orders: a cursor of either direction pages the same list. */
export type ListOrder = {
  /** Oldest (ASC) or newest (DESC) first. */
  direction?: OrderDirection;
  /** What to order by. */
  field?: ListOrderField;
};

/** What a list is ordered by. */
export type ListOrderField =
  /** Creation order: the time-ordered ULID in each record's id (ties cannot occur). */
  | 'CREATED_AT';

/** A memory: a piece of text an agent remembered, at a scope. */
export type Memory = Node & {
  __typename?: 'Memory';
  /** When the memory was stored. */
  createdAt: Scalars['DateTime']['output'];
  /** Facts extracted from this memory. */
  derived: Array<Memory>;
  /** The global id (Node). */
  id: Scalars['ID']['output'];
  /** What the writer attached; null = nothing. */
  metadata?: Maybe<Scalars['JSON']['output']>;
  /** The scope the memory carries. */
  scope: Scalars['Scope']['output'];
  /** The session it was remembered in; null when none, or when the caller cannot read it. */
  session?: Maybe<Session>;
  /** The memory this fact was extracted from (remember with infer: true). */
  source?: Maybe<Memory>;
  /** The remembered text. */
  text: Scalars['String']['output'];
};

/** A page of memories. No totalCount: counting a tenant's memories reads all of them. */
export type MemoryConnection = {
  __typename?: 'MemoryConnection';
  /** The page, in the order asked for. */
  edges: Array<MemoryEdge>;
  /** Where the page sits in the list. */
  pageInfo: PageInfo;
};

/** A memory in a page of memories. */
export type MemoryEdge = {
  __typename?: 'MemoryEdge';
  /** Its position in the list: pass it as `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The memory. */
  node: Memory;
};

/** A memory that was created or forgotten, as `memoryEvents` reports it. */
export type MemoryEvent = {
  __typename?: 'MemoryEvent';
  /** A global id of this event (not a Node: events are not kept). Unique: the memory's own id is `memoryId`. */
  id: Scalars['ID']['output'];
  /** Whether the memory was created or forgotten. */
  kind: MemoryEventKind;
  /** The memory as created; null for FORGOTTEN. */
  memory?: Maybe<Memory>;
  /** The memory's global id (for FORGOTTEN: the id it had). */
  memoryId: Scalars['ID']['output'];
  /** The memory's scope. */
  scope: Scalars['Scope']['output'];
};

/** What happened to a memory. */
export type MemoryEventKind =
  /** The memory was stored (remember, rememberMany, an answer's extracted facts). */
  | 'CREATED'
  /** The memory was deleted (forget, retention, redaction). */
  | 'FORGOTTEN';

/** The models a Context uses, each as `provider/model`. */
export type Models = {
  __typename?: 'Models';
  /** Embeds memories and chunks for the vector tier of recall. */
  embedding: Scalars['String']['output'];
  /** Extracts facts for `remember(input: {infer: true})`. */
  extraction: Scalars['String']['output'];
  /** Answers `answer` and `answerStream`. */
  response: Scalars['String']['output'];
};

/** Which models a Context uses; omitted fields keep their value. */
export type ModelsInput = {
  /** `provider/model` for embeddings (README: Recall). */
  embedding?: InputMaybe<Scalars['String']['input']>;
  /** `provider/model` for fact extraction. */
  extraction?: InputMaybe<Scalars['String']['input']>;
  /** `provider/model` for answers. */
  response?: InputMaybe<Scalars['String']['input']>;
};

/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Appends a turn to a session the calling key created. NOT_FOUND otherwise; CONFLICT when it has ended. */
  addTurn: Turn;
  /** Recall within the floor, then the Context's response model. TOKEN_LIMIT_EXCEEDED when the budget does not cover it. */
  answer: Answer;
  /** Creates a Context and its database (management key). */
  createContext: Context;
  /** Mints a context key; its secret is in the answer, once. */
  createKey: CreatedKey;
  /** A new session at the effective scope, owned by the calling agent key. */
  createSession: Session;
  /** Deletes a Context, its keys and exactly its database. */
  deleteContext: Scalars['Boolean']['output'];
  /** Deletes the document and all its chunks. */
  deleteDocument: Scalars['Boolean']['output'];
  /** Ends a session the calling key created; ending twice keeps the first time. */
  endSession: Session;
  /** Deletes memories by ids, by scope or by query (exactly one). */
  forget: ForgetResult;
  /** A short-lived token for a browser, within this context key's floor and access. Context keys only: tokens and external JWTs cannot issue tokens. */
  issueToken: IssuedToken;
  /** Removes every record at or under `scope` in every tenant table in one transaction; past usage stays as rollups. */
  redactScope: RedactionReport;
  /** Re-analyzes rows indexed by an older analyzer and re-embeds rows whose stored vector was made by another model than models.embedding (remote embeddings are traced and budgeted at each row's scope). */
  reindex: ReindexReport;
  /** Stores one memory at the effective scope. */
  remember: Memory;
  /** Stores many memories in one transaction. */
  rememberMany: Array<Memory>;
  /** Revokes a key: it, and every browser token it issued, stop working on the next request on every replica. */
  revokeKey: Key;
  /** Gives a key a new secret: the old one, and every browser token the key issued, stop working on the next request. */
  rotateKey: CreatedKey;
  /** Deletes records older than the Context's retention (retentionDays, retentionPolicies) now. */
  runRetention: RetentionReport;
  /** Patches a Context's config. */
  updateContext: Context;
  /** Stores a document and its chunks in one transaction (or answers the stored copy of the same content). */
  uploadDocument: UploadDocumentResult;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationAddTurnArgs = {
  input: AddTurnInput;
  sessionId: Scalars['ID']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationAnswerArgs = {
  input: AnswerInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationCreateContextArgs = {
  input: CreateContextInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationCreateKeyArgs = {
  contextId: Scalars['ID']['input'];
  input: CreateKeyInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationCreateSessionArgs = {
  input: CreateSessionInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationDeleteContextArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationDeleteDocumentArgs = {
  contextId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationEndSessionArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationForgetArgs = {
  input: ForgetInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationIssueTokenArgs = {
  input: IssueTokenInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationRedactScopeArgs = {
  contextId: Scalars['ID']['input'];
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  revokeKeys?: InputMaybe<Scalars['Boolean']['input']>;
  scope: Scalars['Scope']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationReindexArgs = {
  contextId: Scalars['ID']['input'];
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationRememberArgs = {
  input: RememberInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationRememberManyArgs = {
  input: RememberManyInput;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationRevokeKeyArgs = {
  contextId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationRotateKeyArgs = {
  contextId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationRunRetentionArgs = {
  contextId: Scalars['ID']['input'];
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationUpdateContextArgs = {
  config: ContextConfigInput;
  id: Scalars['ID']['input'];
};


/**
 * Writes. Tenant writes act at the caller's effective scope and need a READ_WRITE credential;
 * management mutations (Contexts, keys, retention, redaction) need the management key.
 */
export type MutationUploadDocumentArgs = {
  input: UploadDocumentInput;
};

/**
 * An object that can be fetched again by its id alone, through `node(id:)`. Its id is a global id:
 * unique across every type and Context of the API, opaque (base64url), and stable.
 */
export type Node = {
  /** The global id: unique across every type and Context; pass it to `node(id:)` and to typed fields that take this type's id. */
  id: Scalars['ID']['output'];
};

/** Which way a list runs. */
export type OrderDirection =
  /** Oldest first. */
  | 'ASC'
  /** Newest first. */
  | 'DESC';

/** Where a page of a connection sits in its list (Relay Cursor Connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the page's last edge; null for an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether the list goes on after this page (in the order asked for); exact when paging with first/after, and with last/before whether anything lies at or after `before`. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether the list has items before this page; exact when paging with last/before, and with first/after whether anything lies at or before `after`. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the page's first edge; null for an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** How a context key reads: the subset rule or the subtree under its floor (DESIGN §3). */
export type Principal =
  /** Reads records whose scope is a subset of its effective scope; creates sessions; forgets only its own records. */
  | 'AGENT'
  /** Reads the whole subtree under its floor (org-wide); forgets anything under its floor; cannot create sessions. */
  | 'SUPERVISOR';

/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type Query = {
  __typename?: 'Query';
  /** A Context by its global id or its own id (`tenant-alpha`); null when there is none. */
  context?: Maybe<Context>;
  /** Every Context (management key). */
  contexts: Array<Context>;
  /** Decision traces at or under the caller's floor, newest first unless `orderBy` says otherwise. */
  decisionTraces: DecisionTraceConnection;
  /** A document the caller may read by id; null otherwise. */
  document?: Maybe<Document>;
  /** Documents at the requested scope, oldest first unless `orderBy` says otherwise. */
  documents: DocumentConnection;
  /** The keys of a Context, revoked ones included. */
  keys: Array<Key>;
  /** The credential of this request. */
  me: Caller;
  /** Memories at the requested scope, oldest first unless `orderBy` says otherwise. */
  memories: MemoryConnection;
  /** A memory the caller may read by id; null otherwise. */
  memory?: Maybe<Memory>;
  /**
   * The object with this global id, through the same services and visibility rules as the typed
   * fields: null when it does not exist, when the caller may not see it (another tenant's, another
   * Context's, a type the caller may not read, e.g. a Key for a tenant credential) or when the id
   * is not a global id. Never an error for any of these.
   */
  node?: Maybe<Node>;
  /**
   * The objects with these global ids, in the same order, each as `node(id:)` would answer it
   * (null where it would be null). At most 100 ids (BAD_USER_INPUT beyond).
   */
  nodes: Array<Maybe<Node>>;
  /** Recall within the caller's floor. topK is capped (default cap 50). */
  recall: RecallResult;
  /** A report for an auditor: permissions read back and compared, keys, record counts per dimension, checks that must all be 0. */
  scopeAudit: ScopeAudit;
  /** A session the caller may read by id; null otherwise. */
  session?: Maybe<Session>;
  /** Sessions at the requested scope, oldest first unless `orderBy` says otherwise. */
  sessions: SessionConnection;
  /** Token usage from decision traces, summed per scope (projected onto groupBy dimensions when given) and model. */
  tokenUsage: Array<TokenUsage>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryContextArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryDecisionTracesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DecisionTraceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryDocumentArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryKeysArgs = {
  contextId: Scalars['ID']['input'];
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryMemoryArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryRecallArgs = {
  mode?: InputMaybe<RecallMode>;
  query: Scalars['String']['input'];
  recencyHalfLifeDays?: InputMaybe<Scalars['Float']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryScopeAuditArgs = {
  contextId: Scalars['ID']['input'];
  dimension?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QuerySessionArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QuerySessionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * Reads. Tenant fields act in the caller's own Context within its floor; management fields
 * (contexts, keys, audits) need the management key; `node`/`nodes` resolve any global id.
 */
export type QueryTokenUsageArgs = {
  groupBy?: InputMaybe<Array<Scalars['String']['input']>>;
  model?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

/** One recalled memory or document chunk. */
export type RecallHit = {
  __typename?: 'RecallHit';
  /** Set when kind is CHUNK: a piece of a document, citing the document and its position. */
  chunk?: Maybe<DocumentChunk>;
  /** Whether it is a memory or a chunk. */
  kind: RecallHitKind;
  /** The tiers that ranked this hit. */
  matchedBy: Array<RecallTier>;
  /** Set when kind is MEMORY. */
  memory?: Maybe<Memory>;
  /** The fused score; higher is better, comparable within one recall only. */
  score: Scalars['Float']['output'];
  /** The recalled text (the memory's or the chunk's). */
  text: Scalars['String']['output'];
};

/** What a recall hit is. */
export type RecallHitKind =
  /** A chunk of a document. */
  | 'CHUNK'
  /** A memory. */
  | 'MEMORY';

/** Which tiers rank a recall. */
export type RecallMode =
  /** Lexical and vector tiers, each normalised per query and added with equal weights, with conversation context (neighbouring turns of a session lend a share of their score). */
  | 'HYBRID'
  /** BM25 over the caller's visible memories and document chunks. */
  | 'LEXICAL'
  /** Cosine similarity of the Context's embedding model. */
  | 'VECTOR';

/** The hits of one recall. */
export type RecallResult = {
  __typename?: 'RecallResult';
  /** Best first; ties newest first. */
  hits: Array<RecallHit>;
  /** The mode that ranked them. */
  mode: RecallMode;
  /** How long the recall took, in milliseconds. */
  tookMs: Scalars['Float']['output'];
};

/** A tier of recall. */
export type RecallTier =
  /** BM25 over terms. */
  | 'LEXICAL'
  /** Cosine similarity of embeddings. */
  | 'VECTOR';

/** What a redaction removed, and whether nothing remains. */
export type RedactionReport = {
  __typename?: 'RedactionReport';
  /** The Context, as created (e.g. `tenant-alpha`). */
  contextId: Scalars['ID']['output'];
  /** Records removed per table (dry run: that would be removed). */
  counts: Array<TableCount>;
  /** True when nothing was deleted. */
  dryRun: Scalars['Boolean']['output'];
  /** Records still at or under the scope after the redaction (all 0 when verified). */
  remaining: Array<TableCount>;
  /** Keys revoked because their floor lies under the scope (revokeKeys: true). */
  revokedKeys: Array<Key>;
  /** The redacted scope. */
  scope: Scalars['Scope']['output'];
  /** True when nothing remains at or under the scope. */
  verified: Scalars['Boolean']['output'];
};

/** What reindex did (or, for a dry run, would do). */
export type ReindexReport = {
  __typename?: 'ReindexReport';
  /** The analyzer version every row's terms now come from. */
  analyzer: Scalars['Int']['output'];
  /** The Context reindexed. */
  contextId: Scalars['ID']['output'];
  /** Rows re-indexed per table (memory, chunk), or that would be. */
  counts: Array<TableCount>;
  /** True when nothing was written. */
  dryRun: Scalars['Boolean']['output'];
  /** The Context's embedding model (models.embedding) that stored vectors now come from. */
  model: Scalars['String']['output'];
};

/**
 * A memory to store. contextId is for the management key only; a context key always acts in its
 * own Context. infer: run the Context's extraction model and also store the facts it finds, linked
 * to this memory (Memory.derived / Memory.source). It is an LLM call: traced and budgeted.
 */
export type RememberInput = {
  /** Management key: the Context (global id or own id). */
  contextId?: InputMaybe<Scalars['ID']['input']>;
  /** Also extract and store facts (an LLM call). */
  infer?: InputMaybe<Scalars['Boolean']['input']>;
  /** A JSON object to attach (at most 16 kB). */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Narrows the key's floor; omitted: the floor. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** A session of the caller's (global id) the memory belongs to. */
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  /** The text (at most 32,000 characters). */
  text: Scalars['String']['input'];
};

/** One item of rememberMany. */
export type RememberItemInput = {
  /** A JSON object to attach (at most 16 kB). */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Overrides the call's scope for this item. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** The text (at most 32,000 characters). */
  text: Scalars['String']['input'];
};

/** Stored in one transaction: every item or none. */
export type RememberManyInput = {
  /** Management key: the Context (global id or own id). */
  contextId?: InputMaybe<Scalars['ID']['input']>;
  /** The memories (at most SCOPEGATE_REMEMBER_MANY_MAX, default 5000). */
  items: Array<RememberItemInput>;
  /** The scope of items without their own; omitted: the floor. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** A session of the caller's (global id) every item belongs to. */
  sessionId?: InputMaybe<Scalars['ID']['input']>;
};

/** Records at or under `scope` expire after `days`; the most specific matching policy wins over retentionDays. */
export type RetentionPolicy = {
  __typename?: 'RetentionPolicy';
  /** Days a record is kept. */
  days: Scalars['Int']['output'];
  /** The scope the policy covers (and everything under it). */
  scope: Scalars['Scope']['output'];
};

/** A retention policy. */
export type RetentionPolicyInput = {
  /** …are kept this many days. */
  days: Scalars['Int']['input'];
  /** Records at or under this scope… */
  scope: Scalars['Scope']['input'];
};

/** What a retention run removed (or, for a dry run, would remove). */
export type RetentionReport = {
  __typename?: 'RetentionReport';
  /** The Context, as created (e.g. `tenant-alpha`). */
  contextId: Scalars['ID']['output'];
  /** Records deleted (or, for a dry run, that would be). */
  counts: Array<TableCount>;
  /** True when nothing was deleted. */
  dryRun: Scalars['Boolean']['output'];
};

/** Who said a turn. */
export type Role =
  /** The agent or model. */
  | 'ASSISTANT'
  /** System instructions. */
  | 'SYSTEM'
  /** A tool's output. */
  | 'TOOL'
  /** The end user. */
  | 'USER';

/** A report for an auditor on one Context. */
export type ScopeAudit = {
  __typename?: 'ScopeAudit';
  /** The checks that must all be 0. */
  checks: Array<AuditCheck>;
  /** The Context, as created (e.g. `tenant-alpha`). */
  contextId: Scalars['ID']['output'];
  /** Record counts per table and dimension value. */
  counts: Array<AuditCount>;
  /** The dimension counts are given per value of. */
  dimension: Scalars['String']['output'];
  /** When the report was made. */
  generatedAt: Scalars['DateTime']['output'];
  /** The whole report as JSON. */
  json: Scalars['JSON']['output'];
  /** Every key with its floor, principal and last use. */
  keys: Array<AuditKey>;
  /** The whole report as Markdown, for printing. */
  markdown: Scalars['String']['output'];
  /** True when every check is 0. */
  passed: Scalars['Boolean']['output'];
  /** Each tenant table's permissions, read back and compared. */
  tables: Array<AuditTable>;
};

/** Monthly token budgets per value of one scope dimension in a shared Context, e.g. per org. */
export type ScopeTokenLimits = {
  __typename?: 'ScopeTokenLimits';
  /** The monthly limit of a value without an override; null = unlimited. */
  default?: Maybe<Scalars['Int']['output']>;
  /**
   * Fraction (> 0, ≤ 1) of the Context-wide tokenLimit that each value of `dimension` may use per month
   * when neither `overrides` nor `default` gives it a limit; null = none. E.g. 0.1 with tokenLimit
   * 1000000: each org may use 100000 tokens a month. No effect while tokenLimit is null.
   */
  defaultShare?: Maybe<Scalars['Float']['output']>;
  /** The scope dimension budgets are kept per value of, e.g. org. */
  dimension: Scalars['String']['output'];
  /** Value → limit, e.g. {alpha: 500000}. */
  overrides: Scalars['JSON']['output'];
};

/** Monthly budgets per value of one scope dimension. */
export type ScopeTokenLimitsInput = {
  /** The limit of a value without an override; omitted = unlimited. */
  default?: InputMaybe<Scalars['Int']['input']>;
  /** Fraction (> 0, ≤ 1) of tokenLimit per dimension value without an override or default. */
  defaultShare?: InputMaybe<Scalars['Float']['input']>;
  /** The dimension, e.g. org. */
  dimension: Scalars['String']['input'];
  /** Value → limit, e.g. {alpha: 500000}. */
  overrides?: InputMaybe<Scalars['JSON']['input']>;
};

/** A conversation: turns appended by the agent key that created it. */
export type Session = Node & {
  __typename?: 'Session';
  /** When the session was created. */
  createdAt: Scalars['DateTime']['output'];
  /** When the session was ended; null = open. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The global id (Node). */
  id: Scalars['ID']['output'];
  /** The session's first memories, oldest first, that the caller may read by id. */
  memories: Array<Memory>;
  /** What the creator attached; null = nothing. */
  metadata?: Maybe<Scalars['JSON']['output']>;
  /** The scope the session and its turns carry. */
  scope: Scalars['Scope']['output'];
  /** The session's turns, in seq order unless `orderBy` says otherwise. Each page is a bounded range of seqs. */
  turns: TurnConnection;
};


/** A conversation: turns appended by the agent key that created it. */
export type SessionMemoriesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A conversation: turns appended by the agent key that created it. */
export type SessionTurnsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ListOrder>;
};

/**
 * A page of sessions. No totalCount: counting a tenant's sessions reads all of them (README:
 * Relay and typed clients).
 */
export type SessionConnection = {
  __typename?: 'SessionConnection';
  /** The page, in the order asked for. */
  edges: Array<SessionEdge>;
  /** Where the page sits in the list. */
  pageInfo: PageInfo;
};

/** A session in a page of sessions. */
export type SessionEdge = {
  __typename?: 'SessionEdge';
  /** Its position in the list: pass it as `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The session. */
  node: Session;
};

/**
 * Live data (issue 12). Subscriptions run over WebSocket (graphql-ws protocol, `graphql-transport-ws`,
 * on /graphql, credential in connectionParams `Authorization: "Bearer …"` or `API-KEY`) or Server-Sent
 * Events (graphql-sse protocol, distinct connections mode, on /graphql/stream, credential in the usual
 * headers); POST and GET /graphql refuse them. Context keys only. Every event passes the visibility
 * rule of the equivalent query. The key is checked again before every event and every few seconds:
 * a revoked, rotated or expired key (or a deleted Context) ends the stream with UNAUTHENTICATED.
 * Too many open subscriptions for a key or a connection answer SUBSCRIPTION_LIMIT.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * `answer` as a stream: the response model's text in pieces (`done: false`), then one final chunk
   * (`done: true`) with the citations and usage. One LLM call, budgeted and traced like `answer`:
   * TOKEN_LIMIT_EXCEEDED ends the stream before any piece. With a `sessionId` of the key's own, the
   * question and the answer are recorded as turns when the call finishes.
   */
  answerStream: AnswerChunk;
  /**
   * Memories created or forgotten from now on that `memories(scope:)` would list for this key:
   * for an agent, those whose scope lies within E = floor ∪ scope (shared `{}` records included);
   * for a supervisor, its subtree. FORBIDDEN when `scope` moves a floor dimension.
   */
  memoryEvents: MemoryEvent;
  /**
   * Turns appended from now on to a session this key may read by id (`session(id:)`). NOT_FOUND at
   * subscribe when the session is unknown or not visible (the two are indistinguishable).
   */
  sessionTurns: Turn;
};


/**
 * Live data (issue 12). Subscriptions run over WebSocket (graphql-ws protocol, `graphql-transport-ws`,
 * on /graphql, credential in connectionParams `Authorization: "Bearer …"` or `API-KEY`) or Server-Sent
 * Events (graphql-sse protocol, distinct connections mode, on /graphql/stream, credential in the usual
 * headers); POST and GET /graphql refuse them. Context keys only. Every event passes the visibility
 * rule of the equivalent query. The key is checked again before every event and every few seconds:
 * a revoked, rotated or expired key (or a deleted Context) ends the stream with UNAUTHENTICATED.
 * Too many open subscriptions for a key or a connection answer SUBSCRIPTION_LIMIT.
 */
export type SubscriptionAnswerStreamArgs = {
  input: AnswerInput;
};


/**
 * Live data (issue 12). Subscriptions run over WebSocket (graphql-ws protocol, `graphql-transport-ws`,
 * on /graphql, credential in connectionParams `Authorization: "Bearer …"` or `API-KEY`) or Server-Sent
 * Events (graphql-sse protocol, distinct connections mode, on /graphql/stream, credential in the usual
 * headers); POST and GET /graphql refuse them. Context keys only. Every event passes the visibility
 * rule of the equivalent query. The key is checked again before every event and every few seconds:
 * a revoked, rotated or expired key (or a deleted Context) ends the stream with UNAUTHENTICATED.
 * Too many open subscriptions for a key or a connection answer SUBSCRIPTION_LIMIT.
 */
export type SubscriptionMemoryEventsArgs = {
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


/**
 * Live data (issue 12). Subscriptions run over WebSocket (graphql-ws protocol, `graphql-transport-ws`,
 * on /graphql, credential in connectionParams `Authorization: "Bearer …"` or `API-KEY`) or Server-Sent
 * Events (graphql-sse protocol, distinct connections mode, on /graphql/stream, credential in the usual
 * headers); POST and GET /graphql refuse them. Context keys only. Every event passes the visibility
 * rule of the equivalent query. The key is checked again before every event and every few seconds:
 * a revoked, rotated or expired key (or a deleted Context) ends the stream with UNAUTHENTICATED.
 * Too many open subscriptions for a key or a connection answer SUBSCRIPTION_LIMIT.
 */
export type SubscriptionSessionTurnsArgs = {
  sessionId: Scalars['ID']['input'];
};

/** A record count of one table. */
export type TableCount = {
  __typename?: 'TableCount';
  /** How many records. */
  count: Scalars['Int']['output'];
  /** The tenant table (session, turn, memory, document, chunk, decision_trace, …). */
  table: Scalars['String']['output'];
};

/** Tokens used by calls at one scope with one model. */
export type TokenUsage = {
  __typename?: 'TokenUsage';
  /** How many calls. */
  calls: Scalars['Int']['output'];
  /** Completion tokens. */
  completionTokens: Scalars['Int']['output'];
  /** The model; null for rollups without one. */
  model?: Maybe<Scalars['String']['output']>;
  /** Prompt tokens. */
  promptTokens: Scalars['Int']['output'];
  /** The calls' scope (projected onto groupBy's dimensions when given). */
  scope: Scalars['Scope']['output'];
  /** Prompt plus completion tokens. */
  totalTokens: Scalars['Int']['output'];
};

/** How a model call ended. */
export type TraceOutcome =
  /** The call failed (the error says why). */
  | 'ERROR'
  /** The model answered. */
  | 'SUCCESS';

/** Why a model was called. */
export type TracePurpose =
  /** A remote embedding. */
  | 'EMBEDDING'
  /** Fact extraction (remember with infer). */
  | 'EXTRACTION'
  /** An answer (answer, answerStream). */
  | 'RESPONSE';

/** One turn of a session. */
export type Turn = Node & {
  __typename?: 'Turn';
  /** What was said. */
  content: Scalars['String']['output'];
  /** When the turn was appended. */
  createdAt: Scalars['DateTime']['output'];
  /** The global id (Node). */
  id: Scalars['ID']['output'];
  /** Who said it. */
  role: Role;
  /** 1 for the session's first turn, then 2, 3, …: dense, in the order turns were appended. */
  seq: Scalars['Int']['output'];
};

/** A page of a session's turns. */
export type TurnConnection = {
  __typename?: 'TurnConnection';
  /** The page, in the order asked for. */
  edges: Array<TurnEdge>;
  /** Where the page sits in the session. */
  pageInfo: PageInfo;
  /** How many turns the session holds (from its turn counter and, after retention removed its oldest turns, a few point reads). */
  totalCount: Scalars['Int']['output'];
};

/** A turn in a page of turns. */
export type TurnEdge = {
  __typename?: 'TurnEdge';
  /** Its position in the session: pass it as `after` or `before`. */
  cursor: Scalars['String']['output'];
  /** The turn. */
  node: Turn;
};

/** A document to upload. mimeType: text/plain, text/markdown, application/json or text/html. */
export type UploadDocumentInput = {
  /** The content, at most SCOPEGATE_DOCUMENT_MAX_BYTES UTF-8 bytes. */
  content: Scalars['String']['input'];
  /** Management key: the Context (global id or own id). */
  contextId?: InputMaybe<Scalars['ID']['input']>;
  /** A JSON object to attach (at most 16 kB). */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** text/plain, text/markdown, application/json or text/html. */
  mimeType: Scalars['String']['input'];
  /** Narrows the key's floor; omitted: the floor. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  /** At most 300 characters. */
  title: Scalars['String']['input'];
};

/** What uploadDocument stored. */
export type UploadDocumentResult = {
  __typename?: 'UploadDocumentResult';
  /** True when this content was already stored in this scope. */
  deduplicated: Scalars['Boolean']['output'];
  /** The document (the stored one when deduplicated). */
  document: Document;
};

/** Tokens of one model call. */
export type Usage = {
  __typename?: 'Usage';
  /** Completion tokens. */
  completionTokens: Scalars['Int']['output'];
  /** `provider/model`. */
  model: Scalars['String']['output'];
  /** Prompt tokens. */
  promptTokens: Scalars['Int']['output'];
  /** Prompt plus completion tokens. */
  totalTokens: Scalars['Int']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = {
  Node:
    | ( ContextModel )
    | ( DecisionTraceModel )
    | ( DocumentModel )
    | ( ChunkModel )
    | ( KeyModel )
    | ( MemoryModel )
    | ( SessionModel )
    | ( TurnModel )
  ;
};

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Access: Access;
  AddTurnInput: AddTurnInput;
  Answer: ResolverTypeWrapper<Omit<Answer, 'citations'> & { citations: Array<ResolversTypes['Citation']> }>;
  AnswerChunk: ResolverTypeWrapper<AnswerChunkModel>;
  AnswerInput: AnswerInput;
  AuditCheck: ResolverTypeWrapper<AuditCheck>;
  AuditCount: ResolverTypeWrapper<AuditCount>;
  AuditKey: ResolverTypeWrapper<KeyModel>;
  AuditTable: ResolverTypeWrapper<AuditTable>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Caller: ResolverTypeWrapper<Caller>;
  CallerKind: CallerKind;
  Chunking: ResolverTypeWrapper<Chunking>;
  ChunkingInput: ChunkingInput;
  Citation: ResolverTypeWrapper<Omit<Citation, 'chunk' | 'memory'> & { chunk?: Maybe<ResolversTypes['DocumentChunk']>, memory?: Maybe<ResolversTypes['Memory']> }>;
  Context: ResolverTypeWrapper<ContextModel>;
  ContextAuth: ResolverTypeWrapper<ContextAuth>;
  ContextAuthInput: ContextAuthInput;
  ContextConfig: ResolverTypeWrapper<ContextConfig>;
  ContextConfigInput: ContextConfigInput;
  ContextRateLimit: ResolverTypeWrapper<ContextRateLimit>;
  ContextRateLimitInput: ContextRateLimitInput;
  CreateContextInput: CreateContextInput;
  CreateKeyInput: CreateKeyInput;
  CreateSessionInput: CreateSessionInput;
  CreatedKey: ResolverTypeWrapper<Omit<CreatedKey, 'key'> & { key: ResolversTypes['Key'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DecisionTrace: ResolverTypeWrapper<DecisionTraceModel>;
  DecisionTraceConnection: ResolverTypeWrapper<Omit<DecisionTraceConnection, 'edges'> & { edges: Array<ResolversTypes['DecisionTraceEdge']> }>;
  DecisionTraceEdge: ResolverTypeWrapper<Omit<DecisionTraceEdge, 'node'> & { node: ResolversTypes['DecisionTrace'] }>;
  DecisionTraceFilter: DecisionTraceFilter;
  Document: ResolverTypeWrapper<DocumentModel>;
  DocumentChunk: ResolverTypeWrapper<ChunkModel>;
  DocumentConnection: ResolverTypeWrapper<Omit<DocumentConnection, 'edges'> & { edges: Array<ResolversTypes['DocumentEdge']> }>;
  DocumentEdge: ResolverTypeWrapper<Omit<DocumentEdge, 'node'> & { node: ResolversTypes['Document'] }>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ForgetInput: ForgetInput;
  ForgetResult: ResolverTypeWrapper<ForgetResult>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  IssueTokenInput: IssueTokenInput;
  IssuedToken: ResolverTypeWrapper<IssuedToken>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  JwtAlgorithm: JwtAlgorithm;
  JwtPublicKey: ResolverTypeWrapper<JwtPublicKey>;
  JwtPublicKeyInput: JwtPublicKeyInput;
  Key: ResolverTypeWrapper<KeyModel>;
  ListOrder: ListOrder;
  ListOrderField: ListOrderField;
  Memory: ResolverTypeWrapper<MemoryModel>;
  MemoryConnection: ResolverTypeWrapper<Omit<MemoryConnection, 'edges'> & { edges: Array<ResolversTypes['MemoryEdge']> }>;
  MemoryEdge: ResolverTypeWrapper<Omit<MemoryEdge, 'node'> & { node: ResolversTypes['Memory'] }>;
  MemoryEvent: ResolverTypeWrapper<MemoryEventModel>;
  MemoryEventKind: MemoryEventKind;
  Models: ResolverTypeWrapper<Models>;
  ModelsInput: ModelsInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Node: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Node']>;
  OrderDirection: OrderDirection;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Principal: Principal;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecallHit: ResolverTypeWrapper<RecallHitModel>;
  RecallHitKind: RecallHitKind;
  RecallMode: RecallMode;
  RecallResult: ResolverTypeWrapper<Omit<RecallResult, 'hits'> & { hits: Array<ResolversTypes['RecallHit']> }>;
  RecallTier: RecallTier;
  RedactionReport: ResolverTypeWrapper<Omit<RedactionReport, 'revokedKeys'> & { revokedKeys: Array<ResolversTypes['Key']> }>;
  ReindexReport: ResolverTypeWrapper<ReindexReport>;
  RememberInput: RememberInput;
  RememberItemInput: RememberItemInput;
  RememberManyInput: RememberManyInput;
  RetentionPolicy: ResolverTypeWrapper<RetentionPolicy>;
  RetentionPolicyInput: RetentionPolicyInput;
  RetentionReport: ResolverTypeWrapper<RetentionReport>;
  Role: Role;
  Scope: ResolverTypeWrapper<Scalars['Scope']['output']>;
  ScopeAudit: ResolverTypeWrapper<Omit<ScopeAudit, 'keys'> & { keys: Array<ResolversTypes['AuditKey']> }>;
  ScopeTokenLimits: ResolverTypeWrapper<ScopeTokenLimits>;
  ScopeTokenLimitsInput: ScopeTokenLimitsInput;
  Session: ResolverTypeWrapper<SessionModel>;
  SessionConnection: ResolverTypeWrapper<Omit<SessionConnection, 'edges'> & { edges: Array<ResolversTypes['SessionEdge']> }>;
  SessionEdge: ResolverTypeWrapper<Omit<SessionEdge, 'node'> & { node: ResolversTypes['Session'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TableCount: ResolverTypeWrapper<TableCount>;
  TokenUsage: ResolverTypeWrapper<TokenUsage>;
  TraceOutcome: TraceOutcome;
  TracePurpose: TracePurpose;
  Turn: ResolverTypeWrapper<TurnModel>;
  TurnConnection: ResolverTypeWrapper<TurnConnectionModel>;
  TurnEdge: ResolverTypeWrapper<Omit<TurnEdge, 'node'> & { node: ResolversTypes['Turn'] }>;
  UploadDocumentInput: UploadDocumentInput;
  UploadDocumentResult: ResolverTypeWrapper<Omit<UploadDocumentResult, 'document'> & { document: ResolversTypes['Document'] }>;
  Usage: ResolverTypeWrapper<Usage>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AddTurnInput: AddTurnInput;
  Answer: Omit<Answer, 'citations'> & { citations: Array<ResolversParentTypes['Citation']> };
  AnswerChunk: AnswerChunkModel;
  AnswerInput: AnswerInput;
  AuditCheck: AuditCheck;
  AuditCount: AuditCount;
  AuditKey: KeyModel;
  AuditTable: AuditTable;
  Boolean: Scalars['Boolean']['output'];
  Caller: Caller;
  Chunking: Chunking;
  ChunkingInput: ChunkingInput;
  Citation: Omit<Citation, 'chunk' | 'memory'> & { chunk?: Maybe<ResolversParentTypes['DocumentChunk']>, memory?: Maybe<ResolversParentTypes['Memory']> };
  Context: ContextModel;
  ContextAuth: ContextAuth;
  ContextAuthInput: ContextAuthInput;
  ContextConfig: ContextConfig;
  ContextConfigInput: ContextConfigInput;
  ContextRateLimit: ContextRateLimit;
  ContextRateLimitInput: ContextRateLimitInput;
  CreateContextInput: CreateContextInput;
  CreateKeyInput: CreateKeyInput;
  CreateSessionInput: CreateSessionInput;
  CreatedKey: Omit<CreatedKey, 'key'> & { key: ResolversParentTypes['Key'] };
  DateTime: Scalars['DateTime']['output'];
  DecisionTrace: DecisionTraceModel;
  DecisionTraceConnection: Omit<DecisionTraceConnection, 'edges'> & { edges: Array<ResolversParentTypes['DecisionTraceEdge']> };
  DecisionTraceEdge: Omit<DecisionTraceEdge, 'node'> & { node: ResolversParentTypes['DecisionTrace'] };
  DecisionTraceFilter: DecisionTraceFilter;
  Document: DocumentModel;
  DocumentChunk: ChunkModel;
  DocumentConnection: Omit<DocumentConnection, 'edges'> & { edges: Array<ResolversParentTypes['DocumentEdge']> };
  DocumentEdge: Omit<DocumentEdge, 'node'> & { node: ResolversParentTypes['Document'] };
  Float: Scalars['Float']['output'];
  ForgetInput: ForgetInput;
  ForgetResult: ForgetResult;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  IssueTokenInput: IssueTokenInput;
  IssuedToken: IssuedToken;
  JSON: Scalars['JSON']['output'];
  JwtPublicKey: JwtPublicKey;
  JwtPublicKeyInput: JwtPublicKeyInput;
  Key: KeyModel;
  ListOrder: ListOrder;
  Memory: MemoryModel;
  MemoryConnection: Omit<MemoryConnection, 'edges'> & { edges: Array<ResolversParentTypes['MemoryEdge']> };
  MemoryEdge: Omit<MemoryEdge, 'node'> & { node: ResolversParentTypes['Memory'] };
  MemoryEvent: MemoryEventModel;
  Models: Models;
  ModelsInput: ModelsInput;
  Mutation: Record<PropertyKey, never>;
  Node: ResolversInterfaceTypes<ResolversParentTypes>['Node'];
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RecallHit: RecallHitModel;
  RecallResult: Omit<RecallResult, 'hits'> & { hits: Array<ResolversParentTypes['RecallHit']> };
  RedactionReport: Omit<RedactionReport, 'revokedKeys'> & { revokedKeys: Array<ResolversParentTypes['Key']> };
  ReindexReport: ReindexReport;
  RememberInput: RememberInput;
  RememberItemInput: RememberItemInput;
  RememberManyInput: RememberManyInput;
  RetentionPolicy: RetentionPolicy;
  RetentionPolicyInput: RetentionPolicyInput;
  RetentionReport: RetentionReport;
  Scope: Scalars['Scope']['output'];
  ScopeAudit: Omit<ScopeAudit, 'keys'> & { keys: Array<ResolversParentTypes['AuditKey']> };
  ScopeTokenLimits: ScopeTokenLimits;
  ScopeTokenLimitsInput: ScopeTokenLimitsInput;
  Session: SessionModel;
  SessionConnection: Omit<SessionConnection, 'edges'> & { edges: Array<ResolversParentTypes['SessionEdge']> };
  SessionEdge: Omit<SessionEdge, 'node'> & { node: ResolversParentTypes['Session'] };
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  TableCount: TableCount;
  TokenUsage: TokenUsage;
  Turn: TurnModel;
  TurnConnection: TurnConnectionModel;
  TurnEdge: Omit<TurnEdge, 'node'> & { node: ResolversParentTypes['Turn'] };
  UploadDocumentInput: UploadDocumentInput;
  UploadDocumentResult: Omit<UploadDocumentResult, 'document'> & { document: ResolversParentTypes['Document'] };
  Usage: Usage;
};

export type AnswerResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Answer'] = ResolversParentTypes['Answer']> = {
  citations?: Resolver<Array<ResolversTypes['Citation']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  usage?: Resolver<ResolversTypes['Usage'], ParentType, ContextType>;
};

export type AnswerChunkResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AnswerChunk'] = ResolversParentTypes['AnswerChunk']> = {
  citations?: Resolver<Maybe<Array<ResolversTypes['Citation']>>, ParentType, ContextType>;
  done?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  usage?: Resolver<Maybe<ResolversTypes['Usage']>, ParentType, ContextType>;
};

export type AuditCheckResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuditCheck'] = ResolversParentTypes['AuditCheck']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  passed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type AuditCountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuditCount'] = ResolversParentTypes['AuditCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  table?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AuditKeyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuditKey'] = ResolversParentTypes['AuditKey']> = {
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
  recordsMissingFloor?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopeFloor?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
};

export type AuditTableResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuditTable'] = ResolversParentTypes['AuditTable']> = {
  definition?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  matches?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CallerResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Caller'] = ResolversParentTypes['Caller']> = {
  access?: Resolver<Maybe<ResolversTypes['Access']>, ParentType, ContextType>;
  contextId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  keyName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['CallerKind'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  scopeFloor?: Resolver<Maybe<ResolversTypes['Scope']>, ParentType, ContextType>;
};

export type ChunkingResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Chunking'] = ResolversParentTypes['Chunking']> = {
  overlap?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CitationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Citation'] = ResolversParentTypes['Citation']> = {
  chunk?: Resolver<Maybe<ResolversTypes['DocumentChunk']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['RecallHitKind'], ParentType, ContextType>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ContextResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Context'] = ResolversParentTypes['Context']> = {
  config?: Resolver<ResolversTypes['ContextConfig'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  database?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  decisionTraces?: Resolver<ResolversTypes['DecisionTraceConnection'], ParentType, ContextType, RequireFields<ContextDecisionTracesArgs, 'orderBy'>>;
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType, RequireFields<ContextDocumentArgs, 'id'>>;
  documents?: Resolver<ResolversTypes['DocumentConnection'], ParentType, ContextType, RequireFields<ContextDocumentsArgs, 'orderBy'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['Key']>, ParentType, ContextType>;
  memories?: Resolver<ResolversTypes['MemoryConnection'], ParentType, ContextType, RequireFields<ContextMemoriesArgs, 'orderBy'>>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType, RequireFields<ContextMemoryArgs, 'id'>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes['RecallResult'], ParentType, ContextType, RequireFields<ContextRecallArgs, 'mode' | 'query' | 'topK'>>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType, RequireFields<ContextSessionArgs, 'id'>>;
  sessions?: Resolver<ResolversTypes['SessionConnection'], ParentType, ContextType, RequireFields<ContextSessionsArgs, 'orderBy'>>;
  tokenUsage?: Resolver<Array<ResolversTypes['TokenUsage']>, ParentType, ContextType, Partial<ContextTokenUsageArgs>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ContextAuthResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextAuth'] = ResolversParentTypes['ContextAuth']> = {
  access?: Resolver<ResolversTypes['Access'], ParentType, ContextType>;
  audience?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  floor?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  floorClaims?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  issuer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  jwksUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
  publicKeys?: Resolver<Array<ResolversTypes['JwtPublicKey']>, ParentType, ContextType>;
};

export type ContextConfigResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextConfig'] = ResolversParentTypes['ContextConfig']> = {
  auth?: Resolver<Maybe<ResolversTypes['ContextAuth']>, ParentType, ContextType>;
  chunking?: Resolver<ResolversTypes['Chunking'], ParentType, ContextType>;
  models?: Resolver<ResolversTypes['Models'], ParentType, ContextType>;
  ontology?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  providerUrls?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  providersConfigured?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  rateLimit?: Resolver<ResolversTypes['ContextRateLimit'], ParentType, ContextType>;
  retentionDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  retentionPolicies?: Resolver<Array<ResolversTypes['RetentionPolicy']>, ParentType, ContextType>;
  scopeTokenLimits?: Resolver<Maybe<ResolversTypes['ScopeTokenLimits']>, ParentType, ContextType>;
  tokenLimit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type ContextRateLimitResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextRateLimit'] = ResolversParentTypes['ContextRateLimit']> = {
  requestsPerMinute?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CreatedKeyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CreatedKey'] = ResolversParentTypes['CreatedKey']> = {
  key?: Resolver<ResolversTypes['Key'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DecisionTraceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DecisionTrace'] = ResolversParentTypes['DecisionTrace']> = {
  completionTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  latencyMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['TraceOutcome'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  promptTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  purpose?: Resolver<ResolversTypes['TracePurpose'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type DecisionTraceConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DecisionTraceConnection'] = ResolversParentTypes['DecisionTraceConnection']> = {
  edges?: Resolver<Array<ResolversTypes['DecisionTraceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type DecisionTraceEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DecisionTraceEdge'] = ResolversParentTypes['DecisionTraceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['DecisionTrace'], ParentType, ContextType>;
};

export type DocumentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Document'] = ResolversParentTypes['Document']> = {
  bytes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  chunkCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  chunks?: Resolver<Array<ResolversTypes['DocumentChunk']>, ParentType, ContextType>;
  contentHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  mimeType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type DocumentChunkResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DocumentChunk'] = ResolversParentTypes['DocumentChunk']> = {
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokenEnd?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokenStart?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type DocumentConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DocumentConnection'] = ResolversParentTypes['DocumentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['DocumentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type DocumentEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DocumentEdge'] = ResolversParentTypes['DocumentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Document'], ParentType, ContextType>;
};

export type ForgetResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ForgetResult'] = ResolversParentTypes['ForgetResult']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  ids?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type IssuedTokenResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IssuedToken'] = ResolversParentTypes['IssuedToken']> = {
  access?: Resolver<ResolversTypes['Access'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  scopeFloor?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type JwtPublicKeyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['JwtPublicKey'] = ResolversParentTypes['JwtPublicKey']> = {
  alg?: Resolver<ResolversTypes['JwtAlgorithm'], ParentType, ContextType>;
  jwk?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  kid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  pem?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type KeyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Key'] = ResolversParentTypes['Key']> = {
  access?: Resolver<ResolversTypes['Access'], ParentType, ContextType>;
  context?: Resolver<ResolversTypes['Context'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopeFloor?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MemoryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Memory'] = ResolversParentTypes['Memory']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  derived?: Resolver<Array<ResolversTypes['Memory']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MemoryConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MemoryConnection'] = ResolversParentTypes['MemoryConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MemoryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type MemoryEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MemoryEdge'] = ResolversParentTypes['MemoryEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Memory'], ParentType, ContextType>;
};

export type MemoryEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MemoryEvent'] = ResolversParentTypes['MemoryEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['MemoryEventKind'], ParentType, ContextType>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType>;
  memoryId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
};

export type ModelsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Models'] = ResolversParentTypes['Models']> = {
  embedding?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extraction?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  response?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addTurn?: Resolver<ResolversTypes['Turn'], ParentType, ContextType, RequireFields<MutationAddTurnArgs, 'input' | 'sessionId'>>;
  answer?: Resolver<ResolversTypes['Answer'], ParentType, ContextType, RequireFields<MutationAnswerArgs, 'input'>>;
  createContext?: Resolver<ResolversTypes['Context'], ParentType, ContextType, RequireFields<MutationCreateContextArgs, 'input'>>;
  createKey?: Resolver<ResolversTypes['CreatedKey'], ParentType, ContextType, RequireFields<MutationCreateKeyArgs, 'contextId' | 'input'>>;
  createSession?: Resolver<ResolversTypes['Session'], ParentType, ContextType, RequireFields<MutationCreateSessionArgs, 'input'>>;
  deleteContext?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteContextArgs, 'id'>>;
  deleteDocument?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteDocumentArgs, 'id'>>;
  endSession?: Resolver<ResolversTypes['Session'], ParentType, ContextType, RequireFields<MutationEndSessionArgs, 'id'>>;
  forget?: Resolver<ResolversTypes['ForgetResult'], ParentType, ContextType, RequireFields<MutationForgetArgs, 'input'>>;
  issueToken?: Resolver<ResolversTypes['IssuedToken'], ParentType, ContextType, RequireFields<MutationIssueTokenArgs, 'input'>>;
  redactScope?: Resolver<ResolversTypes['RedactionReport'], ParentType, ContextType, RequireFields<MutationRedactScopeArgs, 'contextId' | 'dryRun' | 'revokeKeys' | 'scope'>>;
  reindex?: Resolver<ResolversTypes['ReindexReport'], ParentType, ContextType, RequireFields<MutationReindexArgs, 'contextId' | 'dryRun'>>;
  remember?: Resolver<ResolversTypes['Memory'], ParentType, ContextType, RequireFields<MutationRememberArgs, 'input'>>;
  rememberMany?: Resolver<Array<ResolversTypes['Memory']>, ParentType, ContextType, RequireFields<MutationRememberManyArgs, 'input'>>;
  revokeKey?: Resolver<ResolversTypes['Key'], ParentType, ContextType, RequireFields<MutationRevokeKeyArgs, 'contextId' | 'name'>>;
  rotateKey?: Resolver<ResolversTypes['CreatedKey'], ParentType, ContextType, RequireFields<MutationRotateKeyArgs, 'contextId' | 'name'>>;
  runRetention?: Resolver<ResolversTypes['RetentionReport'], ParentType, ContextType, RequireFields<MutationRunRetentionArgs, 'contextId' | 'dryRun'>>;
  updateContext?: Resolver<ResolversTypes['Context'], ParentType, ContextType, RequireFields<MutationUpdateContextArgs, 'config' | 'id'>>;
  uploadDocument?: Resolver<ResolversTypes['UploadDocumentResult'], ParentType, ContextType, RequireFields<MutationUploadDocumentArgs, 'input'>>;
};

export type NodeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node']> = {
  __resolveType: TypeResolveFn<'Context' | 'DecisionTrace' | 'Document' | 'DocumentChunk' | 'Key' | 'Memory' | 'Session' | 'Turn', ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  context?: Resolver<Maybe<ResolversTypes['Context']>, ParentType, ContextType, RequireFields<QueryContextArgs, 'id'>>;
  contexts?: Resolver<Array<ResolversTypes['Context']>, ParentType, ContextType>;
  decisionTraces?: Resolver<ResolversTypes['DecisionTraceConnection'], ParentType, ContextType, RequireFields<QueryDecisionTracesArgs, 'orderBy'>>;
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType, RequireFields<QueryDocumentArgs, 'id'>>;
  documents?: Resolver<ResolversTypes['DocumentConnection'], ParentType, ContextType, RequireFields<QueryDocumentsArgs, 'orderBy'>>;
  keys?: Resolver<Array<ResolversTypes['Key']>, ParentType, ContextType, RequireFields<QueryKeysArgs, 'contextId'>>;
  me?: Resolver<ResolversTypes['Caller'], ParentType, ContextType>;
  memories?: Resolver<ResolversTypes['MemoryConnection'], ParentType, ContextType, RequireFields<QueryMemoriesArgs, 'orderBy'>>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType, RequireFields<QueryMemoryArgs, 'id'>>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType, RequireFields<QueryNodeArgs, 'id'>>;
  nodes?: Resolver<Array<Maybe<ResolversTypes['Node']>>, ParentType, ContextType, RequireFields<QueryNodesArgs, 'ids'>>;
  recall?: Resolver<ResolversTypes['RecallResult'], ParentType, ContextType, RequireFields<QueryRecallArgs, 'mode' | 'query' | 'topK'>>;
  scopeAudit?: Resolver<ResolversTypes['ScopeAudit'], ParentType, ContextType, RequireFields<QueryScopeAuditArgs, 'contextId' | 'dimension'>>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType, RequireFields<QuerySessionArgs, 'id'>>;
  sessions?: Resolver<ResolversTypes['SessionConnection'], ParentType, ContextType, RequireFields<QuerySessionsArgs, 'orderBy'>>;
  tokenUsage?: Resolver<Array<ResolversTypes['TokenUsage']>, ParentType, ContextType, Partial<QueryTokenUsageArgs>>;
};

export type RecallHitResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RecallHit'] = ResolversParentTypes['RecallHit']> = {
  chunk?: Resolver<Maybe<ResolversTypes['DocumentChunk']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['RecallHitKind'], ParentType, ContextType>;
  matchedBy?: Resolver<Array<ResolversTypes['RecallTier']>, ParentType, ContextType>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RecallResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RecallResult'] = ResolversParentTypes['RecallResult']> = {
  hits?: Resolver<Array<ResolversTypes['RecallHit']>, ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['RecallMode'], ParentType, ContextType>;
  tookMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type RedactionReportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RedactionReport'] = ResolversParentTypes['RedactionReport']> = {
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  counts?: Resolver<Array<ResolversTypes['TableCount']>, ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  remaining?: Resolver<Array<ResolversTypes['TableCount']>, ParentType, ContextType>;
  revokedKeys?: Resolver<Array<ResolversTypes['Key']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  verified?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ReindexReportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReindexReport'] = ResolversParentTypes['ReindexReport']> = {
  analyzer?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  counts?: Resolver<Array<ResolversTypes['TableCount']>, ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RetentionPolicyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RetentionPolicy'] = ResolversParentTypes['RetentionPolicy']> = {
  days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
};

export type RetentionReportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RetentionReport'] = ResolversParentTypes['RetentionReport']> = {
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  counts?: Resolver<Array<ResolversTypes['TableCount']>, ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export interface ScopeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Scope'], any> {
  name: 'Scope';
}

export type ScopeAuditResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ScopeAudit'] = ResolversParentTypes['ScopeAudit']> = {
  checks?: Resolver<Array<ResolversTypes['AuditCheck']>, ParentType, ContextType>;
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  counts?: Resolver<Array<ResolversTypes['AuditCount']>, ParentType, ContextType>;
  dimension?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  generatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  json?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['AuditKey']>, ParentType, ContextType>;
  markdown?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  passed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  tables?: Resolver<Array<ResolversTypes['AuditTable']>, ParentType, ContextType>;
};

export type ScopeTokenLimitsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ScopeTokenLimits'] = ResolversParentTypes['ScopeTokenLimits']> = {
  default?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  defaultShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  dimension?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  overrides?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
};

export type SessionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Session'] = ResolversParentTypes['Session']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memories?: Resolver<Array<ResolversTypes['Memory']>, ParentType, ContextType, Partial<SessionMemoriesArgs>>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  turns?: Resolver<ResolversTypes['TurnConnection'], ParentType, ContextType, RequireFields<SessionTurnsArgs, 'orderBy'>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SessionConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SessionConnection'] = ResolversParentTypes['SessionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['SessionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type SessionEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SessionEdge'] = ResolversParentTypes['SessionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Session'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  answerStream?: SubscriptionResolver<ResolversTypes['AnswerChunk'], "answerStream", ParentType, ContextType, RequireFields<SubscriptionAnswerStreamArgs, 'input'>>;
  memoryEvents?: SubscriptionResolver<ResolversTypes['MemoryEvent'], "memoryEvents", ParentType, ContextType, Partial<SubscriptionMemoryEventsArgs>>;
  sessionTurns?: SubscriptionResolver<ResolversTypes['Turn'], "sessionTurns", ParentType, ContextType, RequireFields<SubscriptionSessionTurnsArgs, 'sessionId'>>;
};

export type TableCountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TableCount'] = ResolversParentTypes['TableCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  table?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TokenUsageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TokenUsage'] = ResolversParentTypes['TokenUsage']> = {
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  completionTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  promptTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TurnResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Turn'] = ResolversParentTypes['Turn']> = {
  content?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type TurnConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TurnConnection'] = ResolversParentTypes['TurnConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TurnEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TurnEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TurnEdge'] = ResolversParentTypes['TurnEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Turn'], ParentType, ContextType>;
};

export type UploadDocumentResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UploadDocumentResult'] = ResolversParentTypes['UploadDocumentResult']> = {
  deduplicated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  document?: Resolver<ResolversTypes['Document'], ParentType, ContextType>;
};

export type UsageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Usage'] = ResolversParentTypes['Usage']> = {
  completionTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  promptTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Answer?: AnswerResolvers<ContextType>;
  AnswerChunk?: AnswerChunkResolvers<ContextType>;
  AuditCheck?: AuditCheckResolvers<ContextType>;
  AuditCount?: AuditCountResolvers<ContextType>;
  AuditKey?: AuditKeyResolvers<ContextType>;
  AuditTable?: AuditTableResolvers<ContextType>;
  Caller?: CallerResolvers<ContextType>;
  Chunking?: ChunkingResolvers<ContextType>;
  Citation?: CitationResolvers<ContextType>;
  Context?: ContextResolvers<ContextType>;
  ContextAuth?: ContextAuthResolvers<ContextType>;
  ContextConfig?: ContextConfigResolvers<ContextType>;
  ContextRateLimit?: ContextRateLimitResolvers<ContextType>;
  CreatedKey?: CreatedKeyResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DecisionTrace?: DecisionTraceResolvers<ContextType>;
  DecisionTraceConnection?: DecisionTraceConnectionResolvers<ContextType>;
  DecisionTraceEdge?: DecisionTraceEdgeResolvers<ContextType>;
  Document?: DocumentResolvers<ContextType>;
  DocumentChunk?: DocumentChunkResolvers<ContextType>;
  DocumentConnection?: DocumentConnectionResolvers<ContextType>;
  DocumentEdge?: DocumentEdgeResolvers<ContextType>;
  ForgetResult?: ForgetResultResolvers<ContextType>;
  IssuedToken?: IssuedTokenResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  JwtPublicKey?: JwtPublicKeyResolvers<ContextType>;
  Key?: KeyResolvers<ContextType>;
  Memory?: MemoryResolvers<ContextType>;
  MemoryConnection?: MemoryConnectionResolvers<ContextType>;
  MemoryEdge?: MemoryEdgeResolvers<ContextType>;
  MemoryEvent?: MemoryEventResolvers<ContextType>;
  Models?: ModelsResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecallHit?: RecallHitResolvers<ContextType>;
  RecallResult?: RecallResultResolvers<ContextType>;
  RedactionReport?: RedactionReportResolvers<ContextType>;
  ReindexReport?: ReindexReportResolvers<ContextType>;
  RetentionPolicy?: RetentionPolicyResolvers<ContextType>;
  RetentionReport?: RetentionReportResolvers<ContextType>;
  Scope?: GraphQLScalarType;
  ScopeAudit?: ScopeAuditResolvers<ContextType>;
  ScopeTokenLimits?: ScopeTokenLimitsResolvers<ContextType>;
  Session?: SessionResolvers<ContextType>;
  SessionConnection?: SessionConnectionResolvers<ContextType>;
  SessionEdge?: SessionEdgeResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TableCount?: TableCountResolvers<ContextType>;
  TokenUsage?: TokenUsageResolvers<ContextType>;
  Turn?: TurnResolvers<ContextType>;
  TurnConnection?: TurnConnectionResolvers<ContextType>;
  TurnEdge?: TurnEdgeResolvers<ContextType>;
  UploadDocumentResult?: UploadDocumentResultResolvers<ContextType>;
  Usage?: UsageResolvers<ContextType>;
};

