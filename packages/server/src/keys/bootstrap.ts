import type { Clock } from '../clock';
import { DEFAULT_ENVIRONMENTS } from '../service/environments';
import type { Store } from '../store/store';
import type { CreatedKey, Keys } from './keys';

const BOOTSTRAPPED = 'bootstrapped_at';

/**
 * On the first start: the default project's environments (`development`, `production`), one
 * admin key (or `adminKey`, when the operator chose one) and a server and a client key per
 * environment. Answers the keys with their secrets — the only time they exist in clear —
 * or null when the store was set up before. Safe when several instances start at once.
 */
export async function bootstrapProject(
  store: Store,
  keys: Keys,
  clock: Clock,
  adminKey?: string,
): Promise<CreatedKey[] | null> {
  return store.transaction(async (tx) => {
    if ((await tx.getMeta(BOOTSTRAPPED)) !== null) return null;
    const at = clock.now().toISOString();
    await tx.setMeta(BOOTSTRAPPED, at);
    await tx.setMeta('project', 'default');
    const created: CreatedKey[] = [
      await keys.insert(tx, 'admin', null, 'initial admin key', adminKey),
    ];
    for (const environment of DEFAULT_ENVIRONMENTS) {
      await tx.insertEnvironment(environment, at);
      created.push(await keys.insert(tx, 'server', environment, `${environment} server key`));
      created.push(await keys.insert(tx, 'client', environment, `${environment} client key`));
    }
    return created;
  });
}
