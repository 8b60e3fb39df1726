import * as z from 'zod';
import type { Clock } from '../clock';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import type { Environments } from '../service/environments';
import type { KeyKind, KeyRecord } from '../store/records';
import type { Store, StoreWriter } from '../store/store';
import { hashSecret, keyPrefix, newKeySecret, sameHash } from './key-secret';

/** Input of `POST /v1/keys`. */
export const KeyCreateSchema = z
  .strictObject({
    kind: z.enum(['admin', 'server', 'client']),
    /** Required for server and client keys; admin keys span environments. */
    environment: z.string().min(1).max(63).optional(),
    name: z.string().max(200).optional(),
  })
  .refine((k) => (k.kind === 'admin') === (k.environment === undefined), {
    path: ['environment'],
    message: 'server and client keys need an environment; admin keys take none',
  });
export type KeyCreateInput = z.input<typeof KeyCreateSchema>;

/** A key as listed: never the secret, nor its hash. */
export type KeyView = Omit<KeyRecord, 'hash'>;

/** A freshly made key with its secret, shown this once. */
export type CreatedKey = KeyView & { secret: string };

/** The smallest length of an operator-chosen admin key (`SWITCHYARD_ADMIN_KEY`). */
export const MIN_SECRET_LENGTH = 16;

export function keyView(record: KeyRecord): KeyView {
  const { hash: _hash, ...view } = record;
  return view;
}

/** API keys: created with a secret shown once, stored as hashes, verified in constant time. */
export class Keys {
  private readonly revocations = new Set<(key: KeyView) => void>();

  constructor(
    private readonly store: Store,
    private readonly environments: Environments,
    private readonly clock: Clock,
  ) {}

  /** Makes a key; `secret` lets an operator choose it (an initial admin key). */
  async create(input: KeyCreateInput, secret?: string): Promise<CreatedKey> {
    const parsed = KeyCreateSchema.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'key');
    if (parsed.data.environment !== undefined)
      await this.environments.ensure(parsed.data.environment);
    return this.store.transaction((tx) =>
      this.insert(
        tx,
        parsed.data.kind,
        parsed.data.environment ?? null,
        parsed.data.name ?? null,
        secret,
      ),
    );
  }

  /** Inserts a key inside a caller's transaction (used by the first-start bootstrap). */
  async insert(
    tx: StoreWriter,
    kind: KeyKind,
    environment: string | null,
    name: string | null,
    chosen?: string,
  ): Promise<CreatedKey> {
    if (chosen !== undefined && chosen.length < MIN_SECRET_LENGTH) {
      throw ValidationError.at(
        ['secret'],
        `a chosen key needs at least ${MIN_SECRET_LENGTH} characters`,
      );
    }
    const secret = chosen ?? newKeySecret(kind);
    const record: KeyRecord = {
      id: newId('Key'),
      prefix: keyPrefix(secret),
      kind,
      environment,
      hash: hashSecret(secret),
      name,
      createdAt: this.clock.now().toISOString(),
      revokedAt: null,
    };
    await tx.insertKey(record);
    return { ...keyView(record), secret };
  }

  /** The live key a secret belongs to, or null (unknown or revoked). */
  async verify(secret: string): Promise<KeyRecord | null> {
    if (secret.length === 0 || secret.length > 500) return null;
    const hash = hashSecret(secret);
    const candidates = await this.store.read((r) => r.keysByPrefix(keyPrefix(secret)));
    let found: KeyRecord | null = null;
    // Every candidate is compared, matched or not, so timing says nothing about which matched.
    for (const candidate of candidates) {
      if (sameHash(candidate.hash, hash) && candidate.revokedAt === null) found = candidate;
    }
    return found;
  }

  async list(): Promise<KeyView[]> {
    return (await this.store.read((r) => r.listKeys())).map(keyView);
  }

  /** Calls `listener` after each revocation made through this object (to drop cached keys). */
  onRevoke(listener: (key: KeyView) => void): () => void {
    this.revocations.add(listener);
    return () => this.revocations.delete(listener);
  }

  /** Revokes a key; the last live admin key cannot be revoked (nobody could manage then). */
  async revoke(id: string): Promise<KeyView> {
    const revoked = await this.store.transaction(async (tx) => {
      const keys = await tx.listKeys();
      const key = keys.find((k) => k.id === id);
      if (!key) throw new NotFoundError(`no key '${id}'`);
      if (key.revokedAt !== null)
        throw new ConflictError(`key ${id} is already revoked`, 'revoked');
      const liveAdmins = keys.filter((k) => k.kind === 'admin' && k.revokedAt === null);
      if (key.kind === 'admin' && liveAdmins.length === 1) {
        throw new ConflictError(
          'cannot revoke the last admin key; create another first',
          'last_admin_key',
        );
      }
      const at = this.clock.now().toISOString();
      await tx.revokeKey(id, at);
      return keyView({ ...key, revokedAt: at });
    });
    for (const listener of this.revocations) listener(revoked);
    return revoked;
  }
}
