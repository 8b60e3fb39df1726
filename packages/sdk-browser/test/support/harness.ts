import type { SwitchyardError } from '@switchyard/sdk-core';
import { createClient } from '../../src';
import type { BrowserClientOptions } from '../../src';
// The in-memory Switchyard server and fixtures of sdk-core's tests: one fake for both packages.
import { FakeServer } from '../../../sdk-core/test/support/fake-server';
import { sampleSnapshot } from '../../../sdk-core/test/support/fixtures';

export { FakeServer, sampleSnapshot };
export {
  booleanFlag,
  experimentFlag,
  runningExperiment,
} from '../../../sdk-core/test/support/fixtures';

let keys = 0;

/** A client key no other test used: each test gets its own part of the shared IndexedDB. */
export function freshKey(server?: FakeServer): string {
  const key = `key-${++keys}-${Math.random().toString(36).slice(2)}`;
  server?.validKeys.add(key);
  return key;
}

/**
 * A browser client (real timers, IndexedDB, page events) whose socket and fetch talk to `server`,
 * collecting its errors. Events go out 5 ms after they are tracked.
 */
export function browserClient(server: FakeServer, options: Partial<BrowserClientOptions> = {}) {
  const errors: SwitchyardError[] = [];
  const client = createClient({
    url: 'http://flags.test',
    key: 'key',
    onError: (e) => errors.push(e),
    ...options,
    events: { flushIntervalMs: 5, ...options.events },
    platform: { socket: server.socket, fetch: server.fetch, ...options.platform },
  });
  return { client, errors };
}

/** Waits for `condition`, polling (IndexedDB and the fakes settle on their own schedule). */
export async function until(condition: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
