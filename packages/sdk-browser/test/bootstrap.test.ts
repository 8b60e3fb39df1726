import { describe, expect, it } from 'vitest';
import { createClient } from '../src';
// What a Node server renders into the page: sdk-node's own functions (pure, no Node APIs).
import { bootstrapPayload, toScriptJson } from '../../sdk-node/src/bootstrap/bootstrap-payload';
import { booleanFlag, FakeServer, freshKey, sampleSnapshot } from './support/harness';

describe('bootstrap from the server-rendered payload', () => {
  const snapshot = sampleSnapshot(12);
  snapshot.flags['internal-tool'] = booleanFlag('internal-tool', true, { serverOnly: true });
  const context = { userId: 'visitor-7' };

  it('serves, at construction and before any network, the values the server rendered', async () => {
    // The server's client (any SwitchyardClient holding the full config will do).
    const server = createClient({ offline: true, persist: false, bootstrap: snapshot });
    const payload = bootstrapPayload(server, context)!;
    // The page carries it in a script element, escaped against `</script>`.
    document.body.innerHTML = `<script id="flags" type="application/json">${toScriptJson(payload)}</script>`;
    const fromPage = JSON.parse(document.getElementById('flags')!.textContent!);

    const fake = new FakeServer(sampleSnapshot(12));
    fake.socketDown = fake.httpDown = true;
    const key = freshKey(fake);
    const client = createClient({
      url: 'http://flags.test',
      key,
      bootstrap: fromPage,
      platform: { socket: fake.socket, fetch: fake.fetch },
    });
    expect(client.isReady).toBe(true);
    expect(client.snapshot?.version).toBe(12);
    for (const [key, rendered] of Object.entries(payload.flags!)) {
      const details = client.getDetails(key, context, rendered.value);
      expect({ value: details.value, variant: details.variant, reason: details.reason }).toEqual({
        variant: undefined,
        ...rendered,
      });
    }
    // The client view left the server-only flag out.
    expect(client.getDetails('internal-tool', context, false).errorCode).toBe('FLAG_NOT_FOUND');
    expect(client.bootstrapped).toBe(client.snapshot);
    await client.close({ timeoutMs: 0 });
  });

  it('reports a payload that holds no config and serves defaults', () => {
    const errors: string[] = [];
    const client = createClient({
      offline: true,
      persist: false,
      bootstrap: { flags: {} },
      onError: (e) => errors.push(e.code),
    });
    expect(errors).toEqual(['BAD_MESSAGE']);
    expect(client.getFlag('banner', {}, 'd')).toBe('d');
    expect(client.bootstrapped).toBeUndefined();
  });
});
