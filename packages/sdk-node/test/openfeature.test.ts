import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { MemoryEventQueueStorage } from '@switchyard/sdk-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src';
import { SwitchyardProvider } from '../src/openfeature';
import { nodeSnapshot } from './support/fixtures';

afterEach(async () => {
  await OpenFeature.close();
});

describe('SwitchyardProvider', () => {
  it('resolves flags of a bootstrapped client, with reasons and variants', async () => {
    const client = createClient({ offline: true, bootstrap: nodeSnapshot() });
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(client));
    const of = OpenFeature.getClient();
    expect(await of.getBooleanValue('banner', false, { targetingKey: 'u1' })).toBe(true);
    const details = await of.getStringDetails('checkout', 'none', { targetingKey: 'u1' });
    expect(details.value).toBe(client.getFlag('checkout', { userId: 'u1' }, 'none'));
    expect(details).toMatchObject({
      reason: 'SPLIT',
      variant: client.getVariant('exp1', { userId: 'u1' }),
    });
    expect(details.flagMetadata).toMatchObject({ experiment: 'exp1' });
    const vip = await of.getBooleanDetails('vip-pricing', true, {
      targetingKey: 'x',
      email: 'ceo@example.com',
    });
    expect(vip).toMatchObject({ value: true, reason: 'TARGETING_MATCH', variant: 'on' });
  });

  it('maps errors: missing flag, wrong type, missing targeting key', async () => {
    const client = createClient({ offline: true, bootstrap: nodeSnapshot() });
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(client));
    const of = OpenFeature.getClient();
    expect(await of.getNumberDetails('nope', 7, {})).toMatchObject({
      value: 7,
      reason: 'ERROR',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(await of.getNumberDetails('banner', 7, {})).toMatchObject({
      value: 7,
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    // No unit: the flag's default variant is served, and the missing key only noted.
    const noUnit = await of.getStringDetails('checkout', 'none', {});
    expect(noUnit).toMatchObject({
      value: 'old',
      reason: 'DEFAULT',
      flagMetadata: { switchyardCode: 'TARGETING_KEY_MISSING' },
    });
  });

  it('waits for the first config in initialize and fails it on timeout', async () => {
    const client = createClient({ offline: true });
    await expect(
      OpenFeature.setProviderAndWait(new SwitchyardProvider(client, { readyTimeoutMs: 50 })),
    ).rejects.toBeDefined();
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.ERROR);
  });

  it('emits configuration changes with the affected flags', async () => {
    const client = createClient({ offline: true, bootstrap: nodeSnapshot(1) });
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(client));
    const changed: string[][] = [];
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (e) =>
      changed.push((e?.flagsChanged as string[] | undefined) ?? []),
    );
    const next = nodeSnapshot(2);
    next.experiments.exp1!.status = 'Paused';
    client.config.replace(next, 'server');
    await new Promise((r) => setTimeout(r, 20));
    expect(changed).toEqual([['checkout']]);
  });

  it('tracks events through the client, with targetingKey as the unit', async () => {
    const storage = new MemoryEventQueueStorage();
    const client = createClient({
      offline: true,
      bootstrap: nodeSnapshot(),
      exposures: false,
      eventQueue: storage,
    });
    await OpenFeature.setProviderAndWait(new SwitchyardProvider(client));
    OpenFeature.getClient().track(
      'purchase',
      { targetingKey: 'u9' },
      { value: 30, currency: 'EUR' },
    );
    await client.close({ timeoutMs: 0 });
    expect(await storage.load()).toMatchObject([
      { type: 'purchase', unit: 'u9', properties: { value: 30, currency: 'EUR' } },
    ]);
  });
});
