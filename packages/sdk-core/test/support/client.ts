import {
  configPoller,
  httpEventPoster,
  ManualClock,
  MemoryConfigCache,
  MemoryEventQueueStorage,
  schemaDecoder,
  SwitchyardClient,
} from '../../src';
import type { ClientOptions, Platform, SwitchyardError } from '../../src';
import { FakeServer } from './fake-server';
import { sampleSnapshot } from './fixtures';
import { seededRandom } from './seeded-random';

/** A client wired to a fake server and a manual clock, collecting its errors. */
export function testClient(
  options: Partial<ClientOptions> = {},
  platform: Partial<Platform> = {},
  server = new FakeServer(sampleSnapshot()),
) {
  const clock = new ManualClock(1_700_000_000_000);
  const errors: SwitchyardError[] = [];
  const full: Platform = {
    clock,
    random: seededRandom(7),
    decoder: schemaDecoder,
    socket: server.socket,
    fetch: server.fetch,
    poller: configPoller,
    eventPoster: httpEventPoster,
    configCache: new MemoryConfigCache(),
    eventStorage: new MemoryEventQueueStorage(),
    ...platform,
  };
  const client = new SwitchyardClient(
    { url: 'http://flags.test', key: 'key', onError: (e) => errors.push(e), ...options },
    full,
  );
  return { client, server, clock: full.clock as ManualClock, errors, platform: full };
}
