import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContextModel, KeyModel, SessionModel, MemoryModel, TurnModel, DocumentModel, ChunkModel, DecisionTraceModel } from '../domain/models.js';
import type { RecallHitModel } from '../services/tenant/retrieval.js';
import type { MemoryEventModel } from '../services/tenant/live.js';
import type { AnswerChunkModel } from '../services/tenant/answers.js';
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
  /** ISO-8601 timestamp. */
  DateTime: { input: string; output: string; }
  JSON: { input: unknown; output: unknown; }
  /** A scope: a map of dimension to value, e.g. {org: "alpha", user: "bob"}. */
  Scope: { input: Readonly<Record<string, string>>; output: Readonly<Record<string, string>>; }
};

/** What a credential may do with tenant data. */
export type Access =
  /** Read and recall only: every write, forget, upload, session change and answer is FORBIDDEN. */
  | 'READ'
  /** Read and write, within the floor and the principal's rules. */
  | 'READ_WRITE';

export type AddTurnInput = {
  content: Scalars['String']['input'];
  role: Role;
};

export type Answer = {
  __typename?: 'Answer';
  citations: Array<Citation>;
  text: Scalars['String']['output'];
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

/** sessionId: the question and the answer are recorded as turns of this session (your own). */
export type AnswerInput = {
  contextId?: InputMaybe<Scalars['ID']['input']>;
  question: Scalars['String']['input'];
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};

export type AuditCheck = {
  __typename?: 'AuditCheck';
  count: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  passed: Scalars['Boolean']['output'];
};

export type AuditCount = {
  __typename?: 'AuditCount';
  count: Scalars['Int']['output'];
  table: Scalars['String']['output'];
  value?: Maybe<Scalars['String']['output']>;
};

export type AuditKey = {
  __typename?: 'AuditKey';
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  principal: Principal;
  /** Records this key wrote that do not carry every tag of its floor (must be 0). */
  recordsMissingFloor: Scalars['Int']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopeFloor: Scalars['Scope']['output'];
};

export type AuditTable = {
  __typename?: 'AuditTable';
  /** As read back from the database. */
  definition: Scalars['String']['output'];
  /** As the migrations define it. */
  expected: Scalars['String']['output'];
  matches: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
};

/** Who is calling: the management key or a context key. */
export type Caller = {
  __typename?: 'Caller';
  /** What this credential may do (null for the management key). */
  access?: Maybe<Access>;
  contextId?: Maybe<Scalars['ID']['output']>;
  /** When this credential stops being accepted; null when only revocation ends it. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  keyName?: Maybe<Scalars['String']['output']>;
  kind: CallerKind;
  principal?: Maybe<Principal>;
  scopeFloor?: Maybe<Scalars['Scope']['output']>;
};

export type CallerKind =
  | 'CONTEXT_KEY'
  /** A JWT of an identity provider the Context trusts (`config.auth`), mapped to a floor by its claims. */
  | 'JWT'
  | 'MANAGEMENT'
  /** A browser token (`sgt_…`) issued by a context key: its floor narrowed, its access at most the key's. */
  | 'TOKEN';

export type Chunking = {
  __typename?: 'Chunking';
  overlap: Scalars['Int']['output'];
  size: Scalars['Int']['output'];
};

export type ChunkingInput = {
  overlap?: InputMaybe<Scalars['Int']['input']>;
  size?: InputMaybe<Scalars['Int']['input']>;
};

export type Citation = {
  __typename?: 'Citation';
  chunk?: Maybe<DocumentChunk>;
  kind: RecallHitKind;
  memory?: Maybe<Memory>;
  score: Scalars['Float']['output'];
};

export type Context = {
  __typename?: 'Context';
  config: ContextConfig;
  createdAt: Scalars['DateTime']['output'];
  database: Scalars['String']['output'];
  decisionTraces: DecisionTraceConnection;
  document?: Maybe<Document>;
  documents: DocumentConnection;
  id: Scalars['ID']['output'];
  keys: Array<Key>;
  memories: MemoryConnection;
  memory?: Maybe<Memory>;
  namespace: Scalars['String']['output'];
  recall: RecallResult;
  session?: Maybe<Session>;
  sessions: SessionConnection;
  tokenUsage: Array<TokenUsage>;
};


export type ContextDecisionTracesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DecisionTraceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type ContextDocumentArgs = {
  id: Scalars['ID']['input'];
};


export type ContextDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


export type ContextMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


export type ContextMemoryArgs = {
  id: Scalars['ID']['input'];
};


export type ContextRecallArgs = {
  mode?: InputMaybe<RecallMode>;
  query: Scalars['String']['input'];
  recencyHalfLifeDays?: InputMaybe<Scalars['Float']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};


export type ContextSessionArgs = {
  id: Scalars['ID']['input'];
};


export type ContextSessionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


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

export type ContextConfig = {
  __typename?: 'ContextConfig';
  /** The identity provider whose JWTs this Context accepts (README: Credentials); null = none. */
  auth?: Maybe<ContextAuth>;
  chunking: Chunking;
  models: Models;
  ontology?: Maybe<Scalars['JSON']['output']>;
  /** Provider name → base URL of an OpenAI-compatible API, e.g. {openai: "http://127.0.0.1:8080/v1"}. */
  providerUrls: Scalars['JSON']['output'];
  /** Names of providers whose secret is set; secrets are write-only. */
  providersConfigured: Array<Scalars['String']['output']>;
  /** The Context-wide request rate limit (each key also has its own, SCOPEGATE_RATE_LIMIT_PER_MINUTE). */
  rateLimit: ContextRateLimit;
  retentionDays?: Maybe<Scalars['Int']['output']>;
  retentionPolicies: Array<RetentionPolicy>;
  scopeTokenLimits?: Maybe<ScopeTokenLimits>;
  /** Tokens per calendar month (UTC) for the whole Context; null = unlimited. */
  tokenLimit?: Maybe<Scalars['Int']['output']>;
};

export type ContextConfigInput = {
  /** Trust an identity provider's JWTs; null removes the trust. */
  auth?: InputMaybe<ContextAuthInput>;
  chunking?: InputMaybe<ChunkingInput>;
  models?: InputMaybe<ModelsInput>;
  ontology?: InputMaybe<Scalars['JSON']['input']>;
  /** Provider name → base URL of an OpenAI-compatible API (default for openai: https://api.openai.com/v1). */
  providerUrls?: InputMaybe<Scalars['JSON']['input']>;
  /** Provider name to secret, e.g. {openai: "sk-..."}. Write-only. */
  providers?: InputMaybe<Scalars['JSON']['input']>;
  /** The Context-wide request rate limit; null restores the default (600 per minute). */
  rateLimit?: InputMaybe<ContextRateLimitInput>;
  retentionDays?: InputMaybe<Scalars['Int']['input']>;
  retentionPolicies?: InputMaybe<Array<RetentionPolicyInput>>;
  scopeTokenLimits?: InputMaybe<ScopeTokenLimitsInput>;
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

export type CreateContextInput = {
  config?: InputMaybe<ContextConfigInput>;
  database: Scalars['String']['input'];
  id: Scalars['ID']['input'];
  namespace: Scalars['String']['input'];
};

export type CreateKeyInput = {
  /** What the key, and every token it issues, may do. Default READ_WRITE. */
  access?: InputMaybe<Access>;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
  principal: Principal;
  scopeFloor: Scalars['Scope']['input'];
};

export type CreateSessionInput = {
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};

export type CreatedKey = {
  __typename?: 'CreatedKey';
  key: Key;
  /** Shown once; only a hash is stored. */
  secret: Scalars['String']['output'];
};

/** One LLM call: who, at which scope, which model, what it cost. */
export type DecisionTrace = {
  __typename?: 'DecisionTrace';
  completionTokens: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  keyId?: Maybe<Scalars['ID']['output']>;
  latencyMs: Scalars['Int']['output'];
  model: Scalars['String']['output'];
  outcome: TraceOutcome;
  principal?: Maybe<Scalars['String']['output']>;
  promptTokens: Scalars['Int']['output'];
  purpose: TracePurpose;
  scope: Scalars['Scope']['output'];
  session?: Maybe<Session>;
  totalTokens: Scalars['Int']['output'];
};

export type DecisionTraceConnection = {
  __typename?: 'DecisionTraceConnection';
  edges: Array<DecisionTraceEdge>;
  pageInfo: PageInfo;
};

export type DecisionTraceEdge = {
  __typename?: 'DecisionTraceEdge';
  cursor: Scalars['String']['output'];
  node: DecisionTrace;
};

export type DecisionTraceFilter = {
  model?: InputMaybe<Scalars['String']['input']>;
  outcome?: InputMaybe<TraceOutcome>;
  purpose?: InputMaybe<TracePurpose>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Document = {
  __typename?: 'Document';
  bytes: Scalars['Int']['output'];
  chunkCount: Scalars['Int']['output'];
  chunks: Array<DocumentChunk>;
  /** SHA-256 of mimeType and content; identical content in the same scope is stored once. */
  contentHash: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  metadata?: Maybe<Scalars['JSON']['output']>;
  mimeType: Scalars['String']['output'];
  scope: Scalars['Scope']['output'];
  title: Scalars['String']['output'];
  tokens: Scalars['Int']['output'];
};

export type DocumentChunk = {
  __typename?: 'DocumentChunk';
  document?: Maybe<Document>;
  id: Scalars['ID']['output'];
  /** 0-based position of this chunk in its document. */
  position: Scalars['Int']['output'];
  scope: Scalars['Scope']['output'];
  text: Scalars['String']['output'];
  tokenEnd: Scalars['Int']['output'];
  /** Token offsets of this chunk in the document's text (o200k tokenizer). */
  tokenStart: Scalars['Int']['output'];
};

export type DocumentConnection = {
  __typename?: 'DocumentConnection';
  edges: Array<DocumentEdge>;
  pageInfo: PageInfo;
};

export type DocumentEdge = {
  __typename?: 'DocumentEdge';
  cursor: Scalars['String']['output'];
  node: Document;
};

/**
 * Exactly one of ids (records the caller may delete), scope (everything at or under that scope
 * inside the caller's floor; agents only their own records) or query (the best `limit` lexical
 * recall matches, i.e. memories sharing a term with the query, among those the caller may delete).
 */
export type ForgetInput = {
  contextId?: InputMaybe<Scalars['ID']['input']>;
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  query?: InputMaybe<Scalars['String']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};

/** What forget removed, or would remove when dryRun is true. */
export type ForgetResult = {
  __typename?: 'ForgetResult';
  count: Scalars['Int']['output'];
  dryRun: Scalars['Boolean']['output'];
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

export type Key = {
  __typename?: 'Key';
  /** What the key, and every token it issues, may do. */
  access: Access;
  context: Context;
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  principal: Principal;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopeFloor: Scalars['Scope']['output'];
};

export type Memory = {
  __typename?: 'Memory';
  createdAt: Scalars['DateTime']['output'];
  /** Facts extracted from this memory. */
  derived: Array<Memory>;
  id: Scalars['ID']['output'];
  metadata?: Maybe<Scalars['JSON']['output']>;
  scope: Scalars['Scope']['output'];
  session?: Maybe<Session>;
  /** The memory this fact was extracted from (remember with infer: true). */
  source?: Maybe<Memory>;
  text: Scalars['String']['output'];
};

export type MemoryConnection = {
  __typename?: 'MemoryConnection';
  edges: Array<MemoryEdge>;
  pageInfo: PageInfo;
};

export type MemoryEdge = {
  __typename?: 'MemoryEdge';
  cursor: Scalars['String']['output'];
  node: Memory;
};

/** A memory that was created or forgotten, as `memoryEvents` reports it. */
export type MemoryEvent = {
  __typename?: 'MemoryEvent';
  /** The memory's id (for FORGOTTEN: the id it had). */
  id: Scalars['ID']['output'];
  /** Whether the memory was created or forgotten. */
  kind: MemoryEventKind;
  /** The memory as created; null for FORGOTTEN. */
  memory?: Maybe<Memory>;
  /** The memory's scope. */
  scope: Scalars['Scope']['output'];
};

/** What happened to a memory. */
export type MemoryEventKind =
  /** The memory was stored (remember, rememberMany, an answer's extracted facts). */
  | 'CREATED'
  /** The memory was deleted (forget, retention, redaction). */
  | 'FORGOTTEN';

export type Models = {
  __typename?: 'Models';
  embedding: Scalars['String']['output'];
  extraction: Scalars['String']['output'];
  response: Scalars['String']['output'];
};

export type ModelsInput = {
  embedding?: InputMaybe<Scalars['String']['input']>;
  extraction?: InputMaybe<Scalars['String']['input']>;
  response?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  addTurn: Turn;
  /** Recall within the floor, then the Context's response model. TOKEN_LIMIT_EXCEEDED when the budget does not cover it. */
  answer: Answer;
  createContext: Context;
  createKey: CreatedKey;
  createSession: Session;
  deleteContext: Scalars['Boolean']['output'];
  /** Deletes the document and all its chunks. */
  deleteDocument: Scalars['Boolean']['output'];
  endSession: Session;
  forget: ForgetResult;
  /** A short-lived token for a browser, within this context key's floor and access. Context keys only: tokens and external JWTs cannot issue tokens. */
  issueToken: IssuedToken;
  /** Removes every record at or under `scope` in every tenant table in one transaction; past usage stays as rollups. */
  redactScope: RedactionReport;
  /** Re-analyzes rows indexed by an older analyzer and re-embeds rows whose stored vector was made by another model than models.embedding (remote embeddings are traced and budgeted at each row's scope). */
  reindex: ReindexReport;
  remember: Memory;
  rememberMany: Array<Memory>;
  revokeKey: Key;
  rotateKey: CreatedKey;
  /** Deletes records older than the Context's retention (retentionDays, retentionPolicies) now. */
  runRetention: RetentionReport;
  updateContext: Context;
  uploadDocument: UploadDocumentResult;
};


export type MutationAddTurnArgs = {
  input: AddTurnInput;
  sessionId: Scalars['ID']['input'];
};


export type MutationAnswerArgs = {
  input: AnswerInput;
};


export type MutationCreateContextArgs = {
  input: CreateContextInput;
};


export type MutationCreateKeyArgs = {
  contextId: Scalars['ID']['input'];
  input: CreateKeyInput;
};


export type MutationCreateSessionArgs = {
  input: CreateSessionInput;
};


export type MutationDeleteContextArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteDocumentArgs = {
  contextId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationEndSessionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationForgetArgs = {
  input: ForgetInput;
};


export type MutationIssueTokenArgs = {
  input: IssueTokenInput;
};


export type MutationRedactScopeArgs = {
  contextId: Scalars['ID']['input'];
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  revokeKeys?: InputMaybe<Scalars['Boolean']['input']>;
  scope: Scalars['Scope']['input'];
};


export type MutationReindexArgs = {
  contextId: Scalars['ID']['input'];
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationRememberArgs = {
  input: RememberInput;
};


export type MutationRememberManyArgs = {
  input: RememberManyInput;
};


export type MutationRevokeKeyArgs = {
  contextId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRotateKeyArgs = {
  contextId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRunRetentionArgs = {
  contextId: Scalars['ID']['input'];
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationUpdateContextArgs = {
  config: ContextConfigInput;
  id: Scalars['ID']['input'];
};


export type MutationUploadDocumentArgs = {
  input: UploadDocumentInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Principal =
  | 'AGENT'
  | 'SUPERVISOR';

export type Query = {
  __typename?: 'Query';
  context?: Maybe<Context>;
  contexts: Array<Context>;
  decisionTraces: DecisionTraceConnection;
  document?: Maybe<Document>;
  documents: DocumentConnection;
  keys: Array<Key>;
  me: Caller;
  memories: MemoryConnection;
  memory?: Maybe<Memory>;
  /** Recall within the caller's floor. topK is capped (default cap 50). */
  recall: RecallResult;
  /** A report for an auditor: permissions read back and compared, keys, record counts per dimension, checks that must all be 0. */
  scopeAudit: ScopeAudit;
  session?: Maybe<Session>;
  sessions: SessionConnection;
  /** Token usage from decision traces, summed per scope (projected onto groupBy dimensions when given) and model. */
  tokenUsage: Array<TokenUsage>;
};


export type QueryContextArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDecisionTracesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DecisionTraceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDocumentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


export type QueryKeysArgs = {
  contextId: Scalars['ID']['input'];
};


export type QueryMemoriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


export type QueryMemoryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRecallArgs = {
  mode?: InputMaybe<RecallMode>;
  query: Scalars['String']['input'];
  recencyHalfLifeDays?: InputMaybe<Scalars['Float']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  topK?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryScopeAuditArgs = {
  contextId: Scalars['ID']['input'];
  dimension?: InputMaybe<Scalars['String']['input']>;
};


export type QuerySessionArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySessionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
};


export type QueryTokenUsageArgs = {
  groupBy?: InputMaybe<Array<Scalars['String']['input']>>;
  model?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

export type RecallHit = {
  __typename?: 'RecallHit';
  /** Set when kind is CHUNK: a piece of a document, citing the document and its position. */
  chunk?: Maybe<DocumentChunk>;
  kind: RecallHitKind;
  /** The tiers that ranked this hit. */
  matchedBy: Array<RecallTier>;
  /** Set when kind is MEMORY. */
  memory?: Maybe<Memory>;
  score: Scalars['Float']['output'];
  /** The recalled text (the memory's or the chunk's). */
  text: Scalars['String']['output'];
};

export type RecallHitKind =
  | 'CHUNK'
  | 'MEMORY';

export type RecallMode =
  /** Lexical and vector tiers, each normalised per query and added with equal weights, with conversation context (neighbouring turns of a session lend a share of their score). */
  | 'HYBRID'
  /** BM25 over the caller's visible memories and document chunks. */
  | 'LEXICAL'
  /** Cosine similarity of the Context's embedding model. */
  | 'VECTOR';

export type RecallResult = {
  __typename?: 'RecallResult';
  hits: Array<RecallHit>;
  mode: RecallMode;
  tookMs: Scalars['Float']['output'];
};

export type RecallTier =
  | 'LEXICAL'
  | 'VECTOR';

export type RedactionReport = {
  __typename?: 'RedactionReport';
  contextId: Scalars['ID']['output'];
  /** Records removed per table (dry run: that would be removed). */
  counts: Array<TableCount>;
  dryRun: Scalars['Boolean']['output'];
  /** Records still at or under the scope after the redaction (all 0 when verified). */
  remaining: Array<TableCount>;
  revokedKeys: Array<Key>;
  scope: Scalars['Scope']['output'];
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
 * contextId is for the management key only; a context key always acts in its own Context.
 * infer: run the Context's extraction model and also store the facts it finds, linked to this
 * memory (Memory.derived / Memory.source). It is an LLM call: traced and budgeted.
 */
export type RememberInput = {
  contextId?: InputMaybe<Scalars['ID']['input']>;
  infer?: InputMaybe<Scalars['Boolean']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  text: Scalars['String']['input'];
};

export type RememberItemInput = {
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Overrides the call's scope for this item. */
  scope?: InputMaybe<Scalars['Scope']['input']>;
  text: Scalars['String']['input'];
};

/** Stored in one transaction: every item or none. */
export type RememberManyInput = {
  contextId?: InputMaybe<Scalars['ID']['input']>;
  items: Array<RememberItemInput>;
  scope?: InputMaybe<Scalars['Scope']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
};

/** Records at or under `scope` expire after `days`; the most specific matching policy wins over retentionDays. */
export type RetentionPolicy = {
  __typename?: 'RetentionPolicy';
  days: Scalars['Int']['output'];
  scope: Scalars['Scope']['output'];
};

export type RetentionPolicyInput = {
  days: Scalars['Int']['input'];
  scope: Scalars['Scope']['input'];
};

export type RetentionReport = {
  __typename?: 'RetentionReport';
  contextId: Scalars['ID']['output'];
  /** Records deleted (or, for a dry run, that would be). */
  counts: Array<TableCount>;
  dryRun: Scalars['Boolean']['output'];
};

export type Role =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

export type ScopeAudit = {
  __typename?: 'ScopeAudit';
  checks: Array<AuditCheck>;
  contextId: Scalars['ID']['output'];
  counts: Array<AuditCount>;
  dimension: Scalars['String']['output'];
  generatedAt: Scalars['DateTime']['output'];
  /** The whole report as JSON. */
  json: Scalars['JSON']['output'];
  keys: Array<AuditKey>;
  /** The whole report as Markdown, for printing. */
  markdown: Scalars['String']['output'];
  /** True when every check is 0. */
  passed: Scalars['Boolean']['output'];
  tables: Array<AuditTable>;
};

/** Monthly token budgets per value of one scope dimension in a shared Context, e.g. per org. */
export type ScopeTokenLimits = {
  __typename?: 'ScopeTokenLimits';
  default?: Maybe<Scalars['Int']['output']>;
  /**
   * Fraction (> 0, ≤ 1) of the Context-wide tokenLimit that each value of `dimension` may use per month
   * when neither `overrides` nor `default` gives it a limit; null = none. E.g. 0.1 with tokenLimit
   * 1000000: each org may use 100000 tokens a month. No effect while tokenLimit is null.
   */
  defaultShare?: Maybe<Scalars['Float']['output']>;
  dimension: Scalars['String']['output'];
  /** Value → limit, e.g. {alpha: 500000}. */
  overrides: Scalars['JSON']['output'];
};

export type ScopeTokenLimitsInput = {
  default?: InputMaybe<Scalars['Int']['input']>;
  /** Fraction (> 0, ≤ 1) of tokenLimit per dimension value without an override or default. */
  defaultShare?: InputMaybe<Scalars['Float']['input']>;
  dimension: Scalars['String']['input'];
  overrides?: InputMaybe<Scalars['JSON']['input']>;
};

export type Session = {
  __typename?: 'Session';
  createdAt: Scalars['DateTime']['output'];
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  memories: Array<Memory>;
  metadata?: Maybe<Scalars['JSON']['output']>;
  scope: Scalars['Scope']['output'];
  turns: TurnConnection;
};


export type SessionMemoriesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type SessionTurnsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type SessionConnection = {
  __typename?: 'SessionConnection';
  edges: Array<SessionEdge>;
  pageInfo: PageInfo;
};

export type SessionEdge = {
  __typename?: 'SessionEdge';
  cursor: Scalars['String']['output'];
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

export type TableCount = {
  __typename?: 'TableCount';
  count: Scalars['Int']['output'];
  table: Scalars['String']['output'];
};

export type TokenUsage = {
  __typename?: 'TokenUsage';
  calls: Scalars['Int']['output'];
  completionTokens: Scalars['Int']['output'];
  model?: Maybe<Scalars['String']['output']>;
  promptTokens: Scalars['Int']['output'];
  scope: Scalars['Scope']['output'];
  totalTokens: Scalars['Int']['output'];
};

export type TraceOutcome =
  | 'ERROR'
  | 'SUCCESS';

export type TracePurpose =
  | 'EMBEDDING'
  | 'EXTRACTION'
  | 'RESPONSE';

export type Turn = {
  __typename?: 'Turn';
  content: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  role: Role;
  seq: Scalars['Int']['output'];
};

export type TurnConnection = {
  __typename?: 'TurnConnection';
  edges: Array<TurnEdge>;
  pageInfo: PageInfo;
};

export type TurnEdge = {
  __typename?: 'TurnEdge';
  cursor: Scalars['String']['output'];
  node: Turn;
};

/** mimeType: text/plain, text/markdown, application/json or text/html. */
export type UploadDocumentInput = {
  content: Scalars['String']['input'];
  contextId?: InputMaybe<Scalars['ID']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  mimeType: Scalars['String']['input'];
  scope?: InputMaybe<Scalars['Scope']['input']>;
  title: Scalars['String']['input'];
};

export type UploadDocumentResult = {
  __typename?: 'UploadDocumentResult';
  /** True when this content was already stored in this scope. */
  deduplicated: Scalars['Boolean']['output'];
  document: Document;
};

export type Usage = {
  __typename?: 'Usage';
  completionTokens: Scalars['Int']['output'];
  model: Scalars['String']['output'];
  promptTokens: Scalars['Int']['output'];
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
  Memory: ResolverTypeWrapper<MemoryModel>;
  MemoryConnection: ResolverTypeWrapper<Omit<MemoryConnection, 'edges'> & { edges: Array<ResolversTypes['MemoryEdge']> }>;
  MemoryEdge: ResolverTypeWrapper<Omit<MemoryEdge, 'node'> & { node: ResolversTypes['Memory'] }>;
  MemoryEvent: ResolverTypeWrapper<MemoryEventModel>;
  MemoryEventKind: MemoryEventKind;
  Models: ResolverTypeWrapper<Models>;
  ModelsInput: ModelsInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
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
  TurnConnection: ResolverTypeWrapper<Omit<TurnConnection, 'edges'> & { edges: Array<ResolversTypes['TurnEdge']> }>;
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
  Memory: MemoryModel;
  MemoryConnection: Omit<MemoryConnection, 'edges'> & { edges: Array<ResolversParentTypes['MemoryEdge']> };
  MemoryEdge: Omit<MemoryEdge, 'node'> & { node: ResolversParentTypes['Memory'] };
  MemoryEvent: MemoryEventModel;
  Models: Models;
  ModelsInput: ModelsInput;
  Mutation: Record<PropertyKey, never>;
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
  TurnConnection: Omit<TurnConnection, 'edges'> & { edges: Array<ResolversParentTypes['TurnEdge']> };
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
  decisionTraces?: Resolver<ResolversTypes['DecisionTraceConnection'], ParentType, ContextType, Partial<ContextDecisionTracesArgs>>;
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType, RequireFields<ContextDocumentArgs, 'id'>>;
  documents?: Resolver<ResolversTypes['DocumentConnection'], ParentType, ContextType, Partial<ContextDocumentsArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keys?: Resolver<Array<ResolversTypes['Key']>, ParentType, ContextType>;
  memories?: Resolver<ResolversTypes['MemoryConnection'], ParentType, ContextType, Partial<ContextMemoriesArgs>>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType, RequireFields<ContextMemoryArgs, 'id'>>;
  namespace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes['RecallResult'], ParentType, ContextType, RequireFields<ContextRecallArgs, 'mode' | 'query' | 'topK'>>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType, RequireFields<ContextSessionArgs, 'id'>>;
  sessions?: Resolver<ResolversTypes['SessionConnection'], ParentType, ContextType, Partial<ContextSessionsArgs>>;
  tokenUsage?: Resolver<Array<ResolversTypes['TokenUsage']>, ParentType, ContextType, Partial<ContextTokenUsageArgs>>;
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
};

export type DocumentChunkResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DocumentChunk'] = ResolversParentTypes['DocumentChunk']> = {
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokenEnd?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokenStart?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopeFloor?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
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

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  context?: Resolver<Maybe<ResolversTypes['Context']>, ParentType, ContextType, RequireFields<QueryContextArgs, 'id'>>;
  contexts?: Resolver<Array<ResolversTypes['Context']>, ParentType, ContextType>;
  decisionTraces?: Resolver<ResolversTypes['DecisionTraceConnection'], ParentType, ContextType, Partial<QueryDecisionTracesArgs>>;
  document?: Resolver<Maybe<ResolversTypes['Document']>, ParentType, ContextType, RequireFields<QueryDocumentArgs, 'id'>>;
  documents?: Resolver<ResolversTypes['DocumentConnection'], ParentType, ContextType, Partial<QueryDocumentsArgs>>;
  keys?: Resolver<Array<ResolversTypes['Key']>, ParentType, ContextType, RequireFields<QueryKeysArgs, 'contextId'>>;
  me?: Resolver<ResolversTypes['Caller'], ParentType, ContextType>;
  memories?: Resolver<ResolversTypes['MemoryConnection'], ParentType, ContextType, Partial<QueryMemoriesArgs>>;
  memory?: Resolver<Maybe<ResolversTypes['Memory']>, ParentType, ContextType, RequireFields<QueryMemoryArgs, 'id'>>;
  recall?: Resolver<ResolversTypes['RecallResult'], ParentType, ContextType, RequireFields<QueryRecallArgs, 'mode' | 'query' | 'topK'>>;
  scopeAudit?: Resolver<ResolversTypes['ScopeAudit'], ParentType, ContextType, RequireFields<QueryScopeAuditArgs, 'contextId' | 'dimension'>>;
  session?: Resolver<Maybe<ResolversTypes['Session']>, ParentType, ContextType, RequireFields<QuerySessionArgs, 'id'>>;
  sessions?: Resolver<ResolversTypes['SessionConnection'], ParentType, ContextType, Partial<QuerySessionsArgs>>;
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
  turns?: Resolver<ResolversTypes['TurnConnection'], ParentType, ContextType, Partial<SessionTurnsArgs>>;
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
};

export type TurnConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TurnConnection'] = ResolversParentTypes['TurnConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TurnEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
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

