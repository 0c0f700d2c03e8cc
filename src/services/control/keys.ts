import type { AccessLevel } from "../../domain/credentials.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../../domain/errors.js";
import type { KeyModel, PrincipalName } from "../../domain/models.js";
import { parseScope } from "../../domain/scope.js";
import type { ControlStore } from "../../db/controlStore.js";
import type { CredentialStates } from "../../db/credentialStates.js";
import type { TenantSessions } from "../../db/tenantSessions.js";
import type { Authenticator } from "../../auth/authenticator.js";
import { hashSecret, newKeyId, newKeySecret } from "../../auth/secrets.js";
import { keyGeneration } from "../../auth/browserTokens.js";
import type { ContextService } from "./contexts.js";

export interface CreateKeyArgs {
  name: string;
  principal: PrincipalName;
  scopeFloor: unknown;
  expiresAt?: string | null;
  /** What the key and the tokens it issues may do; default READ_WRITE. */
  access?: AccessLevel | null;
}
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Context keys: minted, listed, revoked and rotated by the management key. */
export class KeyService {
  constructor(
    private readonly control: ControlStore,
    private readonly contexts: ContextService,
    private readonly tenants: TenantSessions,
    private readonly auth: Authenticator,
    private readonly credentials: CredentialStates,
  ) {}

  async create(contextId: string, args: CreateKeyArgs): Promise<{ key: KeyModel; secret: string }> {
    await this.contexts.stored(contextId);
    if (!KEY_NAME.test(args.name)) throw new BadUserInputError("key name: letters, digits, _ . -, at most 64");
    const floor = parseScope(args.scopeFloor, "scopeFloor");
    if (args.expiresAt && Date.parse(args.expiresAt) <= Date.now())
      throw new BadUserInputError("expiresAt must be in the future");
    const id = newKeyId();
    const secret = newKeySecret(id);
    const key: KeyModel = {
      id,
      contextId,
      name: args.name,
      principal: args.principal,
      scopeFloor: floor,
      access: args.access ?? "READ_WRITE",
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      expiresAt: args.expiresAt ?? null,
      revokedAt: null,
    };
    const outcome = await this.control.insertKey({ ...key, hash: await hashSecret(secret) });
    if (outcome === "duplicate-name") throw new ConflictError(`key "${args.name}" already exists in this context`);
    return { key, secret };
  }

  async list(contextId: string): Promise<KeyModel[]> {
    await this.contexts.stored(contextId);
    return (await this.control.keysOfContext(contextId)).map((k) => this.present(k));
  }

  /**
   * Revokes a key: its next request is refused on every replica (the key row is read per
   * request), and no write of it commits after this returns, not even one of a request that
   * authenticated before (the credential row its write transactions check; this waits for the
   * ones in flight).
   */
  async revoke(contextId: string, name: string): Promise<KeyModel> {
    return this.changing(contextId, name, async (key) => {
      const ctx = await this.contexts.stored(contextId);
      await this.control.revokeKey(key.id);
      await this.credentials.revoke(ctx, key.id);
      await this.afterSecretChange(key.id);
      return this.present({ ...key, revokedAt: new Date().toISOString() });
    });
  }

  /**
   * New secret; the old one, and every browser token the key issued, stop working on the very
   * next request, and no write made with them commits after this returns (as for revoke).
   */
  async rotate(contextId: string, name: string): Promise<{ key: KeyModel; secret: string }> {
    return this.changing(contextId, name, async (key) => {
      const ctx = await this.contexts.stored(contextId);
      const secret = newKeySecret(key.id);
      await this.control.replaceKeyHash(key.id, await hashSecret(secret));
      await this.credentials.retire(ctx, key.id, keyGeneration(key.hash));
      await this.afterSecretChange(key.id);
      return { key: this.present(key), secret };
    });
  }

  private async active(contextId: string, name: string) {
    const key = await this.control.activeKeyByName(contextId, name);
    if (!key) throw new NotFoundError("key");
    return key;
  }

  /**
   * Runs a revocation or rotation of one key alone: concurrent changes of the same key (on this
   * process) run one after another, each reading the key as the previous one left it. So every
   * secret a rotation returns works until the next rotation, each rotation retires the generation
   * that was live, and a rotation racing a revocation either ran first or answers NOT_FOUND.
   */
  private async changing<T>(
    contextId: string,
    name: string,
    change: (key: Awaited<ReturnType<KeyService["active"]>>) => Promise<T>,
  ) {
    const { id } = await this.active(contextId, name);
    return this.control.serialized([`key-change:${id}`], async () => {
      const key = await this.active(contextId, name);
      if (key.id !== id) throw new NotFoundError("key");
      return change(key);
    });
  }

  private async afterSecretChange(keyId: string) {
    this.auth.forgetVerified();
    await this.tenants.forgetKey(keyId);
  }

  /** Never the hash: only the fields of the Key type. */
  private present(k: KeyModel & { hash?: string }): KeyModel {
    const { hash: _hash, ...rest } = k;
    const mem = this.auth.lastUsedOf(k.id);
    return { ...rest, lastUsedAt: mem && (!rest.lastUsedAt || mem > rest.lastUsedAt) ? mem : rest.lastUsedAt };
  }
}
