import * as z from 'zod';
import { NotFoundError } from '../errors';
import type { Store } from '../store/store';

/** An environment name: lower-case letters, digits and `-`. */
export const EnvironmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'an environment name is lower-case letters, digits and -');

/** The environments every new project starts with. */
export const DEFAULT_ENVIRONMENTS = ['development', 'production'] as const;

/** The project's environments, cached: they are created, never removed. */
export class Environments {
  private readonly known = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Throws a 404 unless `name` exists (asking the store when this process has not seen it). */
  async ensure(name: string): Promise<void> {
    if (this.known.has(name)) return;
    const names = await this.list();
    if (!names.includes(name)) throw new NotFoundError(`no environment '${name}'`);
  }

  async list(): Promise<string[]> {
    const names = await this.store.read((r) => r.listEnvironments());
    for (const n of names) this.known.add(n);
    return names;
  }

  /** Creates an environment (no-op when it exists). */
  async create(name: string, at: Date): Promise<void> {
    const valid = EnvironmentNameSchema.parse(name);
    await this.store.transaction((tx) => tx.insertEnvironment(valid, at.toISOString()));
    this.known.add(valid);
  }
}
