/**
 * The world a fuzz run acts in: tenants in both tenancy patterns, their keys, canaries and the
 * management key's shared `{}` knowledge, provisioned over HTTP and entered into the model.
 */
import { createKey, MANAGEMENT_KEY, type TestGateway } from "../harness.js";
import type { OpContext } from "./context.js";
import { MANAGEMENT, type Key, type Model, type Principal, type Tenant } from "./model.js";
import type { Prng } from "./prng.js";

export const SHARED_CONTEXT = "platform-prod";

interface TenantSpec {
  name: string;
  org: string;
  contextId: string;
  pattern: "shared" | "separate";
}

/**
 * Pattern 2 (one shared Context, floors {org}) and pattern 1 (a Context each, also floored {org}).
 * "acmé" is spelled in NFC (its NFD spelling is refused: see UNICODE_PROBES); "globex" exists in
 * both patterns.
 */
const TENANTS: readonly TenantSpec[] = [
  { name: "acme", org: "acm\u00e9", contextId: SHARED_CONTEXT, pattern: "shared" },
  { name: "hooli", org: "hooli", contextId: SHARED_CONTEXT, pattern: "shared" },
  { name: "globex", org: "globex", contextId: SHARED_CONTEXT, pattern: "shared" },
  { name: "initech", org: "initech", contextId: SHARED_CONTEXT, pattern: "shared" },
  { name: "umbrella", org: "umbrella", contextId: "tenant-umbrella", pattern: "separate" },
  { name: "globex-own", org: "globex", contextId: "tenant-globex", pattern: "separate" },
];

/**
 * Floors that storage would alter (lone surrogates) or that would print like another tenant's
 * (the NFD spelling of "acmé"): createKey must refuse them with BAD_USER_INPUT. If the gateway
 * accepts them they become tenants like any other, so that a collapse shows up as canary leaks.
 */
const UNICODE_PROBES: readonly TenantSpec[] = [
  { name: "acme-nfd", org: "acme\u0301", contextId: SHARED_CONTEXT, pattern: "shared" },
  { name: "zeta-hi", org: "zeta\ud800", contextId: SHARED_CONTEXT, pattern: "shared" },
  { name: "zeta-lo", org: "zeta\udc00", contextId: SHARED_CONTEXT, pattern: "shared" },
];

const KEY_ROLES: ReadonlyArray<[string, Principal]> = [
  ["a1", "AGENT"],
  ["a2", "AGENT"],
  ["sup", "SUPERVISOR"],
];

/** Marker of management-written shared knowledge (never a tenant canary). */
export const SHARED_MARKER = "sharedkb";

/** Creates the Contexts, tenants, keys and shared knowledge; returns nothing, fills the model. */
export async function provisionWorld(ctx: OpContext): Promise<void> {
  const { t, model, prng } = ctx;
  const contexts = [...new Set(TENANTS.map((s) => s.contextId))];
  for (const id of contexts) {
    await ctx.manage(
      `mutation($id: ID!, $ns: String!, $db: String!) { createContext(input: { id: $id, namespace: $ns, database: $db }) { id } }`,
      id === SHARED_CONTEXT
        ? { id, ns: "platform", db: "prod" }
        : { id, ns: "tenants", db: id.replace(/^tenant-/, "") },
    );
    model.contexts.push(id);
  }
  const canaries = new Set<string>();
  for (const spec of TENANTS) await addTenant(t, model, prng, spec, canaries);
  for (const spec of UNICODE_PROBES) {
    const res = await t.request(
      MANAGEMENT_KEY,
      `mutation($c: ID!, $i: CreateKeyInput!) { createKey(contextId: $c, input: $i) { secret } }`,
      { c: spec.contextId, i: { name: `${spec.name}-a1`, principal: "AGENT", scopeFloor: { org: spec.org } } },
    );
    const code = res.body?.errors?.[0]?.extensions?.code;
    if (code === "BAD_USER_INPUT") continue;
    ctx.report(
      "invalid-scope-accepted",
      `createKey with floor {org: ${JSON.stringify(spec.org)}} answered ${code ?? "OK"}, not BAD_USER_INPUT; ` +
        `tenant ${spec.name} joins the run`,
    );
    if (code === undefined) await addTenant(t, model, prng, spec, canaries, res.body!.data.createKey.secret);
    const added = model.tenants.find((x) => x.name === spec.name);
    if (added) added.invalidFloor = true;
  }
  await writeSharedKnowledge(ctx);
}

async function addTenant(
  t: TestGateway,
  model: Model,
  prng: Prng,
  spec: TenantSpec,
  canaries: Set<string>,
  firstSecret?: string,
): Promise<void> {
  let canary = "";
  while (canary === "" || canaries.has(canary)) canary = `cnry${prng.string(4)}`;
  canaries.add(canary);
  const tenant: Tenant = { ...spec, canary, keys: [] };
  for (const [role, principal] of KEY_ROLES) {
    const floor = { org: spec.org };
    const secret =
      role === "a1" && firstSecret
        ? firstSecret
        : await createKey(t, spec.contextId, `${spec.name}-${role}`, principal, floor);
    const key: Key = { label: `${spec.name}/${role}`, secret, principal, floor, tenant, contextId: spec.contextId };
    tenant.keys.push(key);
    model.keys.push(key);
  }
  model.tenants.push(tenant);
}

/** Shared `{}` memories and a document in every Context, written by the management key. */
async function writeSharedKnowledge(ctx: OpContext): Promise<void> {
  const { model } = ctx;
  for (const contextId of model.contexts) {
    const texts =
      contextId === SHARED_CONTEXT
        ? [
            `${SHARED_MARKER} General roadmap guidance: every plan ships in spring.`,
            `${SHARED_MARKER} Tea and coffee are served at every meeting.`,
            `${SHARED_MARKER} Billing questions go to the finance desk.`,
          ]
        : [`${SHARED_MARKER} This Context's budget review happens monthly.`];
    for (const text of texts) {
      const d = await ctx.manage(`mutation($i: RememberInput!) { remember(input: $i) { id scope } }`, {
        i: { text, scope: {}, contextId },
      });
      model.memories.set(d.remember.id, {
        id: d.remember.id,
        contextId,
        scope: {},
        owner: MANAGEMENT,
        tenant: null,
        position: model.nextPosition(),
        alive: true,
        text,
        sessionId: null,
        sourceId: null,
      });
    }
    const content = `# ${SHARED_MARKER} handbook\n\nThe handbook covers travel, fruit baskets and the roadmap.\n`;
    const d = await ctx.manage(`mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { id } } }`, {
      i: { title: `${SHARED_MARKER} handbook`, content, mimeType: "text/markdown", scope: {}, contextId },
    });
    const id = d.uploadDocument.document.id;
    const chunks = await ctx.manage(
      `query($c: ID!, $id: ID!) { context(id: $c) { document(id: $id) { chunks { id } } } }`,
      { c: contextId, id },
    );
    const chunkIds: string[] = chunks.context.document.chunks.map((c: { id: string }) => c.id);
    for (const c of chunkIds) model.chunkDocument.set(c, id);
    model.documents.set(id, {
      id,
      contextId,
      scope: {},
      owner: MANAGEMENT,
      tenant: null,
      position: model.nextPosition(),
      alive: true,
      title: `${SHARED_MARKER} handbook`,
      mimeType: "text/markdown",
      content,
      chunkIds,
    });
  }
}
